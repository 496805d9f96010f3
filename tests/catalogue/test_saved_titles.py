"""Saved titles: the service, the Save / Saved button, the "Saved titles" page and the API.

Who may save: participants who may see the title, except its own company and organisers.
"""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reelmarket.catalogue.behaviour import (
    title_save,
    title_save_or_get,
    title_unsave,
)
from reelmarket.catalogue.models import SavedTitle
from reelmarket.market.enums import Role
from tests.api.conftest import Api, assert_error
from tests.concurrency import require_postgres, run_concurrently
from tests.factories import TitleFactory, TitleTextFactory, make_user_with_roles

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant", "other_exhibitor", "owner_exhibitor", "organiser"]
SAVERS = {"participant", "other_exhibitor"}
LOGIN = reverse("accounts:login")


@pytest.fixture
def api(client: Client) -> Api:
    return Api(client)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def saved_ids(user) -> list[int]:
    return list(
        SavedTitle.objects.filter(participant__user=user)
        .order_by("title_id")
        .values_list("title_id", flat=True)
    )


# --- the service -----------------------------------------------------------------------------


def test_saving_twice_keeps_one_row(users, title):
    buyer = users["participant"]
    first, created = title_save_or_get(actor=buyer, title=title)
    again, created_again = title_save_or_get(actor=buyer, title=title)
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert title_save(actor=buyer, title=title).pk == first.pk
    assert SavedTitle.objects.count() == 1


def test_unsave_is_idempotent(users, title):
    buyer = users["participant"]
    title_save(actor=buyer, title=title)
    title_unsave(actor=buyer, title=title)
    title_unsave(actor=buyer, title=title)
    assert SavedTitle.objects.count() == 0


@pytest.mark.parametrize("role", ["owner_exhibitor", "organiser"])
def test_own_company_and_organisers_may_not_save(users, role, title):
    with pytest.raises(PermissionDenied):
        title_save(actor=users[role], title=title)
    assert SavedTitle.objects.count() == 0


def test_an_unpublished_title_cannot_be_saved_but_a_saved_one_can_be_removed(users, title):
    buyer = users["participant"]
    title_save(actor=buyer, title=title)
    title.is_published = False
    title.save()
    other = TitleFactory(owner=title.owner, is_published=False)
    with pytest.raises(PermissionDenied):
        title_save(actor=buyer, title=other)
    title_unsave(actor=buyer, title=title)
    assert SavedTitle.objects.count() == 0


def test_a_user_without_participant_profile_cannot_save(staff_user, title):
    with pytest.raises(PermissionDenied):
        title_save(actor=staff_user, title=title)
    with pytest.raises(PermissionDenied):
        title_unsave(actor=staff_user, title=title)


def test_unconfirmed_staff_of_the_owner_may_save(owner_org, title):
    """Claiming a company at sign-up is not working for it (rules.works_for)."""
    claimer = make_user_with_roles(Role.BUYER, organisation=owner_org, organisation_confirmed=False)
    title_save(actor=claimer, title=title)
    assert saved_ids(claimer) == [title.pk]


# --- the Save / Saved button -----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_title_page_shows_the_button_to_savers_only(users, role, title):
    page = client_for(users[role]).get(reverse("catalogue:detail", args=[title.pk]))
    assert page.status_code == 200
    shown = f'id="save-title-{title.pk}"' in page.content.decode()
    assert shown is (role in SAVERS)


def test_title_page_shows_saved_state(users, title):
    buyer = users["participant"]
    title_save(actor=buyer, title=title)
    page = client_for(buyer).get(reverse("catalogue:detail", args=[title.pk])).content.decode()
    assert 'aria-pressed="true"' in page
    assert 'name="action" value="unsave"' in page


@pytest.mark.parametrize("role", ROLES)
def test_save_post_per_role(users, role, title):
    url = reverse("catalogue:save", args=[title.pk])
    response = client_for(users[role]).post(url, {"action": "save"})
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN}?next={url}"
        assert SavedTitle.objects.count() == 0
    elif role in SAVERS:
        assert response.status_code == 302
        assert response["Location"] == reverse("catalogue:detail", args=[title.pk])
        assert saved_ids(users[role]) == [title.pk]
    else:
        assert response.status_code == 403
        assert SavedTitle.objects.count() == 0


def test_save_without_js_goes_back_to_next_and_ignores_other_sites(users, title):
    client = client_for(users["participant"])
    url = reverse("catalogue:save", args=[title.pk])
    response = client.post(url, {"action": "save", "next": "/catalogue/?q=x"})
    assert response["Location"] == "/catalogue/?q=x"
    response = client.post(url, {"action": "unsave", "next": "https://evil.example/"})
    assert response["Location"] == reverse("catalogue:detail", args=[title.pk])
    assert SavedTitle.objects.count() == 0


def test_htmx_toggle_swaps_the_button(users, title):
    client = client_for(users["participant"])
    url = reverse("catalogue:save", args=[title.pk])
    response = client.post(url, {"action": "save"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith(f'<form class="inline save-title" id="save-title-{title.pk}"')
    assert 'aria-pressed="true"' in body
    response = client.post(url, {"action": "unsave"}, headers={"HX-Request": "true"})
    assert 'aria-pressed="false"' in response.content.decode()
    assert SavedTitle.objects.count() == 0


def test_save_needs_a_known_action_and_post(users, title):
    client = client_for(users["participant"])
    url = reverse("catalogue:save", args=[title.pk])
    assert client.post(url, {"action": "maybe"}).status_code == 400
    assert client.get(url).status_code == 405
    assert (
        client.post(reverse("catalogue:save", args=[999_999]), {"action": "save"}).status_code
        == 404
    )
    assert SavedTitle.objects.count() == 0


def test_an_unpublished_title_of_another_company_is_404(users, title):
    title.is_published = False
    title.save()
    response = client_for(users["participant"]).post(
        reverse("catalogue:save", args=[title.pk]), {"action": "save"}
    )
    assert response.status_code == 404
    assert SavedTitle.objects.count() == 0


def test_save_post_needs_csrf(users, title):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["participant"])
    response = client.post(reverse("catalogue:save", args=[title.pk]), {"action": "save"})
    assert response.status_code == 403
    assert SavedTitle.objects.count() == 0


# --- the "Saved titles" page -----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_saved_page_per_role(users, role, title):
    url = reverse("catalogue:saved")
    response = client_for(users[role]).get(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN}?next={url}"
    else:  # every participant has a list (empty for those who may not save)
        assert response.status_code == 200
        assert "You have not saved any titles yet." in response.content.decode()


def test_saved_page_without_participant_profile_is_403(staff_user):
    assert client_for(staff_user).get(reverse("catalogue:saved")).status_code == 403


def test_saved_page_lists_only_my_titles_newest_first_and_escapes(users, owner_org):
    buyer, other = users["participant"], users["other_exhibitor"]
    first = TitleFactory(owner=owner_org, original_title="First")
    evil = TitleFactory(owner=owner_org, original_title="<script>alert(1)</script>")
    TitleTextFactory(title=evil, language="en", name="<script>alert(1)</script>")
    theirs = TitleFactory(owner=owner_org, original_title="Theirs")
    title_save(actor=buyer, title=first)
    title_save(actor=buyer, title=evil)
    title_save(actor=other, title=theirs)
    response = client_for(buyer).get(reverse("catalogue:saved"))
    items = response.context["items"]
    assert [card.title.pk for _row, card in items] == [evil.pk, first.pk]
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Theirs" not in page


def test_remove_button_on_the_saved_page(users, title):
    buyer = users["participant"]
    title_save(actor=buyer, title=title)
    client = client_for(buyer)
    page = client.get(reverse("catalogue:saved")).content.decode()
    assert 'name="action" value="unsave"' in page
    response = client.post(
        reverse("catalogue:save", args=[title.pk]),
        {"action": "unsave", "next": reverse("catalogue:saved")},
    )
    assert response["Location"] == reverse("catalogue:saved")
    assert SavedTitle.objects.count() == 0


def test_an_unpublished_saved_title_is_listed_without_its_card(users, title):
    buyer = users["participant"]
    title_save(actor=buyer, title=title)
    title.is_published = False
    title.save()
    page = client_for(buyer).get(reverse("catalogue:saved")).content.decode()
    assert "Summer Lanterns — no longer published" in page
    assert reverse("catalogue:detail", args=[title.pk]) + '"' not in page


def test_nav_links_the_saved_page(users):
    page = client_for(users["participant"]).get(reverse("catalogue:list")).content.decode()
    assert f'href="{reverse("catalogue:saved")}"' in page


# --- the API ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_api_save_per_role(api, users, role, title):
    response = api.post(f"/titles/{title.pk}/save", {}, as_=users[role])
    if role == "anonymous":
        assert_error(response, 401, "unauthorized")
    elif role in SAVERS:
        assert response.status_code == 201
        body = json.loads(response.content)
        assert body["title"]["id"] == title.pk
        assert body["title"]["original_title"] == "Summer Lanterns"
        assert set(body) == {"title", "saved_at"}
        again = api.post(f"/titles/{title.pk}/save", {}, as_=users[role])
        assert again.status_code == 200
        assert saved_ids(users[role]) == [title.pk]
    else:
        assert_error(response, 403, "permission_denied")
        assert SavedTitle.objects.count() == 0


def test_api_save_unknown_or_hidden_title_is_404(api, users, title):
    assert_error(api.post("/titles/999999/save", {}, as_=users["participant"]), 404, "not_found")
    title.is_published = False
    title.save()
    response = api.post(f"/titles/{title.pk}/save", {}, as_=users["participant"])
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize("role", ROLES)
def test_api_unsave_per_role(api, users, role, title):
    if role in SAVERS:
        title_save(actor=users[role], title=title)
    response = api.delete(f"/titles/{title.pk}/save", as_=users[role])
    if role == "anonymous":
        assert_error(response, 401, "unauthorized")
    elif role == "organiser" or role in SAVERS:
        assert response.status_code == 204
        assert SavedTitle.objects.count() == 0
    else:  # the owner's staff has no list of its own titles: removing nothing is fine
        assert response.status_code == 204


def test_api_unsave_a_title_that_became_unpublished(api, users, title):
    buyer = users["participant"]
    title_save(actor=buyer, title=title)
    title.is_published = False
    title.save()
    assert api.delete(f"/titles/{title.pk}/save", as_=buyer).status_code == 204
    assert SavedTitle.objects.count() == 0
    response = api.delete(f"/titles/{title.pk}/save", as_=buyer)  # not saved, not visible
    assert_error(response, 404, "not_found")


def test_api_writes_need_csrf_with_the_session(users, title):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["participant"])
    response = client.post(f"/api/v1/titles/{title.pk}/save")
    assert_error(response, 403, "permission_denied", {})  # the session without its CSRF token
    assert SavedTitle.objects.count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_api_my_saved_titles_per_role(api, users, role, title):
    if role in SAVERS:
        title_save(actor=users[role], title=title)
    response = api.get("/me/saved-titles", as_=users[role])
    if role == "anonymous":
        assert_error(response, 401, "unauthorized")
        return
    assert response.status_code == 200
    body = json.loads(response.content)
    expected = [title.pk] if role in SAVERS else []
    assert [item["title"]["id"] for item in body["items"]] == expected
    assert (body["count"], body["page"], body["pages"]) == (len(expected), 1, 1)


def test_api_my_saved_titles_newest_first_published_only(api, users, owner_org):
    buyer = users["participant"]
    a = TitleFactory(owner=owner_org, original_title="A")
    b = TitleFactory(owner=owner_org, original_title="B")
    c = TitleFactory(owner=owner_org, original_title="C")
    for t in (a, b, c):
        title_save(actor=buyer, title=t)
    b.is_published = False
    b.save()
    body = json.loads(api.get("/me/saved-titles", as_=buyer).content)
    assert [item["title"]["original_title"] for item in body["items"]] == ["C", "A"]


def test_api_my_saved_titles_without_participant_profile_is_403(api, staff_user):
    assert_error(api.get("/me/saved-titles", as_=staff_user), 403, "permission_denied")


# --- races (PostgreSQL) ----------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_saves_make_one_row(owner_org):
    require_postgres()
    title = TitleFactory(owner=owner_org)
    buyer = make_user_with_roles(Role.BUYER)

    def save(i: int) -> bool:
        return title_save_or_get(actor=buyer, title=title)[1]

    results = run_concurrently(save, threads=8)
    assert [r for r in results if isinstance(r, BaseException)] == []
    assert sorted(results) == [False] * 7 + [True]
    assert SavedTitle.objects.filter(title=title).count() == 1


def test_unsave_of_an_unpublished_title_needs_it_saved(users, title):
    buyer, other = users["participant"], users["other_exhibitor"]
    title_save(actor=buyer, title=title)
    title.is_published = False
    title.save()
    url = reverse("catalogue:save", args=[title.pk])
    assert client_for(other).post(url, {"action": "unsave"}).status_code == 404
    response = client_for(buyer).post(url, {"action": "unsave", "next": "/catalogue/saved/"})
    assert response.status_code == 302
    assert SavedTitle.objects.count() == 0


def test_the_saved_page_costs_the_same_queries_for_more_titles(users, owner_org):
    buyer = users["participant"]
    client = client_for(buyer)
    url = reverse("catalogue:saved")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for _ in range(2):
        title_save(actor=buyer, title=TitleFactory(owner=owner_org))
    few = queries()
    for _ in range(6):
        title_save(actor=buyer, title=TitleFactory(owner=owner_org))
    assert queries() == few
