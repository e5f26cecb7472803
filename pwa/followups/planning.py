"""Deciding, for one user at one moment, what their ready reminders become: notifications now, a
digest, or a later try (quiet hours, the daily cap, a push service that asked us to wait).

A burst becomes one digest: when `digest_min` or more reminders of one user are ready at once
(the morning after an event, when every thank-you comes due together; the end of quiet hours;
a dispatcher that was stopped for a while), or more than the day's cap has room for, the user
gets one notification that counts and names them ("You met 14 people at PyCon; 5 thank-yous due
today.") instead of one each. The digest counts once against the daily cap.
"""

from dataclasses import dataclass, field
from datetime import datetime

from . import messages
from .messages import Due
from .quiet import LocalTime

#: Keep-in-touch nudges can wait for a phone's next wake-up; the rest go out at normal urgency.
URGENCY = {"keep_in_touch": "low"}


@dataclass
class Settings:
    """How the dispatcher paces one user's notifications."""

    daily_cap: int = 10
    digest_min: int = 3

    @classmethod
    def from_config(cls, config):
        """Read REMINDER_DAILY_CAP and REMINDER_DIGEST_MIN."""
        return cls(int(config["REMINDER_DAILY_CAP"]), max(2, int(config["REMINDER_DIGEST_MIN"])))


@dataclass
class Recipient:
    """A user as the dispatcher sees them this moment."""

    local: LocalTime
    #: Subscribed devices whose push service we may post to now.
    devices: list = field(default_factory=list)
    #: Notifications already sent on the user's local day.
    sent_today: int = 0
    #: When every one of the user's push services asked us to wait (429), until when.
    paused_until: datetime | None = None


@dataclass
class Notice:
    """One notification to all of a user's devices, covering one or several follow-ups."""

    dues: list
    payload: dict
    urgency: str = "normal"

    @property
    def topic(self):
        return messages.topic_for(self.payload)


@dataclass
class Plan:
    notices: list = field(default_factory=list)
    #: (due, when to try again): not an attempt, nothing failed.
    deferred: list = field(default_factory=list)
    #: The user has no device that takes notifications.
    no_device: list = field(default_factory=list)


def plan(recipient, dues: list[Due], now, settings, met_at_event=None):
    """Decide what happens to one user's ready reminders at now."""
    if not recipient.devices and recipient.paused_until is None:
        return Plan(no_device=list(dues))
    later = recipient.local.quiet_until(now) or recipient.paused_until
    if later is None and recipient.sent_today >= settings.daily_cap:
        later = recipient.local.next_day(now)
    if later is not None:
        return Plan(deferred=[(due, later) for due in dues])
    dues = sorted(dues, key=lambda due: (due.due or now, str(due.id)))
    room = settings.daily_cap - recipient.sent_today
    if len(dues) >= settings.digest_min or len(dues) > room:
        return Plan(notices=[Notice(dues, messages.digest(dues, met_at_event or {}))])
    return Plan(
        notices=[
            Notice([due], messages.reminder(due), URGENCY.get(due.kind, "normal")) for due in dues
        ]
    )
