"""Local time for reminders: quiet hours and the user's day, in the user's own time zone.

Quiet hours are wall-clock times ("21:00" to "08:00"), so across a daylight-saving change the night
is an hour shorter or longer in real time, and the reminder still arrives at 08:00 on the clock.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True)
class LocalTime:
    """A user's time zone and quiet hours (start == end means none)."""

    zone: ZoneInfo
    quiet_start: time
    quiet_end: time

    @classmethod
    def of(cls, timezone, quiet_start="21:00", quiet_end="08:00"):
        """Build from the user's settings (an unknown zone falls back to UTC)."""
        try:
            zone = ZoneInfo(timezone or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("UTC")
        return cls(zone, _clock(quiet_start or "21:00"), _clock(quiet_end or "08:00"))

    def quiet_until(self, now):
        """If now is inside quiet hours, return when they end (UTC); else None."""
        if self.quiet_start == self.quiet_end:
            return None
        local = now.astimezone(self.zone)
        clock, today = local.time().replace(tzinfo=None), local.date()
        if self.quiet_start < self.quiet_end:  # e.g. 13:00-14:00, within one day
            if self.quiet_start <= clock < self.quiet_end:
                return self.at(today, self.quiet_end)
            return None
        if clock >= self.quiet_start:  # e.g. 21:00-08:00: the evening part
            return self.at(today + timedelta(days=1), self.quiet_end)
        if clock < self.quiet_end:  # the morning part
            return self.at(today, self.quiet_end)
        return None

    def allowed_from(self, moment):
        """The first moment at or after `moment` outside quiet hours."""
        end = self.quiet_until(moment)
        return moment if end is None else end

    def day(self, now):
        """The user's local date at now."""
        return now.astimezone(self.zone).date()

    def next_day(self, now):
        """The first moment of the user's next local day, moved out of quiet hours."""
        return self.allowed_from(self.at(self.day(now) + timedelta(days=1), time(0, 0)))

    def at(self, day, clock):
        """The UTC instant of a local date and wall-clock time. A time the clocks skip (spring
        forward) means the moment they jump past it; a time that happens twice, the first."""
        wall = datetime.combine(day, clock)
        moment = wall.replace(tzinfo=self.zone).astimezone(UTC)
        if self._wall(moment) == wall:
            return moment
        # Skipped: the jump lies between the readings with the offsets before and after it.
        early = wall.replace(tzinfo=self.zone, fold=1).astimezone(UTC)
        late = max(moment, early)
        early = min(moment, early)
        while late - early > timedelta(seconds=1):
            middle = early + (late - early) / 2
            if self._wall(middle) >= wall:
                late = middle
            else:
                early = middle
        return late.replace(microsecond=0) + timedelta(seconds=1 if late.microsecond else 0)

    def _wall(self, moment):
        return moment.astimezone(self.zone).replace(tzinfo=None)


def _clock(value):
    hours, _, minutes = str(value).partition(":")
    return time(int(hours), int(minutes or 0))
