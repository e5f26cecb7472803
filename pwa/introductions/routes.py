"""Introductions over REST, newest first; ?contact_id= for those a person is on either side of."""

from flask import request
from sqlalchemy import or_, select

from ..api import parse_uuid
from ..record_routes import add_routes
from .kinds import INTRODUCTION, IntroductionOut
from .models import Introduction

FILTERS = {"contact_id": {"type": "string", "format": "uuid"}}


def _newest_first(record_type, user):
    query = select(Introduction).where(
        Introduction.user_id == user.id, Introduction.deleted_at.is_(None)
    )
    if request.args.get("contact_id"):
        person = parse_uuid(request.args["contact_id"])
        query = query.where(or_(Introduction.contact_id == person, Introduction.to_id == person))
    return query, [(Introduction.created_at, True), (Introduction.id, True)]


add_routes(
    INTRODUCTION, "/introductions", IntroductionOut, list_query=_newest_first, list_args=FILTERS
)
