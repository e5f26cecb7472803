"""Every table, imported in one place so migrations and the routes see the whole schema."""

from .auth.models import ApiToken, Invite, LoginAttempt, Passkey, PasskeyChallenge, User
from .contacts import search  # the search index beside the contacts table (its DDL)
from .contacts.models import Contact, Interaction
from .events.models import Attendee, Event, EventMember
from .exchange.models import Card
from .followups.models import CalendarFeed, FollowUp, NotificationCount
from .introductions.models import Introduction
from .promises.models import Promise
from .push.models import PushSubscription
from .ratelimit import RateEvent
from .research.models import ResearchTarget
from .suggestions.models import Dismissal
from .sync.models import SyncBatch

__all__ = [
    "ApiToken",
    "Attendee",
    "CalendarFeed",
    "Card",
    "Contact",
    "Dismissal",
    "Event",
    "EventMember",
    "FollowUp",
    "Interaction",
    "Introduction",
    "Invite",
    "LoginAttempt",
    "NotificationCount",
    "Passkey",
    "PasskeyChallenge",
    "Promise",
    "PushSubscription",
    "RateEvent",
    "ResearchTarget",
    "SyncBatch",
    "User",
    "search",
]
