"""The daily cap: notifications counted per user and local day, reserved with one conditional
statement per user, so dispatchers running side by side never exceed it together."""

from sqlalchemy import bindparam, case, update
from sqlalchemy.dialects import postgresql, sqlite

from ..db import db
from .models import NotificationCount

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


_counts = NotificationCount.__table__
_today = case((_counts.c.day == bindparam("b_day"), _counts.c.sent), else_=0)
_RESERVE = (
    update(_counts)
    .where(
        _counts.c.user_id == bindparam("b_user"),
        _today + bindparam("b_count") <= bindparam("b_cap"),
    )
    .values(day=bindparam("b_day"), sent=_today + bindparam("b_count"))
)
_REFUND = (
    update(_counts)
    .where(
        _counts.c.user_id == bindparam("b_user"),
        _counts.c.day == bindparam("b_day"),
        _counts.c.sent >= bindparam("b_count"),
    )
    .values(sent=_counts.c.sent - bindparam("b_count"))
)


def prepare(user_ids):
    """Make sure every one of these users has a count row (one statement, many rows)."""
    if not user_ids:
        return
    insert = _INSERT[db.session.get_bind().dialect.name]
    rows = [{"user_id": user_id, "day": None, "sent": 0} for user_id in sorted(user_ids, key=str)]
    db.session.connection().execute(insert(_counts).on_conflict_do_nothing(), rows)


def reserve(user_id, day, count, cap):
    """Count `count` more notifications on the user's local day; False (nothing counted) when
    that would go over the cap."""
    params = {"b_user": user_id, "b_day": day, "b_count": count, "b_cap": cap}
    return db.session.connection().execute(_RESERVE, params).rowcount == 1


def refund(user_id, day, count=1):
    """Give back reserved notifications that were not delivered."""
    params = {"b_user": user_id, "b_day": day, "b_count": count}
    db.session.connection().execute(_REFUND, params)
