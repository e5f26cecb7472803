"""Keeping in touch: cadences per tag (a contact's own cadence wins over its tags'), and the
Reconnect list, people ranked by how overdue they are (days since the last touch over their
cadence). The keep-in-touch follow-ups themselves are planned in plans.py."""

from typing import Annotated

from pydantic import Field, RootModel
from sqlalchemy import select

from ..contacts.models import Contact
from ..db import db
from ..fields import text
from ..kinds import PLANNER
from .plans import cadence_of

Days = Annotated[int, Field(ge=1, le=3650)]


class Cadences(RootModel[dict[text(50, min_length=1), Days]]):
    """{"investor": 42}: keep in touch with everyone tagged investor every 42 days."""

    root: dict[text(50, min_length=1), Days] = Field(max_length=200)


def set_cadences(user, cadences, now):
    """Replace the user's cadences; replan the keep-in-touch of everyone whose tags changed."""
    before = user.cadences or {}
    user.cadences = dict(cadences)
    changed = {tag for tag in {*before, *cadences} if before.get(tag) != cadences.get(tag)}
    if not changed:
        return
    for contact in _live_contacts(user):
        if contact.cadence_days is None and changed & set(contact.tags or ()):
            PLANNER.plan_keep_in_touch(user, contact, now)


def reconnect(user, now, limit):
    """The people with a cadence, most overdue first: [{contact_id, name, last_touch_at,
    cadence_days, overdue_ratio}]."""
    ranked = []
    for contact in _live_contacts(user):
        cadence = cadence_of(contact, user)
        if cadence is None or contact.last_touch_at is None:
            continue
        days = (now - contact.last_touch_at).total_seconds() / 86400
        ranked.append(
            {
                "contact_id": str(contact.id),
                "name": contact.name,
                "last_touch_at": contact.last_touch_at.isoformat(),
                "cadence_days": cadence,
                "overdue_ratio": round(max(days, 0) / cadence, 2),
            }
        )
    ranked.sort(key=lambda item: (-item["overdue_ratio"], item["name"] or "", item["contact_id"]))
    return ranked[:limit]


def _live_contacts(user):
    query = select(Contact).where(Contact.user_id == user.id, Contact.deleted_at.is_(None))
    return db.session.scalars(query)
