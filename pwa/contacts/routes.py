"""People I met: list (search, filter by event and tag), capture, read, change, delete."""

from flask import request

from ..record_routes import add_routes
from .filters import FILTERS, NEWEST_FIRST, contacts_query
from .kinds import CONTACT, ContactOut


def _search(record_type, user):
    return contacts_query(user, request.args), NEWEST_FIRST


add_routes(CONTACT, "/contacts", ContactOut, list_query=_search, list_args=FILTERS)
