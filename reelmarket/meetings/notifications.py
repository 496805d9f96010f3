"""E-mail about meeting requests, to the other side, in the recipient's language.

``send_request_event`` is what the ``meetings.notify`` task runs: it reads the request fresh
(ids in, never instances), picks the recipients (everyone on the request's sides except the
person who acted), and sends each one a plain-text message rendered under the recipient's
language and time zone. Scheduled, moved and cancelled meetings carry the meeting as an
.ics attachment (SEQUENCE and STATUS tell calendars to update or drop it).
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

from reelmarket.market.enums import Vetting
from reelmarket.market.models import Participant
from reelmarket.meetings.enums import RequestState
from reelmarket.meetings.ical import calendar_for_meeting, location_text
from reelmarket.meetings.models import Meeting, MeetingRequest
from reelmarket.web.formatting import dual_time


class Event(StrEnum):
    CREATED = "created"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    SCHEDULED = "scheduled"
    MOVED = "moved"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


# Events that send the meeting along as a calendar file.
WITH_CALENDAR = frozenset({Event.SCHEDULED, Event.MOVED, Event.CANCELLED})

# The site's languages, matched against the first fitting tag of a participant's languages.
_SITE_LANGUAGES = {code.lower() for code, _name in settings.LANGUAGES}
_HANT_REGIONS = ("-tw", "-hk", "-mo")


def language_for(participant: Participant) -> str:
    """The recipient's language: the first of their languages the site speaks, else English.

    ``zh-Hant``, ``zh-HK``, ``zh-TW`` read Traditional Chinese; ``zh``, ``zh-Hans``,
    ``zh-CN`` read Simplified Chinese.
    """
    for tag in participant.languages or []:
        tag = str(tag).lower()
        if tag.startswith("zh"):
            hant = tag.startswith("zh-hant") or tag.endswith(_HANT_REGIONS)
            code = "zh-hant" if hant else "zh-hans"
        else:
            code = tag.split("-")[0]
        if code in _SITE_LANGUAGES:
            return code
    return settings.LANGUAGE_CODE


def _site_url(path: str) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def _company_staff(request: MeetingRequest) -> list[Participant]:
    return list(
        Participant.objects.filter(
            organisation_id=request.target_organisation_id,
            organisation_confirmed=True,
            registrations__edition_id=request.edition_id,
            registrations__vetting=Vetting.APPROVED,
        )
        .select_related("user", "organisation")
        .distinct()
    )


def recipients_for(
    request: MeetingRequest, event: str, *, actor_id: int | None
) -> list[Participant]:
    """The request's sides without the person who acted (organisers acting mail both)."""
    if event == Event.EXPIRED:
        people = [request.requester]
    else:
        other = request.counterpart or request.target_person
        people = [request.requester] + ([other] if other else _company_staff(request))
    seen: set[int] = set()
    out = []
    for person in people:
        if person.pk == actor_id or person.pk in seen or not person.user.email:
            continue
        seen.add(person.pk)
        out.append(person)
    return out


@dataclass
class Mail:
    subject: str
    body: str
    to: str
    language: str
    attachment: bytes | None = None


_SUBJECTS = {
    Event.CREATED: lambda name: _("Meeting request from %(name)s") % {"name": name},
    Event.ACCEPTED: lambda name: _("%(name)s accepted your meeting request") % {"name": name},
    Event.DECLINED: lambda name: _("%(name)s declined your meeting request") % {"name": name},
    Event.SCHEDULED: lambda name: _("Meeting with %(name)s scheduled") % {"name": name},
    Event.MOVED: lambda name: _("Meeting with %(name)s moved") % {"name": name},
    Event.CANCELLED: lambda name: _("Meeting with %(name)s cancelled") % {"name": name},
    Event.EXPIRED: lambda name: _("Your meeting request to %(name)s expired") % {"name": name},
}


def _other_name(request: MeetingRequest, recipient: Participant) -> str:
    if recipient.pk != request.requester_id:
        return request.requester.display_name
    if request.counterpart is not None:
        return request.counterpart.display_name
    if request.target_person is not None:
        return request.target_person.display_name
    return request.target_organisation.name if request.target_organisation else "?"


def compose(request: MeetingRequest, event: str, recipient: Participant) -> Mail:
    """One recipient's message, in their language and time zone."""
    event = Event(event)
    language = language_for(recipient)
    meeting: Meeting | None = getattr(request, "meeting", None)
    with translation.override(language), timezone.override(recipient.time_zone):
        when = None
        if meeting is not None:
            when = dual_time(meeting.starts_at, venue_zone=request.edition.time_zone)
        context = {
            "event": event.value,
            "recipient": recipient,
            "request": request,
            "other": _other_name(request, recipient),
            "titles": [t.original_title for t in request.titles.all()],
            "meeting": meeting,
            "when": when,
            "location": location_text(meeting) if meeting is not None else "",
            "state": RequestState(request.state).label,
            "requests_url": _site_url(reverse("meetings:requests")),
            "agenda_url": _site_url(reverse("meetings:agenda")),
        }
        subject = str(_SUBJECTS[event](context["other"]))
        body = render_to_string(f"meetings/email/{event.value}.txt", context)
        attachment = None
        if event in WITH_CALENDAR and meeting is not None:
            attachment = calendar_for_meeting(meeting=meeting, viewer=recipient)
    return Mail(
        subject=subject,
        body=body,
        to=recipient.user.email,
        language=language,
        attachment=attachment,
    )


def send_request_event(*, request_id: int, event: str, actor_id: int | None = None) -> int:
    """Mail the other side about ``event`` on the request; returns how many were sent."""
    request = (
        MeetingRequest.objects.select_related(
            "edition",
            "requester__user",
            "target_person__user",
            "target_organisation",
            "counterpart__user",
        )
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        return 0
    sent = 0
    for recipient in recipients_for(request, event, actor_id=actor_id):
        mail = compose(request, event, recipient)
        message = EmailMessage(subject=mail.subject, body=mail.body, to=[mail.to])
        if mail.attachment is not None:
            message.attach("meeting.ics", mail.attachment, "text/calendar")
        sent += message.send()
    return sent
