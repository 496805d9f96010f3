"""HTML forms of the Producers Connect sessions. They parse input; the rules (bounds, the
edition's days, who may bring which project) are the services' and come back as field
errors through ``apply_error``."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from reelmarket.financing.enums_connect import (
    FEEDBACK_NOTE_MAX,
    MAX_BREAK_MINUTES,
    MAX_ROUND_MINUTES,
    MAX_ROUNDS,
    MAX_TABLES,
    MIN_ROUND_MINUTES,
    Side,
    Verdict,
)
from reelmarket.financing.errors_connect import ConnectError
from reelmarket.financing.models import ConnectSession, Project
from reelmarket.market.models import Edition


def apply_error(form: forms.Form, exc: ConnectError) -> None:
    """Show a refused rule on its field (or on the form when it names none)."""
    field = exc.field if exc.field in form.fields else None
    if exc.field == "starts_at" and "day" in form.fields:
        field = "day"
    form.add_error(field, exc.message)


class SessionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    day = forms.DateField(
        label=_("Day"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("A day of the edition."),
    )
    start_time = forms.TimeField(
        label=_("First round starts (venue time)"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    rounds = forms.IntegerField(
        label=_("Rounds"),
        min_value=1,
        max_value=MAX_ROUNDS,
        error_messages={
            "min_value": _("A session has at least one round."),
            "max_value": _("A session has at most %(limit_value)s rounds."),
        },
    )
    round_minutes = forms.IntegerField(
        label=_("Minutes per round"),
        min_value=MIN_ROUND_MINUTES,
        max_value=MAX_ROUND_MINUTES,
        initial=20,
        error_messages={
            "min_value": _("A round lasts at least %(limit_value)s minutes."),
            "max_value": _("A round lasts at most %(limit_value)s minutes."),
        },
    )
    break_minutes = forms.IntegerField(
        label=_("Break between rounds (minutes)"),
        min_value=0,
        max_value=MAX_BREAK_MINUTES,
        initial=5,
    )
    tables = forms.IntegerField(
        label=_("Tables"),
        min_value=1,
        max_value=MAX_TABLES,
        error_messages={
            "min_value": _("A session needs at least one table."),
            "max_value": _("A session has at most %(limit_value)s tables."),
        },
    )
    room = forms.CharField(label=_("Room"), max_length=160, required=False)
    table_labels = forms.CharField(
        label=_("Table labels"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: one label per table, separated by commas (A1, A2, …)."),
    )

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.fields["day"].widget.attrs.update(
            min=edition.starts_on.isoformat(), max=edition.ends_on.isoformat()
        )

    @classmethod
    def initial_for(cls, session: ConnectSession) -> dict[str, Any]:
        local = session.local_start()
        return {
            "name": session.name,
            "description": session.description,
            "day": local.date(),
            "start_time": local.time().replace(second=0, microsecond=0),
            "rounds": session.rounds,
            "round_minutes": session.round_minutes,
            "break_minutes": session.break_minutes,
            "tables": session.tables,
            "room": session.room,
            "table_labels": ", ".join(session.table_labels or []),
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        start: time = data["start_time"]
        starts_at = datetime.combine(data["day"], start, tzinfo=ZoneInfo(self.edition.time_zone))
        labels = [x.strip() for x in data["table_labels"].replace("\n", ",").split(",")]
        return {
            "name": data["name"],
            "description": data["description"],
            "starts_at": starts_at,
            "rounds": data["rounds"],
            "round_minutes": data["round_minutes"],
            "break_minutes": data["break_minutes"],
            "tables": data["tables"],
            "room": data["room"],
            "table_labels": [x for x in labels if x],
        }


class RegisterForm(forms.Form):
    side = forms.ChoiceField(
        label=_("I take part as"), choices=Side.choices, widget=forms.RadioSelect
    )
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.none(), required=False
    )

    def __init__(self, *args: Any, projects: Any, can_partner: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        choices = []
        if projects.exists():
            choices.append((Side.PRODUCER.value, Side.PRODUCER.label))
        if can_partner:
            choices.append((Side.PARTNER.value, Side.PARTNER.label))
        self.fields["side"].choices = choices
        if len(choices) == 1:
            self.fields["side"].initial = choices[0][0]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("side") == Side.PRODUCER and not data.get("project"):
            self.add_error("project", _("Choose the project you bring to the session."))
        return data


class FeedbackForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("After this meeting"), choices=Verdict.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note (only the organisers see it)"),
        required=False,
        max_length=FEEDBACK_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BuildForm(forms.Form):
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=2**31 - 1,
        initial=0,
        help_text=_("Another seed shuffles equally good rotations (which round a meeting is in)."),
    )
