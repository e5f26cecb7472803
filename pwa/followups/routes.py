"""Follow-up routes: what I owe whom, and when."""

from sqlalchemy import case, func, select

from ..paging import LATEST
from ..record_routes import add_routes
from .kinds import FOLLOWUP, FollowUpOut
from .models import FollowUp


def _by_due(record_type, user):
    query = select(FollowUp).where(FollowUp.user_id == user.id, FollowUp.deleted_at.is_(None))
    done = case((FollowUp.done_at.is_(None), 0), else_=1)  # open ones first
    due = func.coalesce(FollowUp.due_at, LATEST)
    return query, [(done, False), (due, False), (FollowUp.id, False)]


add_routes(FOLLOWUP, "/followups", FollowUpOut, list_query=_by_due)
