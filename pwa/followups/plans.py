"""What a contact's changes set in motion, planned by the server whoever made them (the app,
REST, sync, an import, a scan, a share-back, an exchange), in the same transaction:

- a thank-you at 09:00 local the morning after we met;
- a check-back at 09:00 local on the next-step date, moved when the date moves, removed when it
  is cleared (done ones are history and stay);
- what each side promised, as promise records;
- a keep-in-touch a cadence after the last touch, moved by every touch.

Each planned record has an id made from the contact's id (plan_id), the same one the app makes
offline (static/js/plans.js planId), so the app's plan and the server's are the same records.
"""

import uuid
from datetime import datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import select

from .. import records
from ..contacts.models import Contact
from ..db import db

#: The namespace of planned records' ids: uuid5(NAMESPACE, "<contact id>:<what>").
NAMESPACE = uuid.UUID("0d5f6a52-9a0e-4a43-8f4e-4c1c1a2f7e11")
MORNING = time(9)
#: Someone met longer ago than this gets no thank-you planned (an old card typed in late).
THANK_YOU_WITHIN = timedelta(days=7)
THANK_YOU_NOTE = "Say thank you and confirm what each side offered"
SHARE_BACK_NOTE = "They sent you their details from your card"
CHECK_BACK_NOTE = "Check back as agreed"
KEEP_IN_TOUCH_NOTE = "Keep in touch"
#: Interactions that are a thank-you sent, when logged after the meeting.
THANKING = ("emailed", "called", "messaged")
#: The plans a contact's changes look up by id: follow-ups, then promises.
FOLLOWUP_PLANS = ("thank_you", "check_back", "keep_in_touch")
PROMISE_PLANS = ("promise:mine", "promise:theirs")


@lru_cache(maxsize=50_000)  # a sync batch asks for each contact's plans at least twice
def plan_id(contact_id, what):
    """The id of the record planned for a contact: what is thank_you, check_back,
    keep_in_touch, promise:mine or promise:theirs; a check-back after the first done one adds
    its date (check_back:2031-04-05)."""
    return uuid.uuid5(NAMESPACE, f"{contact_id}:{what}")


def zone_of(user):
    try:
        return ZoneInfo(user.timezone or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def morning_of(day, user):
    """09:00 on a local date in the user's time zone."""
    return datetime.combine(day, MORNING, tzinfo=zone_of(user))


def local_day(moment, user):
    return moment.astimezone(zone_of(user)).date()


class Planner:
    """Plans one user's records for one contact; the record types come from the caller (the
    kinds modules that register them), so this module imports none of them."""

    def __init__(self, followup, promise):
        self.followup, self.promise = followup, promise

    def expect_for_contacts(self, user, contact_ids):
        """Learn at once which plans that a batch's changes to these contacts may look up do not
        exist (records.follow), instead of one query a contact (most are never made: a
        keep-in-touch needs a cadence, a promise words)."""
        for record_type, plans in ((self.followup, FOLLOWUP_PLANS), (self.promise, PROMISE_PLANS)):
            ids = [plan_id(contact_id, what) for contact_id in contact_ids for what in plans]
            records.expect_missing(record_type.model, ids)

    # What follows a contact's create or change (records.follow).
    def contact_written(self, written):
        contact, user, now, fields = written.record, written.user, written.now, written.fields
        if written.created:
            contact.last_touch_at = contact.met_at  # being inserted: no change of its own
            if self._deserves_thanks(contact, now):
                note = SHARE_BACK_NOTE if contact.source == "share-back" else THANK_YOU_NOTE
                due = morning_of(local_day(contact.met_at, user) + timedelta(days=1), user)
                self._plan(
                    user, contact, "thank_you", self.followup, _thanks(contact, due, note), now
                )
        elif "met_at" in fields and contact.met_at is not None:
            self._move_thank_you(user, contact, now)
            if contact.last_touch_at is None or contact.met_at > contact.last_touch_at:
                records.fill(
                    written.record_type, user, contact, {"last_touch_at": contact.met_at}, now
                )
        fresh = written.created
        if {"next_step_due", "next_step", "no_next_step"} & set(fields):
            self._plan_check_back(user, contact, now, fresh)
        for direction, field in (("mine", "i_promised"), ("theirs", "they_promised")):
            if field in fields:
                self._plan_promise(user, contact, direction, field, now, fresh)
        if "next_step_due" in fields and not written.created:
            self._move_promises(user, contact, written.before.get("next_step_due"), now)
        if written.created or {"cadence_days", "tags", "last_touch_at"} & set(fields):
            self.plan_keep_in_touch(user, contact, now, fresh)

    def plan_keep_in_touch(self, user, contact, now, fresh=False):
        """The next keep-in-touch, a cadence after the last touch (reopened when it was done: a
        cadence is a rhythm, not one task); none without a cadence."""
        cadence = cadence_of(contact, user)
        current = self._find(self.followup, contact, "keep_in_touch", fresh)
        if cadence is None or contact.last_touch_at is None:
            if current is not None and current.done_at is None:
                records.remove(self.followup, user, current, now)
            return
        last = local_day(contact.last_touch_at, user)
        values = {
            "contact_id": contact.id,
            "kind": "keep_in_touch",
            "due_at": morning_of(last + timedelta(days=cadence), user),
            "note": KEEP_IN_TOUCH_NOTE,
            "done_at": None,
        }
        if current is None:
            self._plan(user, contact, "keep_in_touch", self.followup, values, now, created=fresh)
        else:
            records.change(self.followup, user, current, values, now, planned=True)

    # What follows a follow-up's change: a keep-in-touch done is a touch.
    def followup_written(self, written):
        followup = written.record
        if followup.kind != "keep_in_touch" or followup.done_at is None:
            return
        if "done_at" not in written.fields:
            return
        contact = records.pending_or_stored(Contact, followup.contact_id)
        if contact is not None and contact.deleted_at is None:
            self.touched(written.user, contact, followup.done_at, written.now)
            if followup.done_at is not None:  # the touch was not the latest: plan on from it
                self.plan_keep_in_touch(written.user, contact, written.now)

    def _deserves_thanks(self, contact, now):
        return (
            contact.met_at is not None
            and contact.source != "import"
            and now - THANK_YOU_WITHIN <= contact.met_at <= now + timedelta(days=1)
        )

    def _plan(self, user, contact, what, record_type, values, now, created=True):
        """Insert the planned record, or bring back its tombstone; return it."""
        record_id = plan_id(contact.id, what)
        existing = None if created else records.pending_or_stored(record_type.model, record_id)
        if existing is None:
            return records.insert(
                record_type, user, values, now, record_id, flush=False, planned=True
            )
        if existing.deleted_at is not None:
            existing.deleted_at = None
        return records.change(record_type, user, existing, values, now, planned=True)

    def _find(self, record_type, contact, what, fresh=False):
        """The live record planned for contact (none can exist yet for a fresh contact, one
        being created)."""
        if fresh:
            return None
        record = records.pending_or_stored(record_type.model, plan_id(contact.id, what))
        if record is None or record.deleted_at is not None:
            return self._open_of_kind(record_type, contact, what)
        return record

    def _open_of_kind(self, record_type, contact, what):
        """The contact's open follow-up of a kind, whatever its id: one the app planned with an
        id of its own before ids were planned (so a contact from then never gets two), or the
        check-back after a done one."""
        if record_type is not self.followup or what not in ("thank_you", "check_back"):
            return None
        model = record_type.model
        query = (
            select(model)
            .where(
                model.contact_id == contact.id,
                model.kind == what,
                model.done_at.is_(None),
                model.deleted_at.is_(None),
            )
            .order_by(model.created_at.desc())
            .limit(1)
        )
        with db.session.no_autoflush:
            return db.session.scalars(query).first()

    def _move_thank_you(self, user, contact, now):
        thanks = self._find(self.followup, contact, "thank_you")
        if thanks is not None and thanks.done_at is None:
            due = morning_of(local_day(contact.met_at, user) + timedelta(days=1), user)
            records.change(self.followup, user, thanks, {"due_at": due}, now, planned=True)

    def _current_check_back(self, contact, fresh):
        """(the plan name a new check-back takes, the open check-back or None): the first
        check-back; once that one is done, a later one (each date after it has its own id)."""
        first = self._find(self.followup, contact, "check_back", fresh)
        if first is None or first.done_at is None:
            return "check_back", first
        later = self._open_of_kind(self.followup, contact, "check_back")
        if later is not None or contact.next_step_due is None:
            return None, later
        what = f"check_back:{contact.next_step_due.isoformat()}"
        return what, self._find(self.followup, contact, what)

    def _plan_check_back(self, user, contact, now, fresh):
        what, current = self._current_check_back(contact, fresh)
        due_day = None if contact.no_next_step else contact.next_step_due
        if due_day is None:
            if current is not None and current.done_at is None:
                records.remove(self.followup, user, current, now)
            return
        values = {
            "contact_id": contact.id,
            "kind": "check_back",
            "due_at": morning_of(due_day, user),
            "note": contact.next_step or CHECK_BACK_NOTE,
        }
        if current is None:
            self._plan(user, contact, what, self.followup, values, now, created=fresh)
        elif current.done_at is None:
            records.change(self.followup, user, current, values, now, planned=True)

    def _plan_promise(self, user, contact, direction, field, now, fresh):
        text = getattr(contact, field)
        what = f"promise:{direction}"
        current = self._find(self.promise, contact, what, fresh)
        if not text:
            if current is not None and current.kept_at is None:
                records.remove(self.promise, user, current, now)
            return
        if current is None:
            values = {
                "contact_id": contact.id,
                "direction": direction,
                "text": text,
                "due_on": contact.next_step_due,
            }
            self._plan(user, contact, what, self.promise, values, now, created=fresh)
        elif current.kept_at is None:
            records.change(self.promise, user, current, {"text": text}, now, planned=True)

    def _move_promises(self, user, contact, before, now):
        """Promises due on the old check-back date move with it (those given their own date stay)."""
        for direction in ("mine", "theirs"):
            promise = self._find(self.promise, contact, f"promise:{direction}")
            if promise is not None and promise.kept_at is None and promise.due_on == before:
                records.change(
                    self.promise,
                    user,
                    promise,
                    {"due_on": contact.next_step_due},
                    now,
                    planned=True,
                )

    # What follows an interaction's create: a touch, and maybe the thank-you sent.
    def interaction_written(self, written):
        if not written.created:
            return
        interaction, user, now = written.record, written.user, written.now
        contact = records.pending_or_stored(Contact, interaction.contact_id)
        if contact is None or contact.deleted_at is not None or interaction.at is None:
            return
        if interaction.kind != "note":
            self.touched(user, contact, interaction.at, now)
        if interaction.kind in THANKING and (
            contact.met_at is None or interaction.at >= contact.met_at
        ):
            thanks = self._find(self.followup, contact, "thank_you")
            if thanks is not None and thanks.done_at is None:
                records.change(
                    self.followup, user, thanks, {"done_at": interaction.at}, now, planned=True
                )

    def touched(self, user, contact, at, now):
        """A touch (a meeting, an interaction, a scan, a share-back, an exchange): the last touch
        moves, and with it the next keep-in-touch."""
        if contact.last_touch_at is None or at > contact.last_touch_at:
            contact_type = records.REGISTRY["contact"]
            records.fill(contact_type, user, contact, {"last_touch_at": at}, now)


def cadence_of(contact, user):
    """Days between keep-in-touches: the contact's own, else the shortest of its tags', else
    None."""
    if contact.cadence_days:
        return contact.cadence_days
    by_tag = user.cadences or {}
    days = [by_tag[tag] for tag in contact.tags or () if by_tag.get(tag)]
    return min(days) if days else None


def _thanks(contact, due, note):
    return {"contact_id": contact.id, "kind": "thank_you", "due_at": due, "note": note}
