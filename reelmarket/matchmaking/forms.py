"""HTML forms of the "For you" pages: a verdict on a suggestion, a meeting request from one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reelmarket.catalogue.models import Title
from reelmarket.financing.models import Project
from reelmarket.market.models import Participant
from reelmarket.matchmaking.enums import TargetKind, Verdict


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(choices=TargetKind.choices)
    verdict = forms.ChoiceField(choices=Verdict.choices)
    title = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    person = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    project = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)

    def targets(self) -> dict[str, Any]:
        """The referenced rows (None when absent); a missing row is a form error."""
        found: dict[str, Any] = {}
        for name, model in (("title", Title), ("person", Participant), ("project", Project)):
            pk = self.cleaned_data.get(name)
            found[name] = None
            if pk:
                obj = model.objects.filter(pk=pk).first()
                if obj is None:
                    self.add_error(name, _("This no longer exists."))
                found[name] = obj
        return found


class MeetingFromSuggestionForm(forms.Form):
    message = forms.CharField(
        label=_("Message (optional)"), required=False, max_length=2000, widget=forms.Textarea
    )


class InterestForm(forms.Form):
    text = forms.CharField(
        label=_("What are you looking for?"),
        max_length=120,
        help_text=_("In your own words, e.g. “coming-of-age”, “family animation set at sea”."),
    )
