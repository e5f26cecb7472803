"""What became of each claimed reminder (sent, waiting, retrying, failed, no device), and writing
it to the follow-ups together: one statement per kind of result, for the rows this worker still
holds. The results people see count as changes of the follow-up, so sync brings them along."""

from datetime import timedelta

from sqlalchemy import bindparam, update

from .. import records
from ..db import db
from .models import FollowUp

MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
NO_DEVICE = "No device of yours takes notifications; turn them on in Hallway on your phone."


def notice_result(notice, outcomes, now):
    """("sent" | "retrying" | "failed" | "no_device", row values) for one notice, from the
    outcomes [(device, outcome)] of its pushes."""
    found = {outcome.result for _device, outcome in outcomes}
    if "delivered" in found:
        return "sent", {}
    if not outcomes:
        return "failed", {"error": "This reminder could not be built (a bug; it was logged)."}
    if found <= {"gone"}:
        return "no_device", {"error": NO_DEVICE}
    attempts = max(due.attempts for due in notice.dues) + 1
    waits = [o.retry_after for _d, o in outcomes if o.result == "rate_limited"]
    transient = [o for _d, o in outcomes if o.result in ("retry", "rate_limited")]
    if transient and attempts < MAX_ATTEMPTS:
        wait = max([backoff(attempts).total_seconds(), *waits])
        return "retrying", {
            "error": f"Not delivered yet: {transient[0].detail}. Trying again.",
            "until": now + timedelta(seconds=wait),
        }
    details = sorted({o.detail for _d, o in outcomes if o.result != "gone"})
    tries = f" after {attempts} tries" if transient else ""
    return "failed", {"error": f"Not delivered{tries}: {'; '.join(details)}."}


def backoff(attempts):
    """How long to wait before attempt number attempts + 1: 30 s, 1 min, 2 min, ... 1 h."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_RETRY)


_table = FollowUp.__table__
_FINISH = {
    "deferred": {"remind_at": bindparam("b_until")},
    "sent": {
        "remind_at": None,
        "reminder_status": "sent",
        "reminded_at": bindparam("b_now"),
        "reminder_attempts": _table.c.reminder_attempts + 1,
        "reminder_error": None,
    },
    "retrying": {
        "remind_at": bindparam("b_until"),
        "reminder_status": "retrying",
        "reminder_attempts": _table.c.reminder_attempts + 1,
        "reminder_error": bindparam("b_error"),
    },
    "failed": {
        "remind_at": None,
        "reminder_status": "failed",
        "reminder_attempts": _table.c.reminder_attempts + 1,
        "reminder_error": bindparam("b_error"),
    },
    "no_device": {
        "remind_at": None,
        "reminder_status": "no_device",
        "reminder_error": bindparam("b_error"),
    },
}
#: Results the user sees (the API shows reminder_status, reminded_at, reminder_error): these
#: count as changes of the follow-up, so sync brings them to every device.
_SEEN = {"sent", "failed", "no_device"}
_SEEN_VALUES = {
    "version": _table.c.version + 1,
    "updated_at": bindparam("b_now"),
    "change_seq": bindparam("b_seq"),
}


class Results:
    """Results for claimed rows, written together: one statement per kind of result, touching
    only rows this worker still holds, and releasing them."""

    def __init__(self):
        self.rows = {result: [] for result in _FINISH}

    def add(self, result, due, **values):
        self.rows[result].append((due, values))

    def write(self, worker, now):
        seqs = self._number()
        for result, rows in self.rows.items():
            if not rows:
                continue
            values = {**_FINISH[result], "claimed_by": None, "claimed_until": None}
            if result in _SEEN:
                values.update(_SEEN_VALUES)
            statement = (
                update(_table)
                .where(_table.c.id == bindparam("b_id"), _table.c.claimed_by == worker)
                .values(**values)
            )
            params = [
                {
                    "b_id": due.id,
                    "b_now": now,
                    "b_seq": seqs.get(due.id),
                    **{f"b_{name}": value for name, value in extra.items()},
                }
                for due, extra in rows
            ]
            db.session.connection().execute(statement, params)

    def _number(self):
        """Change numbers (the sync order) for the rows whose result users see."""
        seen = {}
        for result in _SEEN:
            for due, _ in self.rows[result]:
                seen.setdefault(due.user_id, []).append(due.id)
        firsts = records.take_changes({user_id: len(ids) for user_id, ids in seen.items()})
        return {
            row_id: firsts[user_id] + i
            for user_id, ids in seen.items()
            if user_id in firsts
            for i, row_id in enumerate(ids)
        }
