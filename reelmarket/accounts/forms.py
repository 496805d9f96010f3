"""HTML forms of the accounts pages. They present fields; the services decide."""

from __future__ import annotations

import re
import zoneinfo
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import (
    password_validators_help_text_html,
    validate_password,
)
from django.utils.translation import gettext_lazy as _

from reelmarket.accounts.services import SELF_ASSIGNABLE_ROLES
from reelmarket.catalogue.avails.territories import GROUPS, country_choices
from reelmarket.catalogue.enums import Genre, MediaChoices, TitleKind
from reelmarket.market.enums import Attendance, BudgetRange, Role, Visibility
from reelmarket.market.models import Organisation
from reelmarket.web import formatting

_ZONES = sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC")


def time_zone_choices() -> list[tuple[str, str]]:
    return [(z, z.replace("_", " ")) for z in _ZONES]


def is_time_zone(value: str) -> bool:
    return value in _ZONES


def localized_country_choices() -> list[tuple[str, str]]:
    """Countries named in the viewer's language, sorted by that name."""
    named = [(code, formatting.country_name(code)) for code, _name in country_choices()]
    return sorted(named, key=lambda item: item[1].casefold())


def localized_territory_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Territory groups, then countries, as ``<optgroup>`` choices."""
    groups = [(code, formatting.country_name(code)) for code in GROUPS]
    return [
        (str(_("Regions")), groups),
        (str(_("Countries")), localized_country_choices()),
    ]


def role_choices() -> list[tuple[str, str]]:
    return [(value, label) for value, label in Role.choices if value in SELF_ASSIGNABLE_ROLES]


class TagListField(forms.CharField):
    """A comma- or space-separated list of short codes (language tags), as a list."""

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        return [part for part in re.split(r"[\s,;]+", text) if part]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("You log in with this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    display_name = forms.CharField(
        label=_("Name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    country = forms.ChoiceField(label=_("Country"))
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("Your agenda is shown in this time zone, with the venue's beside it."),
    )
    roles = forms.MultipleChoiceField(
        label=_("I come to the market as"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role.")},
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("— none / not listed —"),
        help_text=_("Pick your company if it is listed; the organisers can add it later."),
    )
    attendance = forms.ChoiceField(
        label=_("I attend"), choices=Attendance.choices, initial=Attendance.IN_PERSON
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("— choose —")), *localized_country_choices()]
        self.fields["time_zone"].choices = time_zone_choices()
        self.fields["roles"].choices = role_choices()
        # What the configured validators ask for, in their own (translated) words.
        self.fields["password"].help_text = password_validators_help_text_html()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        password, email = data.get("password"), data.get("email", "")
        if password and self.errors:
            # The service checks the password too; asking here as well lets a form with
            # other mistakes show every complaint at once (the password is not re-shown).
            try:
                validate_password(password, user=_user_like(email))
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


def _user_like(email: str) -> Any:
    username = (email or "").strip().lower()
    return get_user_model()(username=username, email=username)


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Name"), max_length=150)
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    country = forms.ChoiceField(label=_("Country"))
    time_zone = forms.ChoiceField(label=_("Time zone"))
    languages = TagListField(
        label=_("Languages you work in"),
        required=False,
        help_text=_("Language tags separated by commas, e.g. en, zh-Hant, ja."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    bio = forms.CharField(
        label=_("About"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role.")},
    )
    content_kinds = forms.MultipleChoiceField(
        label=_("Content you look for"),
        choices=TitleKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    genres = forms.MultipleChoiceField(
        label=_("Genres"),
        choices=Genre.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    territories = forms.MultipleChoiceField(
        label=_("Territories you buy for"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    media = forms.MultipleChoiceField(
        label=_("Media you buy"),
        choices=MediaChoices.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Left empty, suggestions assume the media your kind of company usually buys."),
    )
    budget_range = forms.ChoiceField(
        label=_("Budget range"),
        choices=[("", _("— not stated —")), *BudgetRange.choices],
        required=False,
    )
    profile_visibility = forms.ChoiceField(
        label=_("Who sees my profile in the directory"), choices=Visibility.choices
    )
    contact_visibility = forms.ChoiceField(
        label=_("Who sees my e-mail and phone"), choices=Visibility.choices
    )
    interests_visibility = forms.ChoiceField(
        label=_("Who sees my interests"), choices=Visibility.choices
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = localized_country_choices()
        self.fields["time_zone"].choices = time_zone_choices()
        self.fields["roles"].choices = role_choices()
        self.fields["territories"].choices = localized_territory_choices()


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Where you use it, e.g. “sales spreadsheet sync”."),
    )
