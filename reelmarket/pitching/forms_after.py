"""Forms of the pages after selection. They only parse input; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reelmarket.market.validators import validate_currency
from reelmarket.meetings.enums import Priority
from reelmarket.pitching.models import Call, Section, Submission
from reelmarket.pitching.services_after import (
    MAX_CHANGEOVER_MINUTES,
    MAX_FOOTAGE_MINUTES,
    MAX_NOTE,
    MAX_PITCH_MINUTES,
    AwardData,
    SessionData,
)


class _ProjectChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Submission) -> str:
        return f"{obj.project.title} · {obj.section.name}"


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    starts_at = forms.DateTimeField(
        label=_("Starts (venue time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    room = forms.CharField(label=_("Room"), max_length=100, required=False)
    section = forms.ModelChoiceField(
        label=_("Section"),
        queryset=Section.objects.none(),
        required=False,
        empty_label=_("Any section"),
    )
    pitch_minutes = forms.IntegerField(
        label=_("Pitch (minutes)"), min_value=1, max_value=MAX_PITCH_MINUTES, initial=15
    )
    footage_minutes = forms.IntegerField(
        label=_("Footage for works in progress (minutes)"),
        min_value=0,
        max_value=MAX_FOOTAGE_MINUTES,
        initial=5,
    )
    changeover_minutes = forms.IntegerField(
        label=_("Changeover (minutes)"), min_value=0, max_value=MAX_CHANGEOVER_MINUTES, initial=5
    )

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["section"].queryset = call.sections.order_by("position", "id")

    def clean_starts_at(self) -> Any:
        """The time is typed in the edition's zone, whatever the viewer's zone is."""
        value = self.cleaned_data["starts_at"]
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        return value.replace(tzinfo=self.call.edition.zone)

    def data_object(self) -> SessionData:
        d = self.cleaned_data
        return SessionData(
            title=d["title"],
            starts_at=d["starts_at"],
            room=d["room"],
            section=d["section"],
            pitch_minutes=d["pitch_minutes"],
            footage_minutes=d["footage_minutes"],
            changeover_minutes=d["changeover_minutes"],
        )

    @classmethod
    def initial_for(cls, session: Any) -> dict[str, Any]:
        return {
            "title": session.title,
            "starts_at": session.starts_at.astimezone(session.call.edition.zone).replace(
                tzinfo=None
            ),
            "room": session.room,
            "section": session.section_id,
            "pitch_minutes": session.pitch_minutes,
            "footage_minutes": session.footage_minutes,
            "changeover_minutes": session.changeover_minutes,
        }


class AddProjectForm(forms.Form):
    submission = _ProjectChoice(label=_("Project"), queryset=Submission.objects.none())

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submission"].queryset = choices


class MoveForm(forms.Form):
    submission = forms.IntegerField(min_value=1)
    delta = forms.IntegerField(min_value=-1000, max_value=1000)


class WishForm(forms.Form):
    priority = forms.ChoiceField(
        label=_("How much it matters"), choices=Priority.choices, initial=Priority.MEET
    )
    note = forms.CharField(
        label=_("Note for the organisers and the producer (optional)"),
        max_length=MAX_NOTE,
        required=False,
        widget=forms.TextInput(),
    )


class ProjectFilterForm(forms.Form):
    section = forms.CharField(required=False)
    country = forms.CharField(required=False, max_length=2)
    genre = forms.CharField(required=False, max_length=60)


class AwardForm(forms.Form):
    name = forms.CharField(label=_("Award"), max_length=150)
    sponsor = forms.CharField(label=_("Sponsor"), max_length=150, required=False)
    prize = forms.CharField(label=_("Prize"), max_length=200, required=False)
    cash = forms.DecimalField(
        label=_("Cash prize"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    currency = forms.CharField(
        label=_("Currency"), max_length=3, initial="USD", validators=[validate_currency]
    )

    def clean_currency(self) -> str:
        return self.cleaned_data["currency"].upper()

    def data_object(self) -> AwardData:
        d = self.cleaned_data
        return AwardData(
            name=d["name"],
            sponsor=d["sponsor"],
            prize=d["prize"],
            cash=d["cash"],
            currency=d["currency"],
        )


class WinnerForm(forms.Form):
    winner = _ProjectChoice(
        label=_("Winner"),
        queryset=Submission.objects.none(),
        required=False,
        empty_label=_("No winner yet"),
    )

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["winner"].queryset = choices
