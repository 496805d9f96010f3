"""After-selection pages per role: anonymous, an unrelated participant, the applicant, an
investor, an organiser. Only selected projects are ever public."""

from __future__ import annotations

import html
import re

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from reelmarket.meetings.models import MeetingRequest
from reelmarket.pitching import services_after as services
from reelmarket.pitching.models import Award, MeetingWish, PitchSession, PitchSlot
from reelmarket.pitching.services_after import SessionData
from tests.pitching.after_world import World, at
from tests.pitching.factories import CallFactory, SectionFactory, SubmissionFactory

ROLES = ["anonymous", "unrelated", "applicant", "investor", "organiser"]


@pytest.fixture
def world(db) -> World:
    return World()


def client_for(world: World, role: str) -> Client:
    client = Client()
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    return client


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    body = response.content.decode()
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def url(name: str, world: World, *args) -> str:
    return reverse(f"pitching:{name}", args=[world.call.slug, *args])


def a_session(world: World) -> PitchSession:
    session = services.session_create(
        actor=world.organiser,
        call=world.call,
        data=SessionData(title="Animation pitches", starts_at=at(18, 10), room="S421"),
    )
    services.session_set_order(
        actor=world.organiser, session=session, submissions=[world.selected, world.wip_selected]
    )
    return session


# ---- public pages -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_programme_is_public_with_slot_times(world, role):
    a_session(world)
    page = text(client_for(world, role).get(url("programme", world)))
    assert "Animation pitches" in page
    assert "Mar 18, 2025, 10:00:00 AM HKT" in page  # first pitch
    assert "Mar 18, 2025, 10:20:00 AM HKT" in page  # second, after 15 min + 5 changeover
    assert "+ 5 min footage" not in page  # the session gives no footage time


def test_programme_shows_the_viewers_zone_beside_the_venues(world, client):
    a_session(world)
    client.force_login(world.sofia.user)  # Europe/Paris
    body = client.get(url("programme", world)).content.decode()
    assert "3:00\u202fAM CET (Europe/Paris)" in body


def test_session_ics(world, client):
    session = a_session(world)
    response = client.get(url("session_ics", world, session.pk))
    assert response.status_code == 200
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event["SUMMARY"] == "HAF 2025: Animation pitches"
    assert event.decoded("DTSTART") == at(18, 10)
    assert event.decoded("DTEND") == at(18, 10, 35)
    assert "10:20 Harbour Lights" in event["DESCRIPTION"]


@pytest.mark.parametrize("role", ROLES)
def test_project_list_shows_only_selected_projects(world, role):
    page = text(client_for(world, role).get(url("projects", world)))
    assert "The Paper Tiger" in page and "Harbour Lights" in page
    assert "Secret Garden" not in page
    assert "2 projects selected." in page


def test_project_list_filters(world, client):
    assert "Harbour Lights" not in text(client.get(url("projects", world) + "?section=animation"))
    page = text(client.get(url("projects", world) + "?country=hk"))
    assert "Harbour Lights" in page and "The Paper Tiger" not in page
    page = text(client.get(url("projects", world) + "?genre=family"))
    assert "The Paper Tiger" in page and "Harbour Lights" not in page


@pytest.mark.parametrize("role", ROLES)
def test_dossier_of_a_selected_project_is_public(world, role):
    page = text(client_for(world, role).get(url("dossier", world, world.selected.pk)))
    assert "The Paper Tiger" in page
    assert "A ferry captain's last crossing." in page
    assert "Preview" not in page


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 404), ("unrelated", 404), ("investor", 404), ("organiser", 200)],
)
def test_dossier_of_a_non_selected_project_is_never_public(world, role, status):
    response = client_for(world, role).get(url("dossier", world, world.shortlisted.pk))
    assert response.status_code == status
    if status == 200:
        assert "Preview: this dossier is not public." in text(response)


def test_the_applicant_previews_their_own_unselected_project(world, client):
    draft = SubmissionFactory(section=world.animation, project__owner=world.wei, state="submitted")
    client.force_login(world.wei.user)
    assert "Preview: this dossier is not public." in text(
        client.get(url("dossier", world, draft.pk))
    )


def test_dossier_of_another_calls_project_is_not_found(world, client):
    other = SubmissionFactory(
        section=SectionFactory(call=CallFactory(edition=world.edition)), state="selected"
    )
    assert client.get(url("dossier", world, other.pk)).status_code == 404


def test_dossier_language_toggle(world, client):
    english = text(client.get(url("dossier", world, world.selected.pk)))
    assert "A ferry captain" in english and "纸老虎的故事" not in english
    chinese = text(client.get(url("dossier", world, world.selected.pk) + "?lang=zh"))
    assert "纸老虎的故事" in chinese and "A ferry captain" not in chinese
    response = client.get(url("dossier", world, world.wip_selected.pk) + "?lang=zh")
    assert "A ferry captain" in text(response)
    assert b'href="?lang=zh"' not in response.content  # no toggle with one language


def test_dossier_shows_money_awards_and_the_pitch(world, client):
    from tests.financing.factories import FinancingSourceFactory

    FinancingSourceFactory(project=world.project)  # 300,000 of 1,000,000
    Award.objects.create(
        call=world.call, name="Animation Award", sponsor="Ink", winner=world.selected
    )
    a_session(world)
    page = text(client.get(url("dossier", world, world.selected.pk)))
    assert "$1,000,000.00" in page and "$300,000.00 (30 %)" in page and "$700,000.00" in page
    assert "Animation Award" in page and "sponsored by Ink" in page
    assert "Animation pitches · Mar 18, 2025, 10:00:00 AM HKT" in page


def test_the_programme_is_not_found_for_an_unknown_call(world, client):
    assert client.get("/pitch/nope/programme/").status_code == 404


# ---- wishes -----------------------------------------------------------------------------------


def test_dossier_offers_the_wish_form_to_financiers_only(world):
    for role, offered in [
        ("anonymous", False), ("unrelated", False), ("applicant", False),
        ("investor", True), ("organiser", False),
    ]:  # fmt: skip
        body = client_for(world, role).get(url("dossier", world, world.selected.pk)).content
        assert (b"I want to meet" in body) is offered, role


@pytest.mark.parametrize(
    ("role", "status", "wishes"),
    [
        ("anonymous", 302, 0),
        ("unrelated", 403, 0),
        ("applicant", 302, 0),  # refused with a message: own project
        ("investor", 302, 1),
        ("organiser", 403, 0),
    ],
)
def test_wish_per_role(world, role, status, wishes):
    response = client_for(world, role).post(
        url("wish_set", world, world.selected.pk), {"priority": "must_meet", "note": "Hello"}
    )
    assert response.status_code == status
    assert MeetingWish.objects.count() == wishes
    if role == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


def test_wish_on_a_non_selected_project_is_not_found(world):
    client = client_for(world, "investor")
    assert client.post(url("wish_set", world, world.shortlisted.pk)).status_code == 404
    assert MeetingWish.objects.count() == 0


def test_investor_wishes_then_withdraws(world):
    client = client_for(world, "investor")
    client.post(url("wish_set", world, world.selected.pk), {"priority": "must_meet", "note": ""})
    page = text(client.get(url("my_wishes", world)))
    assert (
        "The Paper Tiger" in page and "Must meet" in page and "Waiting for the organisers" in page
    )
    dossier = text(client.get(url("dossier", world, world.selected.pk)))
    assert "You asked to meet this project (Must meet)." in dossier
    client.post(url("wish_withdraw", world, world.selected.pk))
    assert MeetingWish.objects.count() == 0


def test_bad_priority_is_reported(world):
    client = client_for(world, "investor")
    response = client.post(
        url("wish_set", world, world.selected.pk), {"priority": "urgent"}, follow=True
    )
    assert "Select a valid choice. urgent is not one of the available choices." in text(response)
    assert MeetingWish.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("unrelated", 403),
        ("applicant", 200),
        ("investor", 200),
        ("organiser", 403),
    ],
)
def test_my_wishes_per_role(world, role, status):
    # The applicant is a producer: producers may wish to meet other projects (co-production).
    assert client_for(world, role).get(url("my_wishes", world)).status_code == status


# ---- organiser pages --------------------------------------------------------------------------

ORGANISER_GETS = ["sessions", "wishes_overview", "awards", "dashboard"]


@pytest.mark.parametrize("name", ORGANISER_GETS)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("unrelated", 403),
        ("applicant", 403),
        ("investor", 403),
        ("organiser", 200),
    ],
)
def test_organiser_pages_per_role(world, name, role, status):
    assert client_for(world, role).get(url(name, world)).status_code == status


@pytest.mark.parametrize("role", ["anonymous", "unrelated", "applicant", "investor"])
def test_organiser_posts_are_refused_to_others(world, role):
    session = a_session(world)
    award = Award.objects.create(call=world.call, name="Prize")
    client = client_for(world, role)
    posts = [
        (url("sessions", world), {"title": "X", "starts_at": "2025-03-18T14:00"}),
        (url("session_remove", world, session.pk), {"submission": world.selected.pk}),
        (url("session_move", world, session.pk), {"submission": world.selected.pk, "delta": 1}),
        (url("session_fill", world, session.pk), {}),
        (url("session_delete", world, session.pk), {}),
        (url("grid_build", world), {}),
        (url("awards", world), {"name": "Mine", "currency": "USD"}),
        (url("award_winner", world, award.pk), {f"a{award.pk}-winner": world.selected.pk}),
        (url("award_delete", world, award.pk), {}),
    ]
    for target, data in posts:
        response = client.post(target, data)
        assert response.status_code == (302 if role == "anonymous" else 403), target
    assert PitchSession.objects.count() == 1 and PitchSlot.objects.count() == 2
    assert list(Award.objects.values_list("name", "winner")) == [("Prize", None)]
    assert MeetingRequest.objects.count() == 0


def test_organiser_creates_a_session_in_venue_time_and_orders_it(world):
    client = client_for(world, "organiser")
    world.organiser.participant.time_zone = "Europe/Paris"
    world.organiser.participant.save()
    response = client.post(
        url("sessions", world),
        {
            "title": "WIP showcase", "starts_at": "2025-03-19T14:00", "room": "S421",
            "section": world.wip.pk, "pitch_minutes": 10, "footage_minutes": 5,
            "changeover_minutes": 5,
        },
    )  # fmt: skip
    session = PitchSession.objects.get()
    assert response["Location"] == url("session", world, session.pk)
    assert session.starts_at == at(19, 14)
    client.post(url("session_add", world, session.pk), {"submission": world.wip_selected.pk})
    page = text(client.get(url("session", world, session.pk)))
    assert "Harbour Lights" in page and "+ 5 min footage" in page
    assert "Mar 19, 2025, 2:15:00 PM HKT" in page  # ends after 10 + 5 footage


def test_organiser_sees_the_services_message(world):
    client = client_for(world, "organiser")
    response = client.post(
        url("sessions", world),
        {
            "title": "Too late", "starts_at": "2025-03-25T14:00", "pitch_minutes": 10,
            "footage_minutes": 0, "changeover_minutes": 5,
        },
    )  # fmt: skip
    assert response.status_code == 422
    assert "which is not a day of FILMART 2025" in response.content.decode()
    assert PitchSession.objects.count() == 0


def test_organiser_cannot_add_a_non_selected_project(world):
    session = a_session(world)
    client = client_for(world, "organiser")
    response = client.post(
        url("session_add", world, session.pk), {"submission": world.shortlisted.pk}, follow=True
    )
    assert "Choose a selected project that is not in a session yet." in text(response)
    assert PitchSlot.objects.filter(submission=world.shortlisted).count() == 0


def test_organiser_moves_and_removes(world):
    session = a_session(world)
    client = client_for(world, "organiser")
    client.post(
        url("session_move", world, session.pk), {"submission": world.wip_selected.pk, "delta": -1}
    )
    assert list(session.slots.order_by("order").values_list("submission_id", flat=True)) == [
        world.wip_selected.pk,
        world.selected.pk,
    ]
    client.post(url("session_remove", world, session.pk), {"submission": world.wip_selected.pk})
    assert list(session.slots.values_list("submission_id", flat=True)) == [world.selected.pk]
    client.post(url("session_delete", world, session.pk))
    assert PitchSession.objects.count() == 0


def test_organiser_builds_the_grid_from_wishes(world):
    services.wish_set(actor=world.sofia.user, submission=world.selected, priority="must_meet")
    client = client_for(world, "organiser")
    page = text(client.get(url("wishes_overview", world)))
    assert "1 wish waits to become a meeting request." in page
    assert "Sofia Martin" in page and "not yet a request" in page
    response = client.post(url("grid_build", world), follow=True)
    page = text(response)
    assert (
        "1 meeting wishes became accepted meeting requests (1 new, 0 already asked); 0 left aside."
        in page
    )
    assert "0 wishes wait to become meeting requests." in page
    assert 'href="/meetings/schedule/"' in response.content.decode()
    assert MeetingRequest.objects.get().state == "accepted"


def test_organiser_manages_awards(world):
    client = client_for(world, "organiser")
    client.post(
        url("awards", world),
        {"name": "HAF Award", "sponsor": "Ink Fund", "cash": "10000", "currency": "USD"},
    )
    award = Award.objects.get()
    assert (award.name, award.sponsor, award.cash) == ("HAF Award", "Ink Fund", 10000)
    response = client.post(
        url("award_winner", world, award.pk),
        {f"a{award.pk}-winner": world.shortlisted.pk},
        follow=True,
    )
    assert "“Secret Garden” is not selected; awards go to selected projects." in text(response)
    client.post(url("award_winner", world, award.pk), {f"a{award.pk}-winner": world.selected.pk})
    award.refresh_from_db()
    assert award.winner == world.selected
    assert "HAF Award" in text(Client().get(url("programme", world)))
    client.post(url("award_delete", world, award.pk))
    assert Award.objects.count() == 0


def test_user_text_is_escaped(world, client):
    world.project.title = "<script>alert(1)</script>"
    world.project.save()
    body = client.get(url("dossier", world, world.selected.pk)).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_call_page_snippet_links_the_forum_and_lists_awards(world, rf):
    from django.template.loader import render_to_string

    Award.objects.create(call=world.call, name="Jury Prize", sponsor="Ink", winner=world.selected)
    Award.objects.create(call=world.call, name="Odd", winner=world.shortlisted)
    request = rf.get("/")
    request.user = world.organiser
    body = render_to_string(
        "pitching/after/_call_links.html", {"call": world.call, "is_organiser": True}, request
    )
    assert f'href="/pitch/haf-2025/projects/{world.selected.pk}/">The Paper Tiger</a>' in body
    assert "Secret Garden" not in body  # a non-selected winner is never linked
    assert 'href="/pitch/haf-2025/programme/"' in body


def test_public_lists_do_not_grow_queries_with_projects(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.financing.factories import ProjectFactory

    def counts() -> tuple[int, int, int]:
        out = []
        for name in ("projects", "programme", "dashboard"):
            with CaptureQueriesContext(connection) as ctx:
                c = client_for(world, "organiser")
                assert c.get(url(name, world)).status_code == 200
            out.append(len(ctx.captured_queries))
        return tuple(out)

    session = a_session(world)
    before = counts()
    extra = [
        SubmissionFactory(section=world.animation, project=ProjectFactory(), state="selected")
        for _ in range(4)
    ]
    services.session_set_order(
        actor=world.organiser,
        session=session,
        submissions=[world.selected, world.wip_selected, *extra],
    )
    Award.objects.create(call=world.call, name="Prize", winner=extra[0])
    assert counts() == before


def test_a_large_build_runs_in_the_background_and_reasons_are_shown(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    from reelmarket.meetings import services as meeting_services
    from reelmarket.pitching import views_after

    monkeypatch.setattr(views_after, "SYNC_WISHES", 1)
    services.wish_set(actor=world.sofia.user, submission=world.selected)
    services.wish_set(actor=world.ravi.user, submission=world.selected)
    meeting_services.pair_block(actor=world.wei.user, edition=world.edition, other=world.ravi)
    client = client_for(world, "organiser")
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(url("grid_build", world))
    assert len(queued) == 1  # TASKS_MODE is "immediate": the task ran at commit
    page = text(client.get(response["Location"]))
    assert "2 wishes are being turned into meeting requests in the background" in page
    assert MeetingRequest.objects.get().requester == world.sofia
    assert "Ravi Kumar (" not in page  # no organisation
    assert "A “no thanks” stands between them." in page
    assert "1 wish waits to become a meeting request." in page


def test_the_producer_sees_how_many_want_to_meet(world):
    services.wish_set(actor=world.sofia.user, submission=world.selected)
    services.wish_set(actor=world.ravi.user, submission=world.selected)
    page = text(client_for(world, "applicant").get(url("dossier", world, world.selected.pk)))
    assert "2 financiers and co-producers have asked to meet your project." in page
    assert "Sofia" not in page and "Ravi" not in page  # who asked stays with the organisers
    assert "2 financiers" not in text(
        client_for(world, "unrelated").get(url("dossier", world, world.selected.pk))
    )
