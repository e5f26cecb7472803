"""Research list routes: the people I plan to meet, with my homework on each."""

from sqlalchemy import func, select

from ..record_routes import add_routes
from .kinds import TARGET, TargetOut
from .models import ResearchTarget


def _by_priority(record_type, user):
    query = select(ResearchTarget).where(
        ResearchTarget.user_id == user.id, ResearchTarget.deleted_at.is_(None)
    )
    # Without a priority, after every one with: the same on every database.
    priority = func.coalesce(ResearchTarget.priority, 1_000_000)
    name = func.coalesce(ResearchTarget.name, "")
    return query, [(priority, False), (name, False), (ResearchTarget.id, False)]


add_routes(TARGET, "/targets", TargetOut, list_query=_by_priority)
