"""A contact's history over REST: one tap in the app adds an entry, synced like the rest."""

from sqlalchemy import select

from ..contacts.models import Interaction
from ..record_routes import add_routes
from .kinds import INTERACTION, InteractionOut


def _newest_first(record_type, user):
    return (
        select(Interaction)
        .where(Interaction.user_id == user.id, Interaction.deleted_at.is_(None))
        .order_by(Interaction.at.desc(), Interaction.id)
    )


add_routes(INTERACTION, "/interactions", InteractionOut, list_query=_newest_first)
