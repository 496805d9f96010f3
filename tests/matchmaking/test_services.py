"""Matchmaking services on a factory-built market: exact rankings, feedback that changes
the next ranking, "no thanks" for both sides, visibility of targets and reasons, the
one-profile recompute, the batch, the triggers and the meeting request from a suggestion."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied

from reelmarket.matchmaking import selectors, services
from reelmarket.matchmaking.enums import RunStatus, TargetKind, Verdict
from reelmarket.matchmaking.errors import MatchError
from reelmarket.matchmaking.models import Feedback, RecomputeRun, Suggestion
from reelmarket.matchmaking.reasons import annotate
from reelmarket.meetings.errors import MeetingError
from reelmarket.meetings.models import MeetingRequest, PairBlock
from tests.factories import RightsWindowFactory
from tests.matchmaking.web_world import MatchWorld, fresh_world, genres

T = TargetKind


@pytest.fixture
def world(db) -> Iterator[MatchWorld]:
    yield from fresh_world()


def titles_of(participant) -> list[str]:
    rows = Suggestion.objects.filter(viewer=participant, kind=T.TITLE).order_by("rank")
    return [s.title.original_title for s in rows]


def people_of(participant, kind: str) -> list[str]:
    rows = Suggestion.objects.filter(viewer=participant, kind=kind).order_by("rank")
    return [s.person.display_name for s in rows]


def codes(suggestion: Suggestion) -> list[tuple[str, float]]:
    return [(r["code"], r["points"]) for r in suggestion.reasons]


# ---- rankings and reasons -------------------------------------------------------------------


def test_a_buyer_gets_titles_ranked_by_the_fit_of_their_profile(world: MatchWorld):
    services.recompute_for(participant=world.linh)
    # Jungle Friends fits kind, both genres and an available right; Haunted School shares
    # one genre; Night Ferry only the right. Paper Lanterns (SVOD Vietnam sold) and the
    # unpublished draft are never suggested.
    assert titles_of(world.linh) == ["Jungle Friends", "Haunted School", "Night Ferry"]
    top = Suggestion.objects.get(viewer=world.linh, kind=T.TITLE, rank=1)
    assert codes(top) == [
        ("rights_available", 16.66796875),
        ("genre", 15.0),
        ("kind", 10.0),
        ("budget_open", 2.5),
        ("language_open", 2.5),
    ]
    assert top.reasons[0]["params"] == {"rights": [["VN", "svod"]], "count": 1}
    assert top.score == sum(r["points"] for r in top.reasons) == 46.66796875


def test_media_a_buyer_states_replace_those_of_their_kind_of_company(world: MatchWorld):
    # Linh's company streams (SVOD, AVOD); she states she buys free TV only, and every
    # title here has SVOD rights only: no title fits until one offers free TV in Vietnam.
    world.linh.media = ["free_tv"]
    world.linh.save()
    services.recompute_for(participant=world.linh)
    assert titles_of(world.linh) == []
    RightsWindowFactory(title=world.ferry, media="free_tv", territories=["VN"])
    services.recompute_for(participant=world.linh)
    assert titles_of(world.linh) == ["Night Ferry"]
    top = Suggestion.objects.get(viewer=world.linh, kind=T.TITLE, rank=1)
    assert top.reasons[0]["params"] == {"rights": [["VN", "free_tv"]], "count": 1}


def test_reasons_in_words_are_the_largest_components(world: MatchWorld):
    services.recompute_for(participant=world.linh)
    cards = selectors.cards_for(viewer=world.linh, user=world.linh.user, kinds=[T.TITLE])
    annotate(cards[T.TITLE])
    assert cards[T.TITLE][0].texts == [
        "You buy SVOD in Vietnam — the right is available there",
        "Animation, Family, a genre you buy",
        "Animated feature, which you buy",
    ]


def test_sold_rights_are_never_claimed_available(world: MatchWorld):
    services.recompute_all()
    for s in Suggestion.objects.filter(title=world.lanterns):
        for reason in s.reasons:
            if reason["code"] == "rights_available":
                assert ["VN", "svod"] not in reason["params"]["rights"]
    assert not Suggestion.objects.filter(viewer=world.linh, title=world.lanterns).exists()


def test_unpublished_titles_are_never_suggested(world: MatchWorld):
    services.recompute_all()
    assert not Suggestion.objects.filter(title=world.draft).exists()
    for title_ids in Suggestion.objects.values_list("title_ids", flat=True):
        assert world.draft.pk not in title_ids


# ---- feedback -------------------------------------------------------------------------------


def test_not_interested_removes_the_title_and_lowers_what_is_close(world: MatchWorld):
    services.recompute_for(participant=world.linh)
    assert titles_of(world.linh) == ["Jungle Friends", "Haunted School", "Night Ferry"]
    services.feedback_give(
        actor=world.linh.user, kind=T.TITLE, verdict=Verdict.NOT_INTERESTED, title=world.school
    )
    # Recomputed before the call returned: Haunted School is gone, the rest keeps its order.
    assert titles_of(world.linh) == ["Jungle Friends", "Night Ferry"]
    feedback = Feedback.objects.get(viewer=world.linh)
    assert (feedback.kind, feedback.key, feedback.verdict) == (
        T.TITLE,
        f"t{world.school.pk}",
        Verdict.NOT_INTERESTED,
    )


def test_saying_it_again_replaces_the_verdict(world: MatchWorld):
    for verdict in (Verdict.NOT_INTERESTED, Verdict.MORE_LIKE_THIS):
        services.feedback_give(
            actor=world.linh.user, kind=T.TITLE, verdict=verdict, title=world.school
        )
    assert list(Feedback.objects.values_list("verdict", flat=True)) == [Verdict.MORE_LIKE_THIS]
    # Back in the list, and first now: its genres and kind weigh in Linh's history.
    assert titles_of(world.linh) == ["Haunted School", "Jungle Friends", "Night Ferry"]
    school = Suggestion.objects.get(viewer=world.linh, title=world.school)
    history = {code for code, _points in codes(school)} & {"history_genre", "history_kind"}
    assert history == {"history_genre", "history_kind"}


def embed(title, *vector: float) -> None:
    """Store a synopsis vector for ``title`` as the discovery embedder would."""
    from reelmarket.discovery.models import TextEmbedding
    from reelmarket.discovery.vectors import vector_to_bytes
    from reelmarket.matchmaking.scoring_adapter import _embedder_name

    TextEmbedding.objects.create(
        title=title,
        language="en",
        model=_embedder_name(),
        content_sha=f"sha-{title.pk}",
        vector=vector_to_bytes(np.asarray(vector, dtype=np.float32)),
        part="full",
    )


def test_more_like_this_raises_the_titles_close_to_it(world: MatchWorld):
    from tests.factories import TitleFactory

    twin = TitleFactory(owner=world.seller_org, original_title="Jungle Twin")
    genres(twin, "drama")
    RightsWindowFactory(title=twin, media="svod", territories=["VN"])
    embed(world.jungle, 1, 0, 0, 0)
    embed(twin, 0.95, 0, 0.3, 0)
    embed(world.ferry, 0, 1, 0, 0)
    embed(world.school, 0, 0, 1, 0)
    embed(world.lanterns, 0, 0, 0, 1)
    services.recompute_for(participant=world.linh)
    assert titles_of(world.linh) == [
        "Jungle Friends",
        "Haunted School",
        "Night Ferry",
        "Jungle Twin",
    ]
    services.feedback_give(
        actor=world.linh.user, kind=T.TITLE, verdict=Verdict.MORE_LIKE_THIS, title=world.jungle
    )
    assert titles_of(world.linh) == [
        "Jungle Friends",
        "Jungle Twin",
        "Haunted School",
        "Night Ferry",
    ]
    twin_row = Suggestion.objects.get(viewer=world.linh, title=twin)
    assert "more_like_this" in [code for code, _points in codes(twin_row)]
    assert twin_row.score == sum(r["points"] for r in twin_row.reasons)


def test_feedback_needs_a_participant_and_a_visible_target(world: MatchWorld):
    with pytest.raises(PermissionDenied):
        services.feedback_give(
            actor=world.admin, kind=T.TITLE, verdict=Verdict.NOT_INTERESTED, title=world.ferry
        )
    with pytest.raises(MatchError) as refused:
        services.feedback_give(
            actor=world.linh.user, kind=T.TITLE, verdict=Verdict.NOT_INTERESTED, title=world.draft
        )
    assert refused.value.code == "not_found"
    with pytest.raises(MatchError) as refused:
        services.feedback_give(
            actor=world.linh.user, kind=T.TITLE, verdict=Verdict.NO_THANKS, title=world.ferry
        )
    assert refused.value.code == "bad_verdict"
    with pytest.raises(MatchError) as refused:
        services.feedback_give(
            actor=world.linh.user, kind=T.TITLE, verdict=Verdict.NOT_INTERESTED, person=world.kenji
        )
    assert refused.value.code == "bad_target"
    assert not Feedback.objects.exists()


# ---- no thanks ------------------------------------------------------------------------------


def test_no_thanks_removes_the_pair_from_meeting_suggestions_for_both_sides(world: MatchWorld):
    services.recompute_all()
    assert people_of(world.linh, T.MEETING) == ["Kenji"]
    assert "Linh" in people_of(world.kenji, T.MEETING)
    assert "Linh" in people_of(world.kenji, T.BUYER)
    services.feedback_give(
        actor=world.linh.user, kind=T.MEETING, verdict=Verdict.NO_THANKS, person=world.kenji
    )
    low, high = sorted((world.linh.pk, world.kenji.pk))
    block = PairBlock.objects.get()
    assert (block.low_id, block.high_id, block.blocked_by_id) == (low, high, world.linh.pk)
    assert people_of(world.linh, T.MEETING) == []
    assert "Linh" not in people_of(world.kenji, T.MEETING)
    assert "Linh" not in people_of(world.kenji, T.BUYER)
    # ... and stays out when Kenji's side is recomputed from scratch.
    services.recompute_for(participant=world.kenji)
    assert "Linh" not in people_of(world.kenji, T.MEETING)
    assert "Linh" not in people_of(world.kenji, T.BUYER)
    services.recompute_for(participant=world.linh)
    assert people_of(world.linh, T.MEETING) == []


def test_no_thanks_from_the_seller_side_blocks_too(world: MatchWorld):
    services.recompute_all()
    services.feedback_give(
        actor=world.kenji.user,
        kind=T.BUYER,
        verdict=Verdict.NO_THANKS,
        person=world.linh,
        title=world.jungle,
    )
    services.recompute_for(participant=world.linh)
    assert people_of(world.linh, T.MEETING) == []
    with pytest.raises(MeetingError) as refused:
        from reelmarket.meetings import services as meeting_services

        meeting_services.request_create(
            actor=world.linh.user, edition=world.edition, target_person=world.kenji
        )
    assert refused.value.code == "blocked"


# ---- visibility of people and their interests -----------------------------------------------


def test_a_hidden_profile_is_never_suggested_to_sellers(world: MatchWorld):
    services.recompute_for(participant=world.kenji)
    assert not Suggestion.objects.filter(viewer=world.kenji, person=world.hidden_buyer).exists()


def test_reasons_do_not_cite_interests_the_viewer_may_not_see(world: MatchWorld):
    services.recompute_for(participant=world.kenji)
    cards = selectors.buyer_cards_for_title(user=world.kenji.user, title=world.jungle)
    by_name = {c.suggestion.person.display_name: c for c in cards}
    assert set(by_name) == {"Linh", "Quiet Quan", "Mei"}
    quiet = by_name["Quiet Quan"]
    assert all(r["params"] == {} and r["private"] for r in quiet.reasons)
    annotate(cards)
    assert quiet.texts == ["Fits what they look for"]
    linh = by_name["Linh"]
    assert linh.reasons[0]["params"] == {"rights": [["VN", "svod"]], "count": 1}
    assert linh.texts[0] == "Buys SVOD in Vietnam — your right is available there"
    # The stored row keeps the components: its points still sum to the score.
    assert sum(r["points"] for r in quiet.reasons) == quiet.suggestion.score


def test_financiers_for_a_producer_and_projects_for_an_investor(world: MatchWorld):
    services.recompute_for(participant=world.arjun)
    services.recompute_for(participant=world.fund)
    financier = Suggestion.objects.get(viewer=world.arjun)
    assert (financier.kind, financier.person_id, financier.project_id) == (
        T.FINANCIER,
        world.fund.pk,
        world.project.pk,
    )
    project = Suggestion.objects.get(viewer=world.fund)
    assert (project.kind, project.project_id) == (T.PROJECT, world.project.pk)
    assert project.score == financier.score == sum(r["points"] for r in project.reasons)
    assert [r["code"] for r in project.reasons][:4] == [
        "ticket_fits_gap",
        "genre",
        "stage",
        "region",
    ]


# ---- the one-profile path and the batch -----------------------------------------------------


def test_one_profile_recompute_touches_only_that_users_rows(world: MatchWorld):
    services.recompute_all()
    others = {
        s.pk: (s.computed_at, s.score, s.rank)
        for s in Suggestion.objects.exclude(viewer=world.sofia)
    }
    sofia_before = set(Suggestion.objects.filter(viewer=world.sofia).values_list("pk", flat=True))
    world.sofia.genres = ["animation"]
    world.sofia.content_kinds = ["animation_feature"]
    world.sofia.territories = ["VN"]
    world.sofia.save()
    services.recompute_for(participant=world.sofia)
    after = {
        s.pk: (s.computed_at, s.score, s.rank)
        for s in Suggestion.objects.exclude(viewer=world.sofia)
    }
    assert after == others
    assert titles_of(world.sofia)[0] == "Jungle Friends"
    assert sofia_before.isdisjoint(
        Suggestion.objects.filter(viewer=world.sofia).values_list("pk", flat=True)
    )


def test_the_batch_records_its_progress(world: MatchWorld):
    seen: list[tuple[int, int]] = []
    run = services.recompute_all(progress=lambda done, total: seen.append((done, total)))
    viewers = selectors.viewer_ids()
    assert run.status == RunStatus.DONE
    assert (run.viewers_total, run.viewers_done, run.percent) == (len(viewers), len(viewers), 100)
    assert run.suggestions == Suggestion.objects.count() > 0
    assert seen[-1] == (len(viewers), len(viewers))
    assert set(Suggestion.objects.values_list("viewer_id", flat=True)) <= set(viewers)


def test_only_organisers_start_a_batch_and_one_at_a_time(world: MatchWorld):
    with pytest.raises(PermissionDenied):
        services.recompute_run_start(actor=world.kenji.user)
    run = services.recompute_run_start(actor=world.organiser)
    assert run.status == RunStatus.QUEUED
    with pytest.raises(MatchError) as refused:
        services.recompute_run_start(actor=world.organiser)
    assert refused.value.code == "run_active"
    assert RecomputeRun.objects.count() == 1


# ---- triggers -------------------------------------------------------------------------------


def test_a_title_change_reaches_exactly_the_viewers_it_touches(world: MatchWorld):
    services.recompute_all()
    touched = selectors.viewers_touched_by_titles(title_ids=[world.jungle.pk])
    # Its sellers, and the buyers who hold it or would now take it in.
    assert world.kenji.pk in touched and world.aiko.pk in touched
    assert world.linh.pk in touched
    assert world.arjun.pk not in touched and world.fund.pk not in touched


def test_a_new_right_brings_the_title_to_the_buyer(
    world: MatchWorld, settings, django_capture_on_commit_callbacks
):
    settings.MATCHMAKING_AUTO_RECOMPUTE = True
    services.recompute_all()
    assert "Paper Lanterns" not in titles_of(world.sofia)
    from reelmarket.catalogue.signals import announce_titles_changed

    with django_capture_on_commit_callbacks(execute=True):
        RightsWindowFactory(title=world.lanterns, media="svod", territories=["FR"])
        announce_titles_changed([world.lanterns.pk])
    assert "Paper Lanterns" in titles_of(world.sofia)


def test_a_profile_save_recomputes_that_profile(
    world: MatchWorld, settings, django_capture_on_commit_callbacks
):
    settings.MATCHMAKING_AUTO_RECOMPUTE = True
    services.recompute_all()
    assert titles_of(world.sofia) == ["Night Ferry"]
    with django_capture_on_commit_callbacks(execute=True):
        world.sofia.territories = ["VN"]
        world.sofia.save()
    assert titles_of(world.sofia)[0] == "Night Ferry"
    assert set(titles_of(world.sofia)) == {"Night Ferry", "Jungle Friends", "Haunted School"}


# ---- suggestion -> meeting request ----------------------------------------------------------


def test_a_title_suggestion_becomes_a_request_to_its_company(world: MatchWorld):
    services.recompute_for(participant=world.linh)
    top = Suggestion.objects.get(viewer=world.linh, kind=T.TITLE, rank=1)
    request = services.suggestion_request_meeting(
        actor=world.linh.user, suggestion=top, message="Hi"
    )
    assert (request.requester_id, request.target_organisation_id, request.message) == (
        world.linh.pk,
        world.seller_org.pk,
        "Hi",
    )
    assert list(request.titles.values_list("original_title", flat=True)) == ["Jungle Friends"]


def test_a_meeting_suggestion_becomes_a_request_with_its_title(world: MatchWorld):
    services.recompute_for(participant=world.kenji)
    pair = Suggestion.objects.filter(viewer=world.kenji, kind=T.MEETING, person=world.linh).get()
    request = services.suggestion_request_meeting(actor=world.kenji.user, suggestion=pair)
    assert (request.requester_id, request.target_person_id) == (world.kenji.pk, world.linh.pk)
    assert list(request.titles.values_list("original_title", flat=True)) == ["Jungle Friends"]


def test_only_the_viewer_turns_their_suggestion_into_a_request(world: MatchWorld):
    services.recompute_for(participant=world.linh)
    top = Suggestion.objects.get(viewer=world.linh, kind=T.TITLE, rank=1)
    with pytest.raises(PermissionDenied):
        services.suggestion_request_meeting(actor=world.sofia.user, suggestion=top)
    assert not MeetingRequest.objects.exists()


# ---- stated interests -----------------------------------------------------------------------

SYNOPSES = {
    "jungle": "Talking animals in the rainforest learn to share their river in a musical comedy.",
    "lanterns": "A paper-lantern maker's daughter saves the town festival from a storm.",
    "ferry": (
        "A teenage deckhand comes of age on his father's old ferry, crossing a stormy sea "
        "between two islands the summer before he leaves home."
    ),
    "school": "Students locked in a haunted boarding school at night face the ghost of a teacher.",
}


def test_a_stated_interest_raises_synopses_close_to_it(world: MatchWorld):
    from reelmarket.discovery.vectors import centroids_recompute, title_texts_embed
    from reelmarket.matchmaking.scoring_adapter import _embedder_name
    from tests.factories import TitleTextFactory

    # The synopses embedded and the language centroids computed, as after a reindex.
    for name, synopsis in SYNOPSES.items():
        TitleTextFactory(title=getattr(world, name), synopsis=synopsis)
    title_texts_embed(
        title_ids=[world.jungle.pk, world.lanterns.pk, world.ferry.pk, world.school.pk]
    )
    centroids_recompute(model=_embedder_name())
    services.recompute_for(participant=world.linh)
    assert titles_of(world.linh) == ["Jungle Friends", "Haunted School", "Night Ferry"]
    services.interest_add(actor=world.linh.user, text="  coming-of-age   at sea ")
    interest = world.linh.stated_interests.get()
    assert interest.text == "coming-of-age at sea" and interest.vector is not None
    ferry = Suggestion.objects.get(viewer=world.linh, title=world.ferry)
    reason = next(r for r in ferry.reasons if r["code"] == "interest")
    assert reason["points"] > 0 and reason["params"]["interest"] == "coming-of-age at sea"
    assert ferry.score == sum(r["points"] for r in ferry.reasons)
    assert titles_of(world.linh) == ["Jungle Friends", "Night Ferry", "Haunted School"]
    cards = selectors.cards_for(viewer=world.linh, user=world.linh.user, kinds=[T.TITLE])
    annotate(cards[T.TITLE])
    ferry_card = next(c for c in cards[T.TITLE] if c.suggestion.title_id == world.ferry.pk)
    assert "Synopsis close to your interest “coming-of-age at sea”" in ferry_card.texts
    services.interest_remove(actor=world.linh.user, interest=interest)
    ferry = Suggestion.objects.get(viewer=world.linh, title=world.ferry)
    assert "interest" not in [r["code"] for r in ferry.reasons]


def test_stated_interests_are_checked(world: MatchWorld):
    for text, code in (("   ", "bad_interest"), ("x" * 121, "bad_interest")):
        with pytest.raises(MatchError) as refused:
            services.interest_add(actor=world.linh.user, text=text)
        assert refused.value.code == code
    for n in range(services.MAX_INTERESTS):
        services.interest_add(actor=world.linh.user, text=f"interest {n}")
    with pytest.raises(MatchError) as refused:
        services.interest_add(actor=world.linh.user, text="one more")
    assert refused.value.code == "too_many_interests"
    with pytest.raises(PermissionDenied):
        services.interest_remove(
            actor=world.sofia.user, interest=world.linh.stated_interests.first()
        )
    assert world.linh.stated_interests.count() == services.MAX_INTERESTS


def test_a_stale_run_does_not_block_the_next(world: MatchWorld):
    from datetime import timedelta

    from django.utils import timezone

    old = services.recompute_run_start(actor=world.organiser)
    RecomputeRun.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=3))
    new = services.recompute_run_start(actor=world.organiser)
    old.refresh_from_db()
    assert (old.status, old.is_active) == (RunStatus.FAILED, False)
    assert (new.status, new.is_active) == (RunStatus.QUEUED, True)


def test_bulk_interest_visibility_agrees_with_the_rule(world: MatchWorld):
    from itertools import product

    from reelmarket.market.enums import Visibility
    from reelmarket.matchmaking.rules import may_see_interests
    from tests.factories import ParticipantFactory
    from tests.factories import UserFactory as Users

    people = [
        ParticipantFactory(profile_visibility=profile, interests_visibility=interests)
        for profile, interests in product(Visibility.values, repeat=2)
    ]
    from django.contrib.auth.models import AnonymousUser

    viewers = [AnonymousUser(), Users(), world.linh.user, world.organiser, world.admin]
    viewers.append(people[-1].user)  # a person looking at their own (hidden) interests
    for user in viewers:
        expected = {p.pk for p in people if may_see_interests(user, p)}
        assert selectors.interests_visible_ids(user, people) == expected
