from __future__ import annotations

import pytest
from django.test import override_settings

from reelmarket.accounts import services
from reelmarket.accounts.models import ApiToken
from reelmarket.market.enums import Role
from reelmarket.market.models import Participant
from tests.factories import UserFactory, make_user_with_roles


@pytest.mark.django_db
def test_token_is_shown_once_and_stored_hashed():
    user = UserFactory()
    token, key = services.api_token_create(user=user, name="laptop")
    assert key.startswith("rm_")
    row = ApiToken.objects.get(pk=token.pk)
    assert key not in (row.key_hash, row.prefix + row.key_hash)
    assert row.prefix == key[:10]
    assert services.api_token_authenticate(key=key) == user
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


@pytest.mark.django_db
def test_revoked_wrong_and_inactive_tokens_do_not_authenticate():
    user = UserFactory()
    token, key = services.api_token_create(user=user, name="laptop")
    assert services.api_token_authenticate(key=key + "x") is None
    assert services.api_token_authenticate(key="not-a-token") is None
    services.api_token_revoke(token=token)
    assert services.api_token_authenticate(key=key) is None
    _, key2 = services.api_token_create(user=user, name="second")
    user.is_active = False
    user.save()
    assert services.api_token_authenticate(key=key2) is None


@override_settings(LOGIN_RATE_LIMIT=3)
def test_login_is_blocked_after_the_limit_per_account():
    for _ in range(2):
        services.login_failed(username="Kenji@Example.com", client_ip="10.0.0.1")
    assert not services.login_is_blocked(username="kenji@example.com", client_ip="10.0.0.2")
    services.login_failed(username="kenji@example.com", client_ip="10.0.0.3")
    # the account is blocked from any address, case-insensitively
    assert services.login_is_blocked(username="KENJI@example.com", client_ip="10.9.9.9")
    assert not services.login_is_blocked(username="linh@example.com", client_ip="10.9.9.9")


@override_settings(LOGIN_RATE_LIMIT=2)
def test_one_address_trying_many_accounts_is_blocked_later():
    limit = 2 * services.IP_LIMIT_FACTOR
    for i in range(limit - 1):
        services.login_failed(username=f"user{i}@example.com", client_ip="10.0.0.7")
    assert not services.login_is_blocked(username="fresh@example.com", client_ip="10.0.0.7")
    services.login_failed(username="last@example.com", client_ip="10.0.0.7")
    assert services.login_is_blocked(username="fresh@example.com", client_ip="10.0.0.7")
    assert not services.login_is_blocked(username="fresh@example.com", client_ip="10.0.0.8")


@override_settings(LOGIN_RATE_LIMIT=2)
def test_success_clears_the_account_counter():
    services.login_failed(username="a@example.com", client_ip="10.0.0.1")
    services.login_succeeded(username="a@example.com", client_ip="10.0.0.1")
    services.login_failed(username="a@example.com", client_ip="10.0.0.1")
    assert not services.login_is_blocked(username="a@example.com", client_ip="10.0.0.2")


@pytest.mark.django_db
def test_sign_up_never_grants_what_was_not_asked():
    participant = services.participant_sign_up(
        email="Linh@Example.com",
        password="a-long-enough-passphrase",
        display_name="Linh Tran",
        country="VN",
        time_zone="Asia/Ho_Chi_Minh",
        roles=[Role.BUYER, Role.BUYER],
    )
    participant = Participant.objects.get(pk=participant.pk)
    assert participant.user.username == "linh@example.com"
    assert participant.user.check_password("a-long-enough-passphrase")
    assert participant.role_set == {"buyer"}
    assert participant.user.is_staff is False


def _request(remote: str, forwarded: str = ""):
    from django.test import RequestFactory

    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_client_address_ignores_forwarded_for_without_trusted_proxies():
    from reelmarket.accounts.views import client_ip

    assert client_ip(_request("10.0.0.1", "6.6.6.6")) == "10.0.0.1"


@override_settings(TRUSTED_PROXY_HOPS=1)
def test_client_address_behind_one_proxy_is_the_one_it_saw():
    from reelmarket.accounts.views import client_ip

    # the client wrote 6.6.6.6 itself; our proxy appended the address it really saw
    assert client_ip(_request("10.0.0.1", "6.6.6.6, 203.0.113.9")) == "203.0.113.9"
    assert client_ip(_request("10.0.0.1")) == "10.0.0.1"


@pytest.mark.django_db
def test_my_titles_link_only_for_those_who_manage_a_catalogue(client, edition, owner_org, users):
    from tests.factories import ParticipantFactory

    unconfirmed = ParticipantFactory(
        roles=[Role.SELLER], organisation=owner_org, organisation_confirmed=False
    )
    expectations = {
        users["participant"]: False,
        unconfirmed.user: False,
        users["owner_exhibitor"]: True,
        users["organiser"]: True,
    }
    for user, shown in expectations.items():
        client.force_login(user)
        assert ('href="/catalogue/mine/"' in client.get("/").content.decode()) is shown


@pytest.mark.django_db
def test_profile_update_names_an_unknown_media_and_writes_nothing():
    from django.core.exceptions import ValidationError

    from reelmarket.accounts.services import participant_profile_update

    user = make_user_with_roles(Role.BUYER)
    me = user.participant
    with pytest.raises(ValidationError) as caught:
        participant_profile_update(
            actor=user, participant=me, values={"media": ["svod", "satellite"]}
        )
    assert caught.value.message_dict == {"media": ["Unknown media: satellite"]}
    me.refresh_from_db()
    assert me.media == []
    participant_profile_update(actor=user, participant=me, values={"media": ["svod"]})
    me.refresh_from_db()
    assert me.media == ["svod"]
