"""GET filter forms of the public directories (exhibitors, participants).

A bad value never fails the page: the field shows its error and is not applied.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reelmarket.catalogue.forms_browse import country_choices
from reelmarket.market.enums import Role


class ExhibitorFilterForm(forms.Form):
    GROUP_PAVILION = "pavilion"
    GROUP_COUNTRY = "country"

    q = forms.CharField(
        label=_("Company name"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    group = forms.ChoiceField(
        label=_("Group by"),
        required=False,
        choices=[(GROUP_PAVILION, _("Pavilion")), (GROUP_COUNTRY, _("Country"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country")), *country_choices()]

    def value(self, name: str) -> str:
        """A cleaned value, '' when absent or invalid (call after ``is_valid()``)."""
        return getattr(self, "cleaned_data", {}).get(name) or ""


class ParticipantFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name or company"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    role = forms.ChoiceField(label=_("Role"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("Any role")), *Role.choices]
        self.fields["country"].choices = [("", _("Any country")), *country_choices()]

    def value(self, name: str) -> str:
        return getattr(self, "cleaned_data", {}).get(name) or ""
