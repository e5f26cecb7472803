"""Every feature's routes, imported in one place before the blueprints are registered."""

from . import openapi
from .auth import routes as auth_routes
from .contacts import interactions, merge, photos
from .contacts import routes as contact_routes
from .events import routes as event_routes
from .exchange import routes as card_routes
from .followups import routes as followup_routes
from .research import routes as research_routes
from .sync import routes as sync_routes

__all__ = [
    "openapi",
    "auth_routes",
    "card_routes",
    "contact_routes",
    "interactions",
    "merge",
    "photos",
    "event_routes",
    "followup_routes",
    "research_routes",
    "sync_routes",
]
