"""Producers Connect session pages, per role: anonymous, an unrelated participant, a
registered producer, a registered partner, an organiser. Exact outcomes on the data."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from reelmarket.financing import services_connect as services
from reelmarket.financing.enums_connect import SessionState, Side
from reelmarket.financing.models import (
    ConnectFeedback,
    ConnectNoThanks,
    ConnectRegistration,
    ConnectSeat,
    ConnectSession,
)
from reelmarket.market.enums import Visibility
from tests.financing.connect_world import ConnectWorld
from tests.financing.factories import ProjectFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "producer", "partner", "organiser")


@pytest.fixture
def world() -> ConnectWorld:
    return ConnectWorld()


@pytest.fixture
def published(world) -> ConnectWorld:
    world.register_all()
    world.build()
    world.publish()
    return world


def user_of(world: ConnectWorld, role: str):
    return {
        "anonymous": None,
        "outsider": world.outsider.user,
        "producer": world.mei.user,
        "partner": world.copro.user,
        "organiser": world.organiser,
    }[role]


def client_for(world: ConnectWorld, role: str) -> Client:
    client = Client()
    user = user_of(world, role)
    if user is not None:
        client.force_login(user)
    return client


def url(name: str, world: ConnectWorld, *args) -> str:
    return reverse(f"financing:{name}", args=[world.session.pk, *args])


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def expect(response, status: int | str) -> None:
    if status == "redirect":  # back to the session page with a message
        assert response.status_code == 302
        assert not response["Location"].startswith("/accounts/login/")
    elif status == 302:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == status, (response.status_code, status)


# ---- access per role ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "statuses"),
    [
        ("connect_session", (302, 200, 200, 200, 200)),
        ("connect_session_edit", (302, 403, 403, 403, "redirect")),
        ("connect_registrations", (302, 403, 403, 403, 200)),
        ("connect_rotation", (302, 403, 403, 403, 200)),
        ("connect_sheets", (302, 403, 200, 200, 200)),
        ("connect_mine", (302, 403, 200, 200, 403)),
        ("connect_feedback_summary", (302, 403, 403, 403, 200)),
    ],
)  # fmt: skip
def test_pages_of_a_published_session_per_role(published, name, statuses):
    # statuses in the order of ROLES: anonymous, outsider, producer, partner, organiser
    for role, status in zip(ROLES, statuses, strict=True):
        expect(client_for(published, role).get(url(name, published)), status)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("outsider", 200),
        ("producer", 200),
        ("partner", 200),
        ("organiser", 200),
    ],
)
def test_the_list_shows_drafts_to_organisers_only(world, role, status):
    response = client_for(world, role).get(reverse("financing:connect_sessions"))
    expect(response, status)
    if status == 200:
        assert ("Producers Connect — Day 2" in text(response)) == (role == "organiser")
        assert ("New session" in text(response)) == (role == "organiser")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("producer", 404),
        ("partner", 404),
        ("organiser", 200),
    ],
)
def test_a_draft_session_is_the_organisers(world, role, status):
    expect(client_for(world, role).get(url("connect_session", world)), status)


def test_sheets_and_my_rounds_wait_for_publication(world):
    world.register_all()
    world.build()
    expect(client_for(world, "producer").get(url("connect_sheets", world)), 403)
    expect(client_for(world, "organiser").get(url("connect_sheets", world)), 200)
    page = text(client_for(world, "producer").get(url("connect_mine", world)))
    assert "Your rounds appear here once the organisers publish the rotation." in page
    assert "Louis (Paris Copro)" not in page


# ---- set-up pages ---------------------------------------------------------------------------


def session_form(**changes) -> dict[str, str]:
    data = {
        "name": "Producers Connect — Day 3",
        "description": "",
        "day": "2025-03-19",
        "start_time": "10:00",
        "rounds": "8",
        "round_minutes": "20",
        "break_minutes": "5",
        "tables": "40",
        "room": "S421",
        "table_labels": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("role", ["outsider", "producer", "partner"])
def test_only_organisers_create_sessions(world, role):
    client = client_for(world, role)
    expect(client.get(reverse("financing:connect_session_new")), 403)
    expect(client.post(reverse("financing:connect_session_new"), session_form()), 403)
    assert ConnectSession.objects.count() == 1


def test_an_organiser_creates_a_session(world):
    response = client_for(world, "organiser").post(
        reverse("financing:connect_session_new"),
        session_form(tables="3", table_labels="A1, A2\nA3"),
    )
    session = ConnectSession.objects.get(name="Producers Connect — Day 3")
    assert response["Location"] == reverse("financing:connect_session", args=[session.pk])
    assert (session.rounds, session.tables, session.state) == (8, 3, SessionState.DRAFT)
    assert session.local_start().isoformat() == "2025-03-19T10:00:00+08:00"
    assert session.table_labels == ["A1", "A2", "A3"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"rounds": "0"}, "rounds", "A session has at least one round."),
        ({"tables": "0"}, "tables", "A session needs at least one table."),
        ({"day": "2025-03-25"}, "day",
         "The session must start on a day of FILMART 2025 (2025-03-17 to 2025-03-20)."),
        ({"tables": "3", "table_labels": "A1, A2"}, "table_labels",
         "Give one label per table (3), or none to number them."),
        ({"name": "Producers Connect — Day 2"}, "name",
         "This edition already has a session of that name."),
    ],
)  # fmt: skip
def test_bad_input_shows_the_reason_on_its_field(world, changes, field, message):
    response = client_for(world, "organiser").post(
        reverse("financing:connect_session_new"), session_form(**changes)
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert re.search(rf'data-field="{field}">{re.escape(message)}<', page.replace("&quot;", '"'))
    assert ConnectSession.objects.count() == 1


def test_an_organiser_edits_and_moves_the_session(world):
    client = client_for(world, "organiser")
    response = client.post(
        url("connect_session_edit", world), session_form(name="Renamed", day="2025-03-18")
    )
    assert response.status_code == 302
    world.session.refresh_from_db()
    assert (world.session.name, world.session.rounds) == ("Renamed", 8)
    client.post(url("connect_session_state", world), {"to": "open"})
    world.session.refresh_from_db()
    assert world.session.state == SessionState.OPEN
    response = client.post(url("connect_session_state", world), {"to": "published"}, follow=True)
    assert "Build the rotation before publishing it." in text(response)


@pytest.mark.parametrize("role", ["outsider", "producer", "partner"])
def test_others_may_not_move_the_session(world, role):
    world.open()
    expect(client_for(world, role).post(url("connect_session_state", world), {"to": "closed"}), 403)
    world.session.refresh_from_db()
    assert world.session.state == SessionState.OPEN


# ---- registration and no thanks -------------------------------------------------------------


def test_a_producer_registers_with_a_project_from_the_page(world):
    world.open()
    client = client_for(world, "producer")
    page = text(client.get(url("connect_session", world)))
    assert "Producer with a project" in page and "Paper Tigers" in page
    assert "Financier, co-producer or foundation" not in page  # Mei has no investor profile
    client.post(
        url("connect_register", world), {"side": "producer", "project": world.mei_project.pk}
    )
    reg = ConnectRegistration.objects.get()
    assert (reg.participant, reg.side, reg.project) == (world.mei, Side.PRODUCER, world.mei_project)
    page = text(client.get(url("connect_session", world)))
    assert "You are registered as a producer with “Paper Tigers”." in page


def test_registering_with_someone_elses_project_is_refused(world):
    world.open()
    response = client_for(world, "producer").post(
        url("connect_register", world),
        {"side": "producer", "project": world.arjun_project.pk},
        follow=True,
    )
    assert "Select a valid choice." in text(response)
    assert ConnectRegistration.objects.count() == 0


def test_a_partner_registers_and_an_outsider_without_profile_or_project_cannot(world):
    world.open()
    client_for(world, "partner").post(url("connect_register", world), {"side": "partner"})
    assert ConnectRegistration.objects.get().participant == world.copro
    page = text(client_for(world, "outsider").get(url("connect_session", world)))
    assert "To take part, list a project" in page
    response = client_for(world, "outsider").post(
        url("connect_register", world), {"side": "partner"}, follow=True
    )
    assert "Select a valid choice. partner is not one of the available choices." in text(response)
    assert ConnectRegistration.objects.count() == 1


def test_anonymous_posts_go_to_the_login(world):
    world.open()
    for name in (
        "connect_register",
        "connect_withdraw",
        "connect_no_thanks",
        "connect_build",
        "connect_publish",
    ):
        expect(Client().post(url(name, world), {"side": "partner"}), 302)
    assert ConnectRegistration.objects.count() == 0


def test_withdrawing(world):
    world.register_all()
    client_for(world, "producer").post(url("connect_withdraw", world))
    assert not ConnectRegistration.objects.filter(participant=world.mei).exists()
    expect(client_for(world, "outsider").post(url("connect_withdraw", world)), 403)


def test_no_thanks_from_the_page_and_with_htmx(world):
    world.register_all()
    client = client_for(world, "producer")
    copro, fund = world.reg(world.copro), world.reg(world.fund)
    page = text(client.get(url("connect_session", world)))
    assert "Louis (Paris Copro)" in page and "Grace (Lantern Fund)" in page
    assert "Arjun" not in page  # the same side is not listed
    client.post(url("connect_no_thanks", world), {"other": copro.pk, "declined": "1"})
    response = client.post(
        url("connect_no_thanks", world), {"other": fund.pk, "declined": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.content.decode().count("data-declined") == 2
    assert set(ConnectNoThanks.objects.values_list("other", flat=True)) == {copro.pk, fund.pk}
    client.post(url("connect_no_thanks", world), {"other": fund.pk, "declined": "0"})
    assert list(ConnectNoThanks.objects.values_list("other", flat=True)) == [copro.pk]
    response = client.post(
        url("connect_no_thanks", world), {"other": "999999", "declined": "1"}, follow=True
    )
    assert "That person is not registered for this session." in text(response)
    expect(
        client_for(world, "outsider").post(url("connect_no_thanks", world), {"other": copro.pk}),
        403,
    )


# ---- build, review, publish -----------------------------------------------------------------


@pytest.mark.parametrize("role", ["outsider", "producer", "partner"])
def test_others_may_not_build_or_publish(world, role):
    world.register_all()
    world.session = services.session_set_state(
        actor=world.organiser, session=world.session, to_state="closed"
    )
    expect(client_for(world, role).post(url("connect_build", world), {"seed": "0"}), 403)
    world.build()
    expect(client_for(world, role).post(url("connect_publish", world)), 403)
    assert ConnectSession.objects.get().state == SessionState.CLOSED


def test_the_organiser_builds_reviews_and_publishes(world):
    world.register_all(lena=True)
    client = client_for(world, "organiser")
    response = client.post(url("connect_build", world), {"seed": "0"}, follow=True)
    assert "Close registration first" in text(response)
    client.post(url("connect_session_state", world), {"to": "closed"})
    response = client.post(url("connect_build", world), {"seed": "3"}, follow=True)
    page = text(response)
    assert "Rotation built: 4 meetings. Review it, then publish." in page
    html = response.content.decode()
    assert re.findall(r'data-round="(\d)" data-meetings="(\d)"', html) == [("1", "2"), ("2", "2")]
    assert 'data-figure="fair-share">1<' in html
    assert "Every producer has at least their fair share." in page
    assert ConnectSession.objects.get().seed == 3
    response = client.post(url("connect_build", world), {"seed": "-1"}, follow=True)
    assert "Give a seed of 0 or more." in text(response)
    response = client.post(url("connect_publish", world), follow=True)
    assert "4 meetings published; everyone registered is told by e-mail." in text(response)
    assert ConnectSession.objects.get().state == SessionState.PUBLISHED


def test_the_review_lists_producers_below_their_fair_share(world):
    world.register_all(lena=True)
    mei, copro, fund = world.reg(world.mei), world.reg(world.copro), world.reg(world.fund)
    for other in (copro, fund):
        services.no_thanks_set(actor=world.mei.user, by=mei, other=other, declined=True)
    world.build()
    html = client_for(world, "organiser").get(url("connect_rotation", world)).content.decode()
    assert f'<li data-registration="{mei.pk}">Mei · Paper Tigers: 0 meetings</li>' in html


# ---- sheets, my rounds, feedback ------------------------------------------------------------


def test_round_sheets_one_page_per_round_or_per_table(published):
    seats = list(
        ConnectSeat.objects.order_by("round", "table").select_related(
            "producer__participant", "partner__participant"
        )
    )
    html = client_for(published, "producer").get(url("connect_sheets", published)).content.decode()
    assert html.count('class="sheet"') == 2
    assert "@media print" in html and "page-break-after: always" in html
    page = text(client_for(published, "producer").get(url("connect_sheets", published)))
    assert "Round 1" in page and "Round 2" in page
    for s in seats:
        assert (
            s.producer.participant.display_name in page
            and s.partner.participant.display_name in page
        )
    by_table = client_for(published, "organiser").get(
        url("connect_sheets", published) + "?by=table"
    )
    assert re.findall(r'data-table="(\d)"', by_table.content.decode()) == ["1", "2"]
    assert "relevance" not in text(by_table).lower()


def test_my_rounds_show_the_counterpart_time_table_and_reasons(published):
    seat = ConnectSeat.objects.get(
        producer=published.reg(published.mei), partner=published.reg(published.copro)
    )
    page = text(client_for(published, "producer").get(url("connect_mine", published)))
    assert f"Round {seat.round} · table {seat.table}" in page
    assert "Louis (Paris Copro)" in page
    assert "Co-producer" in page  # the partner's profile: Mei may see it
    assert "Looks for Animation" in page or "Can use a co-production treaty with Hong Kong" in page
    assert "Mar 18, 2025" in page and "HKT" in page
    partner_page = text(client_for(published, "partner").get(url("connect_mine", published)))
    assert "“Paper Tigers”" in partner_page and "Budget" in partner_page


def test_my_rounds_hide_what_the_viewer_may_not_see(published):
    published.copro.profile_visibility = Visibility.HIDDEN
    published.copro.save()
    published.mei_project.seeking_financing = False
    published.mei_project.save()
    html = client_for(published, "producer").get(url("connect_mine", published)).content.decode()
    card = next(c for c in html.split('<li class="round-card"') if "Louis (Paris Copro)" in c)
    assert "data-profile" not in card and "Why you meet" not in card
    assert "Louis (Paris Copro)" in card
    partner_html = client_for(published, "partner").get(url("connect_mine", published))
    card = next(
        c for c in partner_html.content.decode().split('<li class="round-card"') if "Mei" in c
    )
    assert "data-figures" not in card and "Why you meet" not in card
    assert "Paper Tigers" in card  # the title is who they meet; the figures are not


def test_the_viewers_own_zone_is_shown_beside_the_venues(published):
    published.copro.time_zone = "Europe/Paris"
    published.copro.save()
    page = text(client_for(published, "partner").get(url("connect_mine", published)))
    assert "CET (Europe/Paris)" in page


def test_feedback_from_the_page(published):
    seat = ConnectSeat.objects.get(
        producer=published.reg(published.mei), partner=published.reg(published.copro)
    )
    feedback_url = url("connect_feedback", published, seat.pk)
    response = client_for(published, "producer").post(
        feedback_url, {"verdict": "follow_up", "note": "Lookbook <b>please</b>"}
    )
    assert response["Location"] == url("connect_mine", published) + f"#round-{seat.round}"
    client_for(published, "partner").post(feedback_url, {"verdict": "pass"})
    expect(client_for(published, "outsider").post(feedback_url, {"verdict": "pass"}), 403)
    expect(client_for(published, "organiser").post(feedback_url, {"verdict": "pass"}), 403)
    response = client_for(published, "producer").post(
        feedback_url, {"verdict": "maybe"}, follow=True
    )
    assert "Select a valid choice. maybe is not one of the available choices." in text(response)
    assert list(
        ConnectFeedback.objects.order_by("pk").values_list(
            "participant__display_name", "verdict", "note"
        )
    ) == [
        ("Mei", "follow_up", "Lookbook <b>please</b>"),
        ("Louis (Paris Copro)", "pass", ""),
    ]
    summary = client_for(published, "organiser").get(url("connect_feedback_summary", published))
    html = summary.content.decode()
    assert "Lookbook &lt;b&gt;please&lt;/b&gt;" in html and "<b>please" not in html
    assert 'data-figure="answers">2 (25 %)<' in html
    assert 'data-figure="follow-up">1<' in html and 'data-figure="pass">1<' in html


def test_feedback_on_a_seat_of_another_session_is_a_404(published):
    other = ConnectSession.objects.create(
        edition=published.edition,
        name="Other",
        starts_at=published.session.starts_at,
        rounds=1,
        round_minutes=20,
        tables=1,
        state=SessionState.PUBLISHED,
    )
    seat = ConnectSeat.objects.first()
    response = client_for(published, "producer").post(
        reverse("financing:connect_feedback", args=[other.pk, seat.pk]), {"verdict": "pass"}
    )
    assert response.status_code == 404


def test_posts_need_the_csrf_token(world):
    world.open()
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.mei.user)
    response = client.post(
        url("connect_register", world), {"side": "producer", "project": world.mei_project.pk}
    )
    assert response.status_code == 403
    assert ConnectRegistration.objects.count() == 0


def test_a_producer_with_two_projects_chooses(world):
    ProjectFactory(owner=world.mei, title="Second Wind")
    world.open()
    page = text(client_for(world, "producer").get(url("connect_session", world)))
    assert "Paper Tigers" in page and "Second Wind" in page


# ---- query counts do not grow with the session ----------------------------------------------


def _queries(client: Client, page_url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(page_url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "name",
    ["connect_sheets", "connect_registrations", "connect_rotation", "connect_feedback_summary"],
)
def test_organiser_pages_cost_the_same_for_more_people(world, name):
    world.register_all()
    world.build()
    client = client_for(world, "organiser")
    small = _queries(client, url(name, world))
    world.session = services.session_set_state(
        actor=world.organiser, session=world.session, to_state="open"
    )
    services.session_register(
        actor=world.lena.user,
        session=world.session,
        participant=world.lena,
        side=Side.PRODUCER,
        project=world.lena_project,
    )
    world.build()
    assert ConnectSeat.objects.count() == 4
    assert _queries(client, url(name, world)) == small


def test_the_back_office_lists_and_is_read_only_for_seats(published, staff_user):
    client = Client()
    client.force_login(staff_user)
    for model in (
        "connectsession",
        "connectregistration",
        "connectseat",
        "connectnothanks",
        "connectfeedback",
    ):
        assert client.get(f"/admin/financing/{model}/").status_code == 200
    seat = ConnectSeat.objects.first()
    assert (
        client.post(f"/admin/financing/connectseat/{seat.pk}/change/", {"round": 9}).status_code
        == 403
    )
    assert client.get("/admin/financing/connectsession/add/").status_code == 403


def test_the_list_costs_the_same_for_more_sessions(world):
    world.register_all()
    client = client_for(world, "producer")
    small = _queries(client, reverse("financing:connect_sessions"))
    for n in (3, 4):
        other = services.session_create(
            actor=world.organiser,
            edition=world.edition,
            name=f"Day {n}",
            starts_at=world.session.starts_at,
            rounds=2,
            round_minutes=20,
            tables=2,
        )
        services.session_set_state(actor=world.organiser, session=other, to_state="open")
    page = text(client.get(reverse("financing:connect_sessions")))
    assert "Day 3" in page and "Day 4" in page
    assert _queries(client, reverse("financing:connect_sessions")) == small


def test_staff_without_a_participant_profile_run_the_session(published, staff_user):
    client = Client()
    client.force_login(staff_user)
    for name in ("connect_session", "connect_registrations", "connect_rotation", "connect_sheets"):
        assert client.get(url(name, published)).status_code == 200
    assert client.get(url("connect_mine", published)).status_code == 403
    assert client.get(reverse("financing:connect_sessions")).status_code == 200
