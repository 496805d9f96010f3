"""Accounts pages: log-in with its rate limit, log-out, sign-up, profile, API tokens."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

from reelmarket.accounts import services
from reelmarket.accounts.models import ApiToken
from reelmarket.market.enums import Attendance, Role, Vetting, Visibility
from reelmarket.market.models import Participant, Registration
from tests.factories import PASSWORD, OrganisationFactory, make_user_with_roles

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")
SIGNUP = reverse("accounts:signup")
PROFILE = reverse("accounts:profile")
TOKENS = reverse("accounts:tokens")
BLOCKED = "Too many failed attempts; try again in 15 minutes"

ROLES = ["anonymous", "participant", "other_exhibitor", "owner_exhibitor", "organiser"]


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- log-in ---------------------------------------------------------------------------------


@pytest.fixture
def kenji(db):
    return make_user_with_roles(Role.SELLER, user__username="kenji@example.com")


@pytest.mark.django_db
def test_login_page_renders(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b'name="email"' in response.content
    assert b'name="password"' in response.content


def test_login_with_email_in_any_case_redirects_to_next(client, kenji):
    response = client.post(
        LOGIN, {"email": " Kenji@Example.COM", "password": PASSWORD, "next": "/catalogue/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/catalogue/"
    assert int(client.session["_auth_user_id"]) == kenji.pk


def test_login_refuses_a_next_url_on_another_site(client, kenji):
    response = client.post(
        LOGIN, {"email": "kenji@example.com", "password": PASSWORD, "next": "https://evil.test/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("market:home")


def test_wrong_password_is_a_form_error_and_counts(client, kenji):
    response = client.post(LOGIN, {"email": "kenji@example.com", "password": "nope"})
    assert response.status_code == 200
    assert "The e-mail address or the password is not right." in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_RATE_LIMIT=3, LOGIN_RATE_WINDOW_SECONDS=900)
def test_blocked_account_is_refused_even_with_the_right_password(client, kenji):
    for _ in range(3):
        response = client.post(LOGIN, {"email": "kenji@example.com", "password": "x"})
        assert response.status_code == 200
    response = client.post(LOGIN, {"email": "KENJI@example.com", "password": PASSWORD})
    assert response.status_code == 429
    assert BLOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_RATE_LIMIT=3)
def test_blocked_login_does_not_check_the_password(client, kenji, monkeypatch):
    for _ in range(3):
        services.login_failed(username="kenji@example.com", client_ip="127.0.0.1")
    called = []
    monkeypatch.setattr("reelmarket.accounts.views.authenticate", lambda *a, **k: called.append(1))
    response = client.post(LOGIN, {"email": "kenji@example.com", "password": PASSWORD})
    assert response.status_code == 429
    assert called == []


@override_settings(LOGIN_RATE_LIMIT=2)
def test_one_address_is_blocked_across_accounts(kenji):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for i in range(2 * services.IP_LIMIT_FACTOR):
        attacker.post(LOGIN, {"email": f"someone{i}@example.com", "password": "x"})
    response = attacker.post(LOGIN, {"email": "kenji@example.com", "password": PASSWORD})
    assert response.status_code == 429
    assert BLOCKED in response.content.decode()
    # Kenji, from his own address, still gets in.
    other = Client(REMOTE_ADDR="198.51.100.7")
    response = other.post(LOGIN, {"email": "kenji@example.com", "password": PASSWORD})
    assert response.status_code == 302


@override_settings(LOGIN_RATE_LIMIT=3)
def test_success_resets_the_account_counter(client, kenji):
    for _ in range(2):
        client.post(LOGIN, {"email": "kenji@example.com", "password": "x"})
    response = client.post(LOGIN, {"email": "kenji@example.com", "password": PASSWORD})
    assert response.status_code == 302
    client.post(LOGOUT)
    for _ in range(2):
        client.post(LOGIN, {"email": "kenji@example.com", "password": "x"})
    response = client.post(LOGIN, {"email": "kenji@example.com", "password": PASSWORD})
    assert response.status_code == 302


def test_inactive_user_cannot_log_in(client, kenji):
    kenji.is_active = False
    kenji.save()
    response = client.post(LOGIN, {"email": "kenji@example.com", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_form_needs_a_csrf_token(kenji):
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"email": "kenji@example.com", "password": PASSWORD})
    assert response.status_code == 403


# --- log-out --------------------------------------------------------------------------------


def test_logout_is_post_only(client, kenji):
    client.force_login(kenji)
    assert client.get(LOGOUT).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert response["Location"] == reverse("market:home")
    assert "_auth_user_id" not in client.session


# --- sign-up --------------------------------------------------------------------------------


def _signup_data(**overrides):
    data = {
        "email": "Linh@Example.com",
        "password": "lantern-river-orchid-42",
        "display_name": "Linh Tran",
        "country": "VN",
        "time_zone": "Asia/Ho_Chi_Minh",
        "roles": ["buyer"],
        "organisation": "",
        "attendance": Attendance.ONLINE,
    }
    data.update(overrides)
    return data


def test_signup_creates_account_profile_roles_and_pending_registration(client, edition):
    org = OrganisationFactory(name="Saigon Stream", slug="saigon-stream", country="VN")
    response = client.post(SIGNUP, _signup_data(roles=["buyer", "press"], organisation=org.pk))
    assert response.status_code == 302
    assert response["Location"] == PROFILE
    user = get_user_model().objects.get(username="linh@example.com")
    assert user.email == "linh@example.com"
    assert user.check_password("lantern-river-orchid-42")
    assert user.is_staff is False
    participant = Participant.objects.get(user=user)
    assert (participant.display_name, participant.country, participant.time_zone) == (
        "Linh Tran",
        "VN",
        "Asia/Ho_Chi_Minh",
    )
    assert participant.organisation == org
    assert participant.organisation_confirmed is False  # the organisers confirm it
    assert participant.role_set == {"buyer", "press"}
    registration = Registration.objects.get(participant=participant)
    assert (registration.edition, registration.vetting, registration.attendance) == (
        edition,
        Vetting.PENDING,
        Attendance.ONLINE,
    )
    assert int(client.session["_auth_user_id"]) == user.pk


def test_signup_never_offers_or_grants_organiser(client, edition):
    page = client.get(SIGNUP).content.decode()
    assert 'value="buyer"' in page
    assert 'value="organiser"' not in page
    response = client.post(SIGNUP, _signup_data(roles=["buyer", "organiser"]))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not get_user_model().objects.filter(username="linh@example.com").exists()


def test_signup_refuses_a_weak_password_and_writes_nothing(client, edition):
    response = client.post(SIGNUP, _signup_data(password="12345678"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "This password is too common." in page
    assert "This password is entirely numeric." in page
    assert get_user_model().objects.count() == 0
    assert Participant.objects.count() == 0


def test_signup_shows_password_problems_with_the_other_mistakes(client, edition):
    response = client.post(SIGNUP, _signup_data(password="12345678", roles=[]))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["roles"] == ["Choose at least one role."]
    assert form.errors["password"] == [
        "This password is too common.",
        "This password is entirely numeric.",
    ]
    assert Participant.objects.count() == 0


def test_signup_refuses_an_email_that_has_an_account(client, edition, kenji):
    response = client.post(SIGNUP, _signup_data(email="KENJI@example.com"))
    assert response.status_code == 200
    assert "An account with this e-mail address exists already." in response.content.decode()
    assert get_user_model().objects.filter(username="kenji@example.com").count() == 1


def test_signup_requires_a_role_and_a_known_country(client, edition):
    response = client.post(SIGNUP, _signup_data(roles=[], country="XX"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose at least one role." in page
    assert "Select a valid choice. XX is not one of the available choices." in page
    assert Participant.objects.count() == 0


def test_signup_time_zone_defaults_from_the_browser_cookie(client, edition):
    client.cookies["rm_tz"] = "Asia/Tokyo"
    page = client.get(SIGNUP).content.decode()
    assert '<option value="Asia/Tokyo" selected>' in page


def test_signup_ignores_a_bad_time_zone_cookie(client, edition):
    client.cookies["rm_tz"] = "Mars/Olympus"
    page = client.get(SIGNUP).content.decode()
    assert "Mars/Olympus" not in page
    assert '<option value="Asia/Hong_Kong" selected>' in page  # the venue's zone


@pytest.mark.django_db
def test_signup_without_an_edition_creates_no_registration(client):
    response = client.post(SIGNUP, _signup_data())
    assert response.status_code == 302
    assert Registration.objects.count() == 0


def test_signed_in_user_is_sent_from_signup_to_profile(client, kenji):
    client.force_login(kenji)
    response = client.get(SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == PROFILE


def test_sign_up_service_refuses_organiser(db):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.participant_sign_up(
            email="x@example.com",
            password="lantern-river-orchid-42",
            display_name="X",
            country="HK",
            time_zone="Asia/Hong_Kong",
            roles=[Role.ORGANISER],
        )
    assert get_user_model().objects.count() == 0


# --- profile --------------------------------------------------------------------------------


def _profile_data(**overrides):
    data = {
        "display_name": "New Name",
        "job_title": "Head of Sales",
        "country": "JP",
        "time_zone": "Asia/Tokyo",
        "languages": "ja, en",
        "phone": "+81 3 1234 5678",
        "bio": "Sales agent.",
        "roles": ["seller", "producer"],
        "content_kinds": ["feature", "animation_series"],
        "genres": ["drama", "family"],
        "territories": ["ASIA", "FR"],
        "media": ["svod", "free_tv"],
        "budget_range": "mid",
        "profile_visibility": Visibility.PUBLIC,
        "contact_visibility": Visibility.PARTICIPANTS,
        "interests_visibility": Visibility.HIDDEN,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", ROLES)
def test_profile_get_per_role(users, role):
    response = client_for(users[role]).get(PROFILE)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN}?next={PROFILE}"
    else:
        assert response.status_code == 200
        assert users[role].participant.display_name in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_profile_post_per_role_changes_only_own_profile(users, role):
    before = {p.pk: (p.display_name, p.time_zone) for p in Participant.objects.all()}
    response = client_for(users[role]).post(PROFILE, _profile_data())
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
        after = {p.pk: (p.display_name, p.time_zone) for p in Participant.objects.all()}
        assert after == before
        return
    assert response.status_code == 302
    assert response["Location"] == PROFILE
    me = Participant.objects.get(user=users[role])
    assert me.display_name == "New Name"
    assert me.languages == ["ja", "en"]
    assert me.genres == ["drama", "family"]
    assert me.territories == ["ASIA", "FR"]
    assert me.media == ["svod", "free_tv"]
    assert me.content_kinds == ["feature", "animation_series"]
    assert (me.profile_visibility, me.contact_visibility, me.interests_visibility) == (
        "public",
        "participants",
        "hidden",
    )
    expected_roles = {"seller", "producer"} | ({"organiser"} if role == "organiser" else set())
    assert me.role_set == expected_roles
    others = {p.pk: (p.display_name, p.time_zone) for p in Participant.objects.exclude(pk=me.pk)}
    assert others == {pk: v for pk, v in before.items() if pk != me.pk}


def test_profile_rejects_unknown_media_and_saves_nothing(users):
    me = users["participant"].participant
    response = client_for(users["participant"]).post(
        PROFILE, _profile_data(media=["svod", "satellite"])
    )
    assert response.status_code == 200
    assert response.context["form"].errors["media"] == [
        "Select a valid choice. satellite is not one of the available choices."
    ]
    me.refresh_from_db()
    assert (me.display_name, me.media) != ("New Name", ["svod", "satellite"])
    assert me.media == []


def test_profile_cannot_add_organiser(users):
    client = client_for(users["participant"])
    response = client.post(PROFILE, _profile_data(roles=["buyer", "organiser"]))
    assert response.status_code == 200
    assert users["participant"].participant.role_set == {"buyer"}


def test_profile_shows_bad_language_tags_and_saves_nothing(users):
    me = users["participant"].participant
    response = client_for(users["participant"]).post(
        PROFILE, _profile_data(languages="ja, English")
    )
    assert response.status_code == 200
    assert "“English” is not a language tag" in response.content.decode()
    me.refresh_from_db()
    assert me.display_name != "New Name"
    assert me.languages == []


def test_profile_escapes_what_people_type(users):
    client = client_for(users["participant"])
    client.post(PROFILE, _profile_data(display_name="<script>alert(1)</script>"))
    page = client.get(PROFILE).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_profile_shows_pending_vetting(client, edition):
    client.post(SIGNUP, _signup_data())
    page = client.get(PROFILE).content.decode()
    assert "FILMART 2025" in page
    assert "Pending review" in page


def test_profile_of_an_account_without_participant_is_404(staff_user):
    assert client_for(staff_user).get(PROFILE).status_code == 404


# --- API tokens -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_tokens_create_per_role(users, role):
    client = client_for(users[role])
    response = client.post(TOKENS, {"name": "spreadsheet sync"})
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN}?next={TOKENS}"
        assert ApiToken.objects.count() == 0
        return
    assert response.status_code == 200
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.revoked_at) == (users[role], "spreadsheet sync", None)
    key = response.context["new_key"]
    assert key.startswith("rm_")
    assert key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert services.api_token_authenticate(key=key) == users[role]
    # shown once: the next visit lists the token without its key
    page = client.get(TOKENS).content.decode()
    assert "spreadsheet sync" in page
    assert key not in page
    assert token.prefix in page


@pytest.mark.parametrize("role", ROLES)
def test_tokens_revoke_own_only(users, role):
    owner = users["owner_exhibitor"]
    token, key = services.api_token_create(user=owner, name="laptop")
    response = client_for(users[role]).post(TOKENS, {"revoke": token.pk})
    token.refresh_from_db()
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
        assert token.revoked_at is None
    elif role == "owner_exhibitor":
        assert response.status_code == 302
        assert response["Location"] == TOKENS
        assert token.revoked_at is not None
        assert services.api_token_authenticate(key=key) is None
    else:
        assert response.status_code == 404
        assert token.revoked_at is None
        assert services.api_token_authenticate(key=key) == owner


def test_token_needs_a_name(users):
    response = client_for(users["participant"]).post(TOKENS, {"name": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert ApiToken.objects.count() == 0


def test_token_list_shows_only_own_tokens(users):
    services.api_token_create(user=users["owner_exhibitor"], name="kenji-laptop")
    services.api_token_create(user=users["participant"], name="linh-phone")
    page = client_for(users["participant"]).get(TOKENS).content.decode()
    assert "linh-phone" in page
    assert "kenji-laptop" not in page


def test_token_forms_need_csrf(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["participant"])
    assert client.post(TOKENS, {"name": "x"}).status_code == 403
    assert ApiToken.objects.count() == 0
