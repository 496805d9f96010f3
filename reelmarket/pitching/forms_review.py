"""HTML forms of the jury review. They check the shape of the input; the rules are the
services' (``services_review``), whose refusals the views put back on these forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reelmarket.market.models import Organisation, Participant
from reelmarket.pitching.models import Call, Criterion, Reviewer, Submission
from reelmarket.pitching.selectors_review import REVIEWED_STATES
from reelmarket.pitching.services_review import DECISION_STATES


class ReviewerAddForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the participant"),
        help_text=_("The address they sign in with."),
    )
    capacity = forms.IntegerField(
        label=_("Most submissions"),
        min_value=1,
        max_value=1000,
        required=False,
        help_text=_("Leave empty for an even share."),
    )

    def clean_email(self) -> Participant:
        email = self.cleaned_data["email"].strip()
        participant = (
            Participant.objects.filter(user__email__iexact=email).select_related("user").first()
        )
        if participant is None:
            raise forms.ValidationError(
                _("No participant signs in with %(email)s."), params={"email": email}
            )
        return participant


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Most submissions"), min_value=1, max_value=1000, required=False
    )


class ConflictForm(forms.Form):
    """An organiser records a conflict of a reviewer with a submission or a company."""

    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=Reviewer.objects.none())
    submission = forms.ModelChoiceField(
        label=_("Submission"), queryset=Submission.objects.none(), required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("or a company"), queryset=Organisation.objects.none(), required=False
    )
    note = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reviewers = Reviewer.objects.filter(call=call, active=True).select_related("participant")
        reviewer_field: Any = self.fields["reviewer"]
        reviewer_field.queryset = reviewers.order_by("participant__display_name")
        reviewer_field.label_from_instance = lambda r: r.participant.display_name
        submissions = Submission.objects.filter(call=call, state__in=REVIEWED_STATES)
        submission_field: Any = self.fields["submission"]
        submission_field.queryset = submissions.select_related("project", "section").order_by(
            "project__title", "pk"
        )
        submission_field.label_from_instance = lambda s: f"{s.project.title} · {s.section.name}"
        organisation_ids = set(submissions.values_list("organisation_id", flat=True))
        organisation_ids |= set(submissions.values_list("project__organisation_id", flat=True))
        organisation_ids |= set(submissions.values_list("applicant__organisation_id", flat=True))
        organisation_field: Any = self.fields["organisation"]
        organisation_field.queryset = Organisation.objects.filter(
            pk__in=organisation_ids - {None}
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("submission")) == bool(data.get("organisation")):
            raise forms.ValidationError(_("Choose either a submission or a company."))
        return data


class DeclareConflictForm(forms.Form):
    """A reviewer declares a conflict with a submission on their list."""

    note = forms.CharField(
        label=_("Why (seen by the organisers only)"), max_length=200, required=False
    )


class ReviewForm(forms.Form):
    """One score field per criterion (``score_<criterion id>``) and the comment."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Seen by the organisers, never by the applicant."),
    )

    def __init__(
        self,
        *args: Any,
        criteria: list[Criterion],
        disabled: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            message = _("Enter a whole number from 0 to %(max)d.") % {"max": criterion.scale_max}
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=criterion.name,
                required=False,
                min_value=0,
                max_value=criterion.scale_max,
                help_text=criterion.description,
                disabled=disabled,
                error_messages={
                    "invalid": message,
                    "min_value": message,
                    "max_value": message,
                },
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
            )
        self.fields["comment"].disabled = disabled
        self.order_fields([f"score_{c.pk}" for c in criteria] + ["comment"])

    def score_fields(self) -> list[tuple[Criterion, forms.BoundField]]:
        return [(c, self[f"score_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria}


class AssignForm(forms.Form):
    rebalance = forms.BooleanField(
        label=_("Deal the unstarted reviews again"),
        required=False,
        help_text=_(
            "For when reviewers joined late. Reviews with a score are always kept; "
            "otherwise only what is missing is added."
        ),
    )


class DecideForm(forms.Form):
    to_state = forms.ChoiceField(choices=[(s, s) for s in sorted(DECISION_STATES)])
    note = forms.CharField(max_length=2000, required=False)


class SelectTopForm(forms.Form):
    count = forms.IntegerField(label=_("Select the top"), min_value=1, max_value=1000)


class LockForm(forms.Form):
    locked = forms.BooleanField(required=False)
