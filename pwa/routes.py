"""Every feature's routes, imported in one place before the blueprints are registered."""

from . import openapi
from .auth import routes as auth_routes
from .contacts import interactions, merge, photos
from .contacts import routes as contact_routes
from .events import imports as attendee_imports
from .events import routes as event_routes
from .exchange import mutual
from .exchange import photo as card_photo
from .exchange import routes as card_routes
from .exchange import scan as scan_routes
from .followups import calendar as calendar_routes
from .followups import routes as followup_routes
from .push import routes as push_routes
from .research import routes as research_routes
from .sync import routes as sync_routes

__all__ = [
    "openapi",
    "auth_routes",
    "card_routes",
    "card_photo",
    "mutual",
    "scan_routes",
    "contact_routes",
    "interactions",
    "merge",
    "photos",
    "event_routes",
    "attendee_imports",
    "followup_routes",
    "calendar_routes",
    "push_routes",
    "research_routes",
    "sync_routes",
]
