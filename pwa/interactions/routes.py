"""A contact's history over REST: one tap in the app adds an entry, synced like the rest."""

from sqlalchemy import func, select

from ..contacts.models import Interaction
from ..paging import EARLIEST
from ..record_routes import add_routes
from .kinds import INTERACTION, InteractionOut


def _newest_first(record_type, user):
    query = select(Interaction).where(
        Interaction.user_id == user.id, Interaction.deleted_at.is_(None)
    )
    return query, [(func.coalesce(Interaction.at, EARLIEST), True), (Interaction.id, True)]


add_routes(INTERACTION, "/interactions", InteractionOut, list_query=_newest_first)
