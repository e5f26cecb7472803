"""Claiming due reminders. Several dispatchers may run against one database: each claims a batch
of due follow-ups with one statement (FOR UPDATE SKIP LOCKED on PostgreSQL, so dispatchers never
wait on or take each other's rows; on SQLite the single UPDATE runs under the database's one
writer lock) and holds them for a lease. Finishing (results.Results) only changes rows it still
holds, so a dispatcher that stalls past its lease changes nothing, and one that dies loses
nothing: its rows fall due again when the lease ends."""

from datetime import timedelta

from sqlalchemy import or_, select, update

from ..db import db
from .models import FollowUp

LEASE = timedelta(minutes=5)


def claim(worker, now, limit, lease=LEASE):
    """Take up to limit due reminders for this worker until now + lease; return (id, user_id)
    rows. Ordered by user, so one user's reminders travel together (and can become a digest)."""
    due = (
        select(FollowUp.id)
        .where(
            FollowUp.remind_at <= now,
            FollowUp.done_at.is_(None),
            FollowUp.deleted_at.is_(None),
            or_(FollowUp.claimed_until.is_(None), FollowUp.claimed_until < now),
        )
        .order_by(FollowUp.user_id, FollowUp.remind_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(FollowUp)
        .where(FollowUp.id.in_(due.scalar_subquery()))
        .values(claimed_by=worker, claimed_until=now + lease)
        .returning(FollowUp.id, FollowUp.user_id)
        .execution_options(synchronize_session=False)
    )
    return db.session.execute(statement).all()
