"""Pure time maths of the meeting grid (no Django).

A grid is a list of venue days; each day has the same wall-clock hours in the venue's zone,
cut into slots of equal length. Slot ``i`` of a day is bit ``i`` of that day's bitmask, the
same encoding the scheduler uses. All instants handed out are aware UTC datetimes; wall
clocks are turned into instants with ``zoneinfo``, so days on either side of a daylight
saving change come out right.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# A day's mask must fit a signed 64-bit integer column.
MAX_SLOTS_PER_DAY = 63


@dataclass(frozen=True)
class GridSpec:
    zone: str
    days: tuple[date, ...]
    day_start: time
    day_end: time
    slot_minutes: int

    @property
    def slots_per_day(self) -> int:
        return slots_per_day(self.day_start, self.day_end, self.slot_minutes)

    @property
    def full_mask(self) -> int:
        return (1 << self.slots_per_day) - 1


@dataclass(frozen=True)
class Slot:
    day: date  # the venue's calendar day
    index: int  # 0-based position within the day (bit number in the day's mask)
    start: datetime  # aware, UTC
    end: datetime  # aware, UTC


def slots_per_day(day_start: time, day_end: time, slot_minutes: int) -> int:
    if slot_minutes <= 0:
        raise ValueError("slot length must be positive")
    minutes = (day_end.hour * 60 + day_end.minute) - (day_start.hour * 60 + day_start.minute)
    if minutes <= 0:
        raise ValueError("the meeting day must end after it starts")
    return minutes // slot_minutes


def _to_utc(day: date, wall: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, wall, tzinfo=zone).astimezone(UTC)


def day_slots(spec: GridSpec, day: date) -> list[Slot]:
    """The slots of one venue day, in order."""
    zone = ZoneInfo(spec.zone)
    opening = datetime.combine(day, spec.day_start)
    step = timedelta(minutes=spec.slot_minutes)
    out = []
    for i in range(spec.slots_per_day):
        # wall-clock arithmetic: slot i starts i * length after opening on the venue's clock
        start = (opening + i * step).replace(tzinfo=zone).astimezone(UTC)
        end = (opening + (i + 1) * step).replace(tzinfo=zone).astimezone(UTC)
        out.append(Slot(day=day, index=i, start=start, end=end))
    return out


def all_slots(spec: GridSpec) -> list[Slot]:
    return [slot for day in spec.days for slot in day_slots(spec, day)]


def slot_at(spec: GridSpec, start: datetime) -> Slot | None:
    """The grid slot starting at ``start`` (any aware datetime), or None if there is none."""
    if start.tzinfo is None:
        raise ValueError("slot start must be an aware datetime")
    start = start.astimezone(UTC)
    venue_day = start.astimezone(ZoneInfo(spec.zone)).date()
    if venue_day not in spec.days:
        return None
    for slot in day_slots(spec, venue_day):
        if slot.start == start:
            return slot
    return None


def mask_of(indices: Iterable[int]) -> int:
    mask = 0
    for i in indices:
        if i < 0 or i >= MAX_SLOTS_PER_DAY:
            raise ValueError(f"slot index {i} out of range")
        mask |= 1 << i
    return mask


def indices_of(mask: int) -> list[int]:
    out = []
    i = 0
    while mask:
        if mask & 1:
            out.append(i)
        mask >>= 1
        i += 1
    return out


def _work_intervals(around: date, zone: ZoneInfo, start: time, end: time):
    """Working intervals (UTC) for local days around ``around``; overnight shifts wrap."""
    for offset in (-1, 0, 1):
        local_day = around + timedelta(days=offset)
        begin = _to_utc(local_day, start, zone)
        finish_day = local_day if end > start else local_day + timedelta(days=1)
        finish = _to_utc(finish_day, end, zone)
        yield begin, finish


def working_hours_mask(spec: GridSpec, day: date, *, zone: str, start: time, end: time) -> int:
    """Bitmask of the venue day's slots lying wholly inside someone's daily working hours.

    ``start``/``end`` are wall-clock times in the person's own ``zone`` and hold every day
    (``end`` <= ``start`` means a shift past midnight). Each slot is compared as instants,
    so a daylight-saving change on either side shifts the mapping by exactly the hour.
    """
    if start == end:
        return 0
    person_zone = ZoneInfo(zone)
    mask = 0
    for slot in day_slots(spec, day):
        local_day = slot.start.astimezone(person_zone).date()
        for begin, finish in _work_intervals(local_day, person_zone, start, end):
            if begin <= slot.start and slot.end <= finish:
                mask |= 1 << slot.index
                break
    return mask


def format_two_zones(instant: datetime, *, viewer_zone: str, venue_zone: str) -> str:
    """'09:30 (Tokyo) · 08:30 venue' style pair: the viewer's time and the venue's."""
    mine = instant.astimezone(ZoneInfo(viewer_zone))
    venue = instant.astimezone(ZoneInfo(venue_zone))
    if viewer_zone == venue_zone:
        return mine.strftime("%Y-%m-%d %H:%M %Z")
    return f"{mine:%Y-%m-%d %H:%M %Z} / {venue:%Y-%m-%d %H:%M %Z}"
