"""``reelmarket create-api-token EMAIL --name NAME``: a token for the JSON API.

Thin: calls ``accounts.services.api_token_create``. The key is printed once; only its hash
is stored, so a lost key cannot be shown again (revoke it and create another).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reelmarket.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for the account with this e-mail address; prints the key once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The account's e-mail address (its log-in name).")
        parser.add_argument(
            "--name", required=True, help="What the token is for, e.g. 'catalogue sync'."
        )

    def handle(self, *args: Any, email: str, name: str, **options: Any) -> None:
        name = name.strip()
        if not name:
            raise CommandError("--name must not be empty.")
        if len(name) > 100:
            raise CommandError("--name is longer than 100 characters.")
        user_model = get_user_model()
        address = email.strip().lower()
        user = (
            user_model.objects.filter(username=address).first()
            or user_model.objects.filter(email__iexact=address).first()
        )
        if user is None:
            raise CommandError(f"No account with the e-mail address {address}.")
        if not user.is_active:
            raise CommandError(f"The account {address} is not active.")
        token, key = api_token_create(user=user, name=name)
        self.stderr.write(f"Token '{token.name}' created for {address}. Copy the key now;")
        self.stderr.write("it is not stored and cannot be shown again:")
        self.stdout.write(key)
