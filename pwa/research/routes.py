"""Research list routes: the people I plan to meet, with my homework on each."""

from sqlalchemy import select

from ..record_routes import add_routes
from .kinds import TARGET, TargetOut
from .models import ResearchTarget


def _by_priority(record_type, user):
    return (
        select(ResearchTarget)
        .where(ResearchTarget.user_id == user.id, ResearchTarget.deleted_at.is_(None))
        .order_by(ResearchTarget.priority, ResearchTarget.name, ResearchTarget.id)
    )


add_routes(TARGET, "/targets", TargetOut, list_query=_by_priority)
