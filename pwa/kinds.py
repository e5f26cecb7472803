"""Every type of synced record, imported in one place: the one list of kinds.

Each feature declares its record types in its own kinds.py and registers them with
pwa.records; importing them here fills records.REGISTRY, which sync, its request schema, the
tests and (checked by a test) the app's local store in static/js/localdb.js take their list
from. A type registers after those it points at, since its kinds.py imports their checks.
Adding a kind: a new kinds.py imported here, its model, its migration, its screen.

What the server plans as records change (a contact's follow-ups and promises) is wired here
too, as it joins several kinds (pwa/followups/plans.py).

The contact's photo files are imported here too: they are no record, but they hang on a
contact (records.hang_on), and that declaration has to be made before a contact is removed.
"""

from . import records
from .contacts import photos
from .contacts.kinds import CONTACT
from .events.kinds import EVENT
from .followups.kinds import FOLLOWUP
from .followups.plans import Planner
from .interactions.kinds import INTERACTION
from .introductions.kinds import INTRODUCTION
from .promises.kinds import PROMISE
from .research.kinds import TARGET
from .suggestions.kinds import DISMISSAL

#: The names of every synced kind of record, as sync and the app's store spell them.
NAMES = tuple(records.REGISTRY)

#: What the server plans as contacts, their history and their follow-ups change.
PLANNER = Planner(FOLLOWUP, PROMISE)
records.follow(CONTACT, PLANNER.contact_written, expect=PLANNER.expect_for_contacts)
records.follow(INTERACTION, PLANNER.interaction_written)
records.follow(FOLLOWUP, PLANNER.followup_written)

__all__ = [
    "CONTACT",
    "DISMISSAL",
    "EVENT",
    "FOLLOWUP",
    "INTERACTION",
    "INTRODUCTION",
    "NAMES",
    "PLANNER",
    "PROMISE",
    "TARGET",
    "photos",
]
