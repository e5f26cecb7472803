"""Follow-up routes: what I owe whom, and when."""

from sqlalchemy import select

from ..record_routes import add_routes
from .kinds import FOLLOWUP, FollowUpOut
from .models import FollowUp


def _by_due(record_type, user):
    return (
        select(FollowUp)
        .where(FollowUp.user_id == user.id, FollowUp.deleted_at.is_(None))
        .order_by(FollowUp.done_at.is_not(None), FollowUp.due_at, FollowUp.id)
    )


add_routes(FOLLOWUP, "/followups", FollowUpOut, list_query=_by_due)
