"""Background work of the Producers Connect sessions: after publication, each registered
person gets their rounds by e-mail, in their language and time zone (the "mail" queue; ids
in; idempotent reads — a task run twice sends the same message twice, never a wrong one).

The task layer registers the tasks of the modules it imports: ``services_connect`` imports
this module, so the web process knows the task; a Celery worker that autodiscovers
``financing.tasks`` needs that module to import this one.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reelmarket.config.tasks import enqueue, task
from reelmarket.financing.enums_connect import SessionState
from reelmarket.financing.models import ConnectRegistration, ConnectSession
from reelmarket.financing.selectors_connect import my_rounds
from reelmarket.meetings.notifications import language_for
from reelmarket.web.formatting import dual_time


def send_published(*, session_id: int) -> int:
    """Mail every registered person of a published session their rounds; returns the count
    sent (people without a meeting are told so too: they may still come to the room)."""
    session = ConnectSession.objects.select_related("edition").filter(pk=session_id).first()
    if session is None or session.state != SessionState.PUBLISHED:
        return 0
    url = getattr(settings, "SITE_URL", "").rstrip("/") + reverse(
        "financing:connect_mine", args=[session.pk]
    )
    sent = 0
    people = (
        ConnectRegistration.objects.filter(session=session)
        .select_related("participant__user", "session__edition")
        .order_by("pk")
    )
    for registration in people.iterator():
        recipient = registration.participant
        if not recipient.user.email:
            continue
        with translation.override(language_for(recipient)), timezone.override(recipient.time_zone):
            rounds = my_rounds(
                user=recipient.user, registration=registration, now=session.starts_at
            )
            lines = [
                {
                    "round": row.number,
                    "when": dual_time(row.starts_at, venue_zone=session.edition.time_zone),
                    "table": row.table,
                    "who": row.counterpart.participant.display_name,
                    "project": row.project.title if row.project else "",
                }
                for row in rounds
            ]
            subject = _("Your Producers Connect rounds: %(session)s") % {"session": session.name}
            body = render_to_string(
                "financing/connect/email/published.txt",
                {"recipient": recipient, "session": session, "rows": lines, "url": url},
            )
        sent += EmailMessage(subject=subject, body=body, to=[recipient.user.email]).send()
    return sent


@task(name="financing.connect_announce_published", queue="mail")
def announce_published_task(*, session_id: int) -> None:
    send_published(session_id=session_id)


def announce_published(*, session_id: int) -> None:
    """Queue the mails for when the current transaction commits."""
    enqueue(announce_published_task, session_id=session_id)
