"""Background work of the jury review: tell reviewers they have new submissions to read.

Ids in; the message is rendered in the reviewer's language (``language_for``: the first of
their languages the site speaks, else English). Queued by ``services_review.review_assign``
when its transaction commits, one message per reviewer who got new work.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from reelmarket.config.tasks import enqueue, task
from reelmarket.meetings.notifications import language_for
from reelmarket.pitching.models import Reviewer
from reelmarket.pitching.selectors_review import my_reviews


def compose_new_reviews(*, reviewer: Reviewer, new: int) -> EmailMessage:
    participant = reviewer.participant
    mine = my_reviews(reviewer=reviewer)
    with translation.override(language_for(participant)):
        subject = ngettext(
            "%(n)d new submission to review for %(call)s",
            "%(n)d new submissions to review for %(call)s",
            new,
        ) % {"n": new, "call": reviewer.call.name}
        path = reverse("pitching:review_mine", kwargs={"call_id": reviewer.call_id})
        body = render_to_string(
            "pitching/review/email/new_reviews.txt",
            {
                "reviewer": participant,
                "call": reviewer.call,
                "new": new,
                "left": mine.total - mine.done,
                "anonymised": reviewer.call.anonymised_review,
                "url": getattr(settings, "SITE_URL", "").rstrip("/") + path,
            },
        )
    return EmailMessage(subject=str(subject), body=body, to=[participant.user.email])


@task(name="pitching.review_notify", queue="mail")
def notify_new_reviews(*, reviewer_id: int, new: int) -> int:
    """Mail one reviewer about ``new`` assignments; returns messages sent (0 or 1)."""
    reviewer = (
        Reviewer.objects.select_related("participant__user", "call")
        .filter(pk=reviewer_id, active=True)
        .first()
    )
    if reviewer is None or new < 1 or not reviewer.participant.user.email:
        return 0
    return compose_new_reviews(reviewer=reviewer, new=new).send()


def announce_new_reviews(*, counts: dict[int, int]) -> None:
    """Queue one message per reviewer (``reviewer id -> new assignments``) on commit."""
    for reviewer_id, new in sorted(counts.items()):
        if new > 0:
            enqueue(notify_new_reviews, reviewer_id=reviewer_id, new=new)
