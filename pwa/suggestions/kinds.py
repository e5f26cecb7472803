"""The dismissal (someone I never want suggested again at an event) as a synced record, so a
dismissal on one device holds on all of them. Its id is chosen from who dismissed whom where
(dismissal_id), so dismissing twice, from two devices, makes one record; dismissing again after
an undo brings that record back (revived_by_upsert), through sync as through the route."""

import uuid

from .. import records
from ..events.kinds import check_event
from ..fields import Schema
from ..research.kinds import check_attendee
from .models import Dismissal

#: The namespace of dismissal ids (uuid5 of user, event and attendee).
DISMISSALS = uuid.UUID("5f0c9a53-8d1e-4a55-9a38-8f2b0c6d1e17")


class DismissalFields(Schema):
    event_id: uuid.UUID | None = None
    attendee_id: uuid.UUID | None = None


class DismissalOut(records.Saved, DismissalFields):
    pass


def dismissal_id(user_id, event_id, attendee_id):
    """The one id of a user's dismissal of an attendee at an event."""
    return uuid.uuid5(DISMISSALS, f"{user_id}:{event_id}:{attendee_id}")


DISMISSAL = records.register(
    records.RecordType(
        name="dismissal",
        model=Dismissal,
        fields=DismissalFields,
        required=("event_id", "attendee_id"),
        references={"event_id": check_event, "attendee_id": check_attendee},
        revived_by_upsert=True,
    )
)
