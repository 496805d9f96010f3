"""``reelmarket create-api-token EMAIL --name NAME``: prints a key the API accepts."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reelmarket.__main__ import main
from reelmarket.accounts.models import ApiToken
from reelmarket.accounts.services import api_token_authenticate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_prints_a_working_key_once(api) -> None:
    user = UserFactory(username="seller@example.com")
    out, err = StringIO(), StringIO()

    call_command(
        "create_api_token", "Seller@Example.com", name="catalogue sync", stdout=out, stderr=err
    )

    key = out.getvalue().strip()
    assert key.startswith("rm_")
    assert api_token_authenticate(key=key) == user
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.prefix) == (user, "catalogue sync", key[:10])
    assert key not in err.getvalue()
    assert "cannot be shown again" in err.getvalue()
    response = api.client.get("/api/v1/titles", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


# The console script closes the database connections when it ends (as Django's command
# runner does): that needs a real transaction, not the test's wrapping one.
@pytest.mark.django_db(transaction=True)
def test_console_script_accepts_the_hyphenated_name(capsys) -> None:
    UserFactory(username="seller@example.com")

    main(["create-api-token", "seller@example.com", "--name", "cli"])

    key = capsys.readouterr().out.strip()
    assert ApiToken.objects.get().name == "cli"
    assert api_token_authenticate(key=key) is not None


@pytest.mark.parametrize(
    ("email", "name", "message"),
    [
        ("nobody@example.com", "x", "No account with the e-mail address nobody@example.com."),
        ("seller@example.com", "  ", "--name must not be empty."),
        ("seller@example.com", "n" * 101, "--name is longer than 100 characters."),
    ],
)
def test_refuses_bad_arguments(email, name, message) -> None:
    UserFactory(username="seller@example.com")

    with pytest.raises(CommandError, match=message):
        call_command("create_api_token", email, name=name)

    assert ApiToken.objects.count() == 0


def test_refuses_inactive_accounts() -> None:
    user = UserFactory(username="gone@example.com")
    user.is_active = False
    user.save()

    with pytest.raises(CommandError, match="is not active"):
        call_command("create_api_token", "gone@example.com", name="x")
