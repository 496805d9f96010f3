"""Creating, answering and expiring requests; quotas; 'no thanks'; company requests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from reelmarket.market.enums import Role, Vetting
from reelmarket.meetings import selectors, services
from reelmarket.meetings.enums import Priority, RequestState
from reelmarket.meetings.errors import MeetingError
from reelmarket.meetings.models import PairBlock, RequestEvent
from tests.factories import TitleFactory
from tests.meetings.factories import World, person

S = RequestState
NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(db):
    return World()


def ask(world, who, *, to=None, company=None, **kwargs):
    return services.request_create(
        actor=who.user,
        edition=world.edition,
        target_person=to,
        target_organisation=company,
        now=NOW,
        **kwargs,
    )


def used(world, who) -> tuple[int, int]:
    """(counter, count from states): the two must always agree."""
    return (
        selectors.quota_used(edition=world.edition, participant=who),
        selectors.quota_used_by_states(edition=world.edition, participant=who),
    )


def test_create_person_request(world):
    title = TitleFactory(owner=world.seller_org, original_title="Summer Lanterns")
    request = ask(
        world,
        world.mei_buyer,
        to=world.kenji,
        message="Asian rights?",
        titles=[title],
        priority=Priority.MUST_MEET,
    )
    assert request.state == S.REQUESTED
    assert request.counterpart == world.kenji
    assert request.requester_priority == Priority.MUST_MEET
    assert request.expires_at == NOW + timedelta(hours=48)
    assert list(request.titles.all()) == [title]
    assert list(request.events.values_list("from_state", "to_state", "actor_id")) == [
        ("", S.REQUESTED, world.mei_buyer.user_id)
    ]
    assert used(world, world.mei_buyer) == (1, 1)


def test_quota_is_spent_and_refunded_on_decline_cancel_and_expiry(world):
    a = ask(world, world.mei_buyer, to=world.kenji)
    b = ask(world, world.mei_buyer, to=world.aiko)
    c = ask(world, world.mei_buyer, to=world.sofia)
    assert used(world, world.mei_buyer) == (3, 3)
    with pytest.raises(MeetingError) as caught:
        ask(world, world.mei_buyer, to=world.linh)
    assert caught.value.code == "quota_exhausted"
    assert str(caught.value) == "You have used all 3 of your meeting requests for this edition."
    assert used(world, world.mei_buyer) == (3, 3)

    services.request_decline(actor=world.kenji.user, request=a)
    assert used(world, world.mei_buyer) == (2, 2)
    services.request_cancel(actor=world.mei_buyer.user, request=b)
    assert used(world, world.mei_buyer) == (1, 1)
    assert services.requests_expire(now=NOW + timedelta(hours=48)) == 1
    c.refresh_from_db()
    assert c.state == S.EXPIRED
    assert used(world, world.mei_buyer) == (0, 0)
    # the refunds can be spent again
    ask(world, world.mei_buyer, to=world.linh)
    assert used(world, world.mei_buyer) == (1, 1)


def test_accepting_keeps_the_quota_spent(world):
    request = ask(world, world.mei_buyer, to=world.kenji)
    services.request_accept(actor=world.kenji.user, request=request, now=NOW)
    assert used(world, world.mei_buyer) == (1, 1)


def test_roles_without_quota_are_unlimited_and_largest_quota_wins(world):
    for _ in range(4):
        other = person(world.edition, Role.BUYER)
        ask(world, world.kenji, to=other)  # sellers have no quota in this grid
    assert used(world, world.kenji) == (4, 4)
    world.grid.quotas.create(role=Role.SELLER, limit=5)
    assert selectors.quota_limit(grid=world.grid, participant=world.kenji) == 5


def test_expiry_only_touches_overdue_pending_requests(world):
    overdue = ask(world, world.mei_buyer, to=world.kenji)
    accepted = ask(world, world.mei_buyer, to=world.aiko)
    services.request_accept(actor=world.aiko.user, request=accepted, now=NOW)
    fresh = services.request_create(
        actor=world.sofia.user,
        edition=world.edition,
        target_person=world.kenji,
        now=NOW + timedelta(hours=10),
    )
    assert services.requests_expire(now=NOW + timedelta(hours=47, minutes=59)) == 0
    assert services.requests_expire(now=NOW + timedelta(hours=48)) == 1
    for request, state in ((overdue, S.EXPIRED), (accepted, S.ACCEPTED), (fresh, S.REQUESTED)):
        request.refresh_from_db()
        assert request.state == state
    event = RequestEvent.objects.get(request=overdue, to_state=S.EXPIRED)
    assert (event.actor_id, event.from_state, event.note) == (
        None,
        S.REQUESTED,
        "No answer in time.",
    )
    assert services.requests_expire(now=NOW + timedelta(hours=100)) == 1  # fresh, not again


def test_an_overdue_request_cannot_be_accepted(world):
    request = ask(world, world.mei_buyer, to=world.kenji)
    with pytest.raises(MeetingError) as caught:
        services.request_accept(
            actor=world.kenji.user, request=request, now=NOW + timedelta(hours=49)
        )
    assert caught.value.code == "expired"


def test_no_thanks_blocks_both_directions(world):
    request = ask(world, world.mei_buyer, to=world.kenji)
    services.request_decline(actor=world.kenji.user, request=request, no_thanks=True)
    block = PairBlock.objects.get()
    assert block.blocked_by == world.kenji
    assert {block.low_id, block.high_id} == {world.kenji.pk, world.mei_buyer.pk}
    with pytest.raises(MeetingError) as caught:
        ask(world, world.mei_buyer, to=world.kenji)
    assert caught.value.code == "blocked"
    assert str(caught.value) == "A 'no thanks' stands between you and Kenji; no new requests."
    with pytest.raises(MeetingError) as caught:
        ask(world, world.kenji, to=world.mei_buyer)
    assert caught.value.code == "blocked"
    # and the company route around it is closed too
    with pytest.raises(MeetingError) as caught:
        ask(world, world.mei_buyer, company=world.seller_org)
    assert caught.value.code == "blocked"
    assert selectors.blocked_pairs(edition=world.edition) == [
        tuple(sorted((world.kenji.pk, world.mei_buyer.pk)))
    ]
    # other people are not affected
    ask(world, world.sofia, to=world.kenji)


def test_no_thanks_without_a_request(world):
    services.pair_block(actor=world.sofia.user, edition=world.edition, other=world.aiko)
    with pytest.raises(MeetingError) as caught:
        ask(world, world.aiko, to=world.sofia)
    assert caught.value.code == "blocked"


def test_company_request_is_answered_by_a_staff_member_who_becomes_counterpart(world):
    request = ask(world, world.mei_buyer, company=world.seller_org, message="Your slate")
    assert (request.counterpart, request.target_organisation) == (None, world.seller_org)
    assert request in selectors.requests_incoming(participant=world.aiko, edition=world.edition)
    assert request in selectors.requests_incoming(participant=world.kenji, edition=world.edition)
    with pytest.raises(PermissionDenied):
        services.request_accept(actor=world.sofia.user, request=request, now=NOW)
    services.request_accept(
        actor=world.aiko.user, request=request, priority=Priority.NICE_TO_MEET, now=NOW
    )
    request.refresh_from_db()
    assert (request.state, request.counterpart, request.counterpart_priority) == (
        S.ACCEPTED,
        world.aiko,
        Priority.NICE_TO_MEET,
    )


def test_unconfirmed_staff_cannot_answer_for_the_company(world):
    claimant = person(world.edition, Role.SELLER, organisation=world.seller_org)
    claimant.organisation_confirmed = False
    claimant.save()
    request = ask(world, world.mei_buyer, company=world.seller_org)
    with pytest.raises(PermissionDenied):
        services.request_accept(actor=claimant.user, request=request, now=NOW)


def test_organiser_accepts_a_company_request_for_a_named_staff_member(world):
    request = ask(world, world.mei_buyer, company=world.seller_org)
    with pytest.raises(MeetingError) as caught:
        services.request_accept(actor=world.organiser, request=request, now=NOW)
    assert caught.value.code == "not_staff"
    with pytest.raises(MeetingError) as caught:
        services.request_accept(
            actor=world.organiser, request=request, counterpart=world.sofia, now=NOW
        )
    assert caught.value.code == "not_staff"
    services.request_accept(
        actor=world.organiser, request=request, counterpart=world.kenji, now=NOW
    )
    request.refresh_from_db()
    assert request.counterpart == world.kenji


def test_staff_cannot_accept_for_a_colleague(world):
    request = ask(world, world.mei_buyer, company=world.seller_org)
    with pytest.raises(PermissionDenied):
        services.request_accept(
            actor=world.aiko.user, request=request, counterpart=world.kenji, now=NOW
        )


@pytest.mark.parametrize(
    ("case", "code", "message"),
    [
        ("self", "bad_target", "You cannot request a meeting with yourself."),
        ("both", "bad_target", "Ask either one person or one company."),
        ("own_company", "bad_target", "You cannot request a meeting with your own company."),
        ("unregistered", "target_not_registered", "Outsider is not taking part in this edition."),
        ("pending_me", "not_registered", "Your registration for this edition is not approved yet."),
        ("duplicate", "duplicate", "You already have an open request with them."),
        (
            "reverse",
            "reverse_open",
            "Kenji has already asked you for a meeting; answer that request instead.",
        ),
        (
            "empty_company",
            "company_not_attending",
            "Nobody from Saigon Stream is taking part in this edition.",
        ),
    ],
)
def test_refused_requests(world, case, code, message):
    from tests.factories import ParticipantFactory

    actor, kwargs = world.mei_buyer, {"to": world.kenji}
    if case == "self":
        kwargs = {"to": world.mei_buyer}
    elif case == "both":
        kwargs = {"to": world.kenji, "company": world.seller_org}
    elif case == "own_company":
        actor, kwargs = world.aiko, {"company": world.seller_org}
    elif case == "unregistered":
        kwargs = {"to": ParticipantFactory(display_name="Outsider")}
    elif case == "pending_me":
        actor = person(world.edition, Role.BUYER, vetting=Vetting.PENDING)
    elif case == "duplicate":
        ask(world, world.mei_buyer, to=world.kenji)
    elif case == "reverse":
        ask(world, world.kenji, to=world.mei_buyer)
    elif case == "empty_company":
        world.linh.organisation_confirmed = False
        world.linh.save()
        kwargs = {"company": world.buyer_org}
    before = used(world, actor)
    with pytest.raises(MeetingError) as caught:
        ask(world, actor, **kwargs)
    assert (caught.value.code, str(caught.value)) == (code, message)
    assert used(world, actor) == before


def test_a_closed_request_does_not_stop_a_new_one(world):
    first = ask(world, world.mei_buyer, to=world.kenji)
    services.request_cancel(actor=world.mei_buyer.user, request=first)
    second = ask(world, world.mei_buyer, to=world.kenji)
    assert second.pk != first.pk


def test_no_grid_no_requests(db):
    from tests.factories import EditionFactory

    edition = EditionFactory()
    buyer = person(edition, Role.BUYER)
    other = person(edition, Role.SELLER)
    with pytest.raises(MeetingError) as caught:
        services.request_create(actor=buyer.user, edition=edition, target_person=other)
    assert caught.value.code == "no_grid"


def test_anonymous_cannot_request(world):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.request_create(
            actor=AnonymousUser(), edition=world.edition, target_person=world.kenji
        )
