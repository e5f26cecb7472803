"""Follow-ups: the thank-you, the check-back and the keep-in-touch that make networking pay."""

import uuid
from datetime import date, datetime

from sqlalchemy import String, Text, event, inspect
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Record, UTCDateTime, db, utcnow

#: Changing any of these reschedules the follow-up's reminder.
SCHEDULE_FIELDS = ("due_at", "snoozed_until", "done_at", "deleted_at")


class FollowUp(Record, db.Model):
    __tablename__ = "followups"

    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        db.ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    #: thank_you, check_back, keep_in_touch or custom.
    kind: Mapped[str | None] = mapped_column(String(20))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    note: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # The reminder: kept by the server (the dispatcher), never written by clients.
    #: When the dispatcher should next try to send the reminder; None when nothing is to send.
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: pending, sent, retrying, failed (gave up; see reminder_error) or no_device.
    reminder_status: Mapped[str | None] = mapped_column(String(16))
    #: When the reminder (alone or in a digest) last reached at least one of the user's devices.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Delivery attempts for the current due time (reset when the follow-up is rescheduled).
    reminder_attempts: Mapped[int] = mapped_column(default=0)
    #: Why the last attempt failed, in words for the user.
    reminder_error: Mapped[str | None] = mapped_column(Text)
    #: The dispatcher working on the reminder now, and until when its claim (lease) holds; after
    #: that another dispatcher may take it, so a dispatcher that died loses nothing.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def effective_due(self):
        """When the follow-up is due: its due time, or later when it is snoozed."""
        if self.snoozed_until is not None and (
            self.due_at is None or self.snoozed_until > self.due_at
        ):
            return self.snoozed_until
        return self.due_at

    def schedule_reminder(self):
        """Plan the reminder afresh for the current due time (or none: done or deleted)."""
        live = self.done_at is None and self.deleted_at is None
        self.remind_at = self.effective_due() if live else None
        self.reminder_status = "pending" if self.remind_at is not None else None
        self.reminder_attempts, self.reminder_error = 0, None
        self.claimed_by = self.claimed_until = None


@event.listens_for(FollowUp, "before_insert")
def _schedule_new(_mapper, _connection, followup):
    followup.schedule_reminder()


@event.listens_for(FollowUp, "before_update")
def _reschedule(_mapper, _connection, followup):
    """Whoever changes when a follow-up is due (the REST routes, sync) reschedules its reminder;
    a dispatcher still holding the old claim then finds it gone and changes nothing."""
    state = inspect(followup)
    if any(state.attrs[name].history.has_changes() for name in SCHEDULE_FIELDS):
        followup.schedule_reminder()


class NotificationCount(db.Model):
    """How many notifications a user was sent on one local day (for the daily cap)."""

    __tablename__ = "notification_counts"

    user_id: Mapped[uuid.UUID] = mapped_column(
        db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    #: The user's local date the count is for; a new day starts again from zero.
    day: Mapped[date | None]
    sent: Mapped[int] = mapped_column(default=0)


class EmailDigest(db.Model):
    """The daily email digest of a user push does not reach: the local day it was last claimed
    or sent for. One row per user, claimed with one conditional statement, so workers running
    side by side send each day's digest once."""

    __tablename__ = "email_digests"

    user_id: Mapped[uuid.UUID] = mapped_column(
        db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    #: The user's local date of the digest claimed or sent last.
    day: Mapped[date | None]
    #: When that day's digest was handed to the mail server; None while it is being sent, or
    #: after the server failed (the next sweep tries again).
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: No sweep looks at the user before then: while a worker sends the digest (a lease, so
    #: another may take over from one that died), and after it went out, until next morning.
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CalendarFeed(db.Model):
    """A user's private calendar subscription URL (/calendar/<token>.ics)."""

    __tablename__ = "calendar_feeds"

    user_id: Mapped[uuid.UUID] = mapped_column(
        db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    #: SHA-256 of the token: the URL is shown once, and a copy of the database does not give it.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
