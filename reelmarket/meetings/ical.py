"""iCalendar output: a person's feed (secret URL) and one meeting's .ics.

Times are written in UTC ("...Z"), so no VTIMEZONE is needed and every calendar shows
them in its own zone. The UID is stable per meeting; SEQUENCE grows with every move or
cancellation; cancelled meetings stay in the feed with STATUS:CANCELLED so phones drop them.
"""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

import icalendar
from django.utils.translation import gettext as _

from reelmarket.market.models import Participant
from reelmarket.meetings import selectors
from reelmarket.meetings.enums import LocationKind, MeetingStatus
from reelmarket.meetings.models import Meeting

PRODID = "-//ReelMarket//Meetings//EN"
UID_DOMAIN = "reelmarket"

_STATUS = {
    MeetingStatus.PUBLISHED: "CONFIRMED",
    MeetingStatus.PROVISIONAL: "TENTATIVE",
    MeetingStatus.CANCELLED: "CANCELLED",
}


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{UID_DOMAIN}"


def _person(p: Participant | None) -> str:
    if p is None:
        return "?"
    parts = [p.display_name]
    if p.job_title:
        parts.append(p.job_title)
    if p.organisation_id:
        parts.append(p.organisation.name)
    return ", ".join(parts)


def _others(meeting: Meeting, viewer: Participant | None) -> list[Participant]:
    people = [s.participant for s in meeting.seats.all()]
    if not people:
        request = meeting.request
        people = [p for p in (request.requester, request.counterpart) if p is not None]
    return [p for p in people if viewer is None or p.pk != viewer.pk]


def location_text(meeting: Meeting) -> str:
    if meeting.location_kind == LocationKind.ONLINE:
        return meeting.online_link or _("Online")
    venue = meeting.edition.venue
    if meeting.location_kind == LocationKind.BOOTH:
        booth = meeting.booth
        return _("Booth %(booth)s (hall %(hall)s), table %(table)s, %(venue)s") % {
            "booth": booth.number,
            "hall": booth.hall.code,
            "table": meeting.table_number,
            "venue": venue,
        }
    return _("Shared meeting area, table %(table)s, %(venue)s") % {
        "table": meeting.table_number,
        "venue": venue,
    }


def meeting_event(meeting: Meeting, *, viewer: Participant | None = None) -> icalendar.Event:
    request = meeting.request
    others = _others(meeting, viewer)
    names = ", ".join(p.display_name for p in others)
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", meeting.updated_at.astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("sequence", meeting.sequence)
    event.add("status", _STATUS[MeetingStatus(meeting.status)])
    event.add("summary", _("Meeting with %(names)s") % {"names": names})
    event.add("location", location_text(meeting))
    lines = [_("With: %(people)s") % {"people": "; ".join(_person(p) for p in others)}]
    titles = [t.original_title for t in request.titles.all()]
    if titles:
        lines.append(_("Titles: %(titles)s") % {"titles": ", ".join(titles)})
    venue_zone = ZoneInfo(meeting.edition.time_zone)
    lines.append(
        _("Venue time: %(when)s (%(zone)s)")
        % {
            "when": f"{meeting.starts_at.astimezone(venue_zone):%Y-%m-%d %H:%M}",
            "zone": meeting.edition.time_zone,
        }
    )
    if request.message:
        lines.append(_("Message: %(message)s") % {"message": request.message})
    event.add("description", "\n".join(lines))
    if meeting.online_link:
        event.add("url", meeting.online_link)
    return event


def _calendar(name: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def calendar_for_participant(*, participant: Participant) -> bytes:
    """Everything published for the person, cancelled meetings included."""
    cal = _calendar(_("ReelMarket meetings: %(name)s") % {"name": participant.display_name})
    for meeting in selectors.meetings_for_feed(participant=participant):
        cal.add_component(meeting_event(meeting, viewer=participant))
    return cal.to_ical()


def calendar_for_meeting(*, meeting: Meeting, viewer: Participant | None = None) -> bytes:
    """One meeting as a downloadable .ics file."""
    cal = _calendar(_("ReelMarket meeting"))
    cal.add("method", "PUBLISH")
    cal.add_component(meeting_event(meeting, viewer=viewer))
    return cal.to_ical()
