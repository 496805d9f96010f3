"""HTML forms of the meetings pages. They validate input only; services decide."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reelmarket.catalogue.models import Title
from reelmarket.market.enums import Role
from reelmarket.meetings.enums import LocationKind, Place, Priority, SchedulingMode

MESSAGE_MAX = 2000


class RequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=MESSAGE_MAX,
        help_text=_("What you would like to talk about."),
    )
    titles = forms.ModelMultipleChoiceField(
        label=_("Titles to discuss"),
        queryset=Title.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    priority = forms.ChoiceField(
        label=_("How much does this meeting matter to you?"),
        choices=Priority.choices,
        initial=Priority.MEET,
    )

    def __init__(self, *args: Any, titles: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if titles is not None:
            self.fields["titles"].queryset = titles


class AcceptForm(forms.Form):
    """Accepting (optimiser mode: the organisers place the meeting later)."""

    priority = forms.ChoiceField(
        label=_("Your priority"), choices=Priority.choices, initial=Priority.MEET
    )


class DeclineForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)
    no_thanks = forms.BooleanField(
        label=_("No thanks: do not let this person ask me again at this edition"),
        required=False,
    )


class CancelForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)


def place_key(place: Place) -> str:
    """``booth:12`` / ``shared`` / ``online``: a place as one form value."""
    if place.kind == LocationKind.BOOTH:
        return f"booth:{place.booth_id}"
    return str(place.kind)


def parse_place(value: str) -> Place:
    kind, _sep, booth = value.partition(":")
    if kind == LocationKind.BOOTH and booth.isdigit():
        return Place.booth(int(booth))
    if kind == LocationKind.SHARED and not booth:
        return Place.shared()
    if kind == LocationKind.ONLINE and not booth:
        return Place.online()
    raise ValueError(value)


class BookForm(forms.Form):
    """One pressed button: ``choice`` = ``<slot start ISO>|<place key>``."""

    choice = forms.CharField(max_length=80)
    priority = forms.ChoiceField(
        label=_("Your priority"), choices=Priority.choices, initial=Priority.MEET, required=False
    )
    online_link = forms.URLField(
        label=_("Video link (online meetings)"),
        required=False,
        max_length=200,
        assume_scheme="https",
    )

    def clean_choice(self) -> tuple[datetime, Place]:
        start, _sep, place = self.cleaned_data["choice"].partition("|")
        try:
            moment = datetime.fromisoformat(start)
            if moment.tzinfo is None:
                raise ValueError(start)
            return moment, parse_place(place)
        except ValueError:
            raise forms.ValidationError(_("Pick one of the offered times.")) from None


class WorkingHoursForm(forms.Form):
    time_zone = forms.ChoiceField(label=_("Your time zone"), choices=())
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zones = sorted(zoneinfo.available_timezones())
        self.fields["time_zone"].choices = [(z, z) for z in zones]


class GridForm(forms.Form):
    """The organiser's grid settings (``services.grid_configure``)."""

    mode = forms.ChoiceField(label=_("Scheduling mode"), choices=SchedulingMode.choices)
    slot_minutes = forms.IntegerField(label=_("Slot length (minutes)"), min_value=5, max_value=240)
    day_start = forms.TimeField(
        label=_("First slot starts (venue time)"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    day_end = forms.TimeField(
        label=_("Last slot ends (venue time)"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    days = forms.MultipleChoiceField(
        label=_("Meeting days"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every day of the edition."),
    )
    request_expiry_hours = forms.IntegerField(
        label=_("Pending requests expire after (hours)"), min_value=1, max_value=24 * 60
    )
    shared_tables = forms.IntegerField(label=_("Tables in the shared area"), min_value=0)
    shared_reserve = forms.IntegerField(
        label=_("Shared tables held back by the organisers"), min_value=0
    )

    QUOTA_ROLES = (Role.BUYER, Role.SELLER, Role.PRODUCER, Role.INVESTOR, Role.PRESS)

    def __init__(self, *args: Any, edition_days: list[date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [(d.isoformat(), d.isoformat()) for d in edition_days]
        for role in self.QUOTA_ROLES:
            self.fields[f"quota_{role.value}"] = forms.IntegerField(
                label=_("Requests per %(role)s") % {"role": role.label},
                min_value=0,
                required=False,
                help_text=_("Empty: no limit."),
            )

    def quota_fields(self) -> list[forms.BoundField]:
        return [self[f"quota_{role.value}"] for role in self.QUOTA_ROLES]

    def quotas(self) -> dict[str, int]:
        return {
            role.value: self.cleaned_data[f"quota_{role.value}"]
            for role in self.QUOTA_ROLES
            if self.cleaned_data.get(f"quota_{role.value}") is not None
        }

    def chosen_days(self) -> list[date]:
        return [date.fromisoformat(d) for d in self.cleaned_data["days"]]
