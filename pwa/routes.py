"""Every feature's routes, imported in one place before the blueprints are registered.

Nothing else imports a routes module (tests/test_layers.py checks): views depend on the layers
below them, never the reverse."""

from . import health, openapi
from .api import api
from .auth import invite_routes, passkey_routes
from .auth import routes as auth_routes
from .contacts import merge, photo_routes
from .contacts import routes as contact_routes
from .events import import_routes as attendee_imports
from .events import routes as event_routes
from .exchange import mutual
from .exchange import photo_routes as card_photo
from .exchange import routes as card_routes
from .exchange import scan as scan_routes
from .exchange.public import cards
from .followups import calendar as calendar_routes
from .followups import routes as followup_routes
from .interactions import routes as interaction_routes
from .introductions import routes as introduction_routes
from .promises import routes as promise_routes
from .push import routes as push_routes
from .research import routes as research_routes
from .shell import shell
from .suggestions import routes as suggestion_routes
from .sync import routes as sync_routes
from .transfer import exports
from .transfer import routes as transfer_routes
from .web import web

#: What create_app registers, once every view above is attached.
BLUEPRINTS = (api, web, shell, cards)

__all__ = [
    "BLUEPRINTS",
    "health",
    "openapi",
    "auth_routes",
    "invite_routes",
    "passkey_routes",
    "card_routes",
    "card_photo",
    "mutual",
    "scan_routes",
    "contact_routes",
    "interaction_routes",
    "introduction_routes",
    "promise_routes",
    "merge",
    "photo_routes",
    "event_routes",
    "attendee_imports",
    "followup_routes",
    "calendar_routes",
    "push_routes",
    "research_routes",
    "suggestion_routes",
    "sync_routes",
    "exports",
    "transfer_routes",
]
