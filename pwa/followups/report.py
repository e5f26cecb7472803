"""The follow-through report, per event or overall: thank-yous sent within a day of meeting,
check-backs done on time, promises kept (mine and theirs), people left with no next step."""

from datetime import datetime, time, timedelta

from sqlalchemy import select

from ..contacts.models import Contact
from ..db import db
from ..promises.models import Promise
from .models import FollowUp
from .plans import local_day, zone_of

WITHIN_A_DAY = timedelta(hours=24)


def follow_through(user, now, event_id=None):
    """The report's figures (see ../shared/API.md, GET /report)."""
    query = select(Contact).where(Contact.user_id == user.id, Contact.deleted_at.is_(None))
    if event_id is not None:
        query = query.where(Contact.event_id == event_id)
    contacts = {contact.id: contact for contact in db.session.scalars(query)}
    figures = dict.fromkeys(
        (
            "thank_you_within_day",
            "check_backs_due",
            "check_backs_on_time",
            "promises_mine",
            "promises_mine_kept",
            "promises_theirs",
            "promises_theirs_kept",
        ),
        0,
    )
    figures["met"] = len(contacts)
    figures["without_next_step"] = sum(
        1
        for contact in contacts.values()
        if contact.next_step_due is None and not contact.next_step and not contact.no_next_step
    )
    for followup in _live(FollowUp, user):
        contact = contacts.get(followup.contact_id)
        if contact is None:
            continue
        if followup.kind == "thank_you" and followup.done_at and contact.met_at:
            figures["thank_you_within_day"] += followup.done_at - contact.met_at <= WITHIN_A_DAY
        elif followup.kind == "check_back" and followup.due_at and followup.due_at <= now:
            figures["check_backs_due"] += 1
            end_of_day = _end_of_local_day(followup.due_at, user)
            figures["check_backs_on_time"] += bool(followup.done_at) and (
                followup.done_at < end_of_day
            )
    for promise in _live(Promise, user):
        if promise.contact_id not in contacts or promise.direction not in ("mine", "theirs"):
            continue
        figures[f"promises_{promise.direction}"] += 1
        figures[f"promises_{promise.direction}_kept"] += promise.kept_at is not None
    return {name: int(value) for name, value in figures.items()}


def _end_of_local_day(moment, user):
    next_day = local_day(moment, user) + timedelta(days=1)
    return datetime.combine(next_day, time(0), tzinfo=zone_of(user))


def _live(model, user):
    return db.session.scalars(
        select(model).where(model.user_id == user.id, model.deleted_at.is_(None))
    )
