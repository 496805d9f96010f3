"""E-mail to applicants about their submission, in the applicant's language.

``send_submission_event`` is what the ``pitching.notify`` task runs: it reads the submission
fresh (ids in, never instances) and sends the applicant a plain-text message rendered under
their language (``meetings.notifications.language_for``: the first of the participant's
languages the site speaks, else English) and time zone. A receipt on submission, and the
decision: selected or not selected.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reelmarket.meetings.notifications import language_for
from reelmarket.pitching.eligibility import moment_in_zone
from reelmarket.pitching.models import Submission


class Event(StrEnum):
    SUBMITTED = "submitted"
    SELECTED = "selected"
    REJECTED = "rejected"


_SUBJECTS = {
    Event.SUBMITTED: lambda s: (
        _("We received “%(title)s” for %(call)s") % {"title": s.project.title, "call": s.call.name}
    ),
    Event.SELECTED: lambda s: (
        _("“%(title)s” is selected for %(call)s") % {"title": s.project.title, "call": s.call.name}
    ),
    Event.REJECTED: lambda s: (
        _("Your submission of “%(title)s” to %(call)s")
        % {"title": s.project.title, "call": s.call.name}
    ),
}


@dataclass
class Mail:
    subject: str
    body: str
    to: str
    language: str


def _site_url(path: str) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def compose(submission: Submission, event: str) -> Mail:
    """The applicant's message about ``event``, in their language and time zone."""
    event = Event(event)
    applicant = submission.applicant
    language = language_for(applicant)
    with translation.override(language), timezone.override(applicant.time_zone):
        submitted = None
        if submission.submitted_at is not None:
            submitted = moment_in_zone(submission.submitted_at, submission.call.edition.time_zone)
        context = {
            "event": event.value,
            "applicant": applicant,
            "submission": submission,
            "title": submission.project.title,
            "call": submission.call,
            "section": submission.section,
            "submitted": submitted,
            "status_url": _site_url(
                reverse("pitching:submission", kwargs={"submission_id": submission.pk})
            ),
        }
        subject = str(_SUBJECTS[event](submission))
        body = render_to_string(f"pitching/email/{event.value}.txt", context)
    return Mail(subject=subject, body=body, to=applicant.user.email, language=language)


def send_submission_event(*, submission_id: int, event: str) -> int:
    """Mail the applicant about ``event``; returns how many messages were sent (0 or 1)."""
    submission = (
        Submission.objects.select_related("call__edition", "section", "project", "applicant__user")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or not submission.applicant.user.email:
        return 0
    mail = compose(submission, event)
    return EmailMessage(subject=mail.subject, body=mail.body, to=[mail.to]).send()
