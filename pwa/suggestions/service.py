"""Suggestions for one user at one event: their own goals and introduction against the event's
directory, less whom they already plan to meet or dismissed. The directory's index is built
once per process and reused until the directory changes: semantic (semantic.SemanticIndex) when
the extra is installed and every profile has an up-to-date vector (embeddings.py), else lexical
(an import's new people are ranked by words until the worker has embedded them)."""

from collections import OrderedDict
from threading import Lock

from sqlalchemy import func, select

from ..db import db
from ..events.models import Attendee, EventMember
from ..exchange.models import Card
from ..research.models import ResearchTarget
from . import semantic
from .embeddings import current_count
from .models import Dismissal
from .ranking import LexicalIndex

NO_GOALS = "Add a goal to get suggestions."
NO_ONE = "No one in the directory matches your goals yet."
PROFILE_COLUMNS = ("id", "name", "company", "title", "bio", "links")
#: How many events' indexes a process keeps (the least recently asked go first).
KEPT_INDEXES = 8
_indexes = OrderedDict()
_lock = Lock()


def goals_of(user, event):
    """The open goals (texts) the user has for the event: the owner's on the event, a member's
    on their membership; never anyone else's."""
    if event.user_id == user.id:
        goals = event.goals
    else:
        member = db.session.get(EventMember, (event.id, user.id))
        goals = member.goals if member is not None else None
    return [goal["text"] for goal in goals or [] if not goal.get("done")]


def suggest(user, event, limit):
    """The answer of GET /events/<id>/suggestions for this user."""
    goals = goals_of(user, event)
    if not goals:
        return {"items": [], "ranking": "lexical", "message": NO_GOALS}
    index, positions = directory_index(event)
    ranking = "semantic" if isinstance(index, semantic.SemanticIndex) else "lexical"
    left_out = {positions[i] for i in _left_out(user, event) if i in positions}
    card = db.session.get(Card, user.id)
    ranked = index.rank(goals, card.intro if card else None, limit, left_out)
    items = [_item(index.profiles[s.index], s) for s in ranked]
    if not items:
        return {"items": [], "ranking": ranking, "message": NO_ONE}
    return {"items": items, "ranking": ranking}


def _item(profile, suggestion):
    return {
        "attendee_id": str(profile["id"]),
        "name": profile["name"],
        "company": profile["company"],
        "title": profile["title"],
        "reason": suggestion.reason,
        "score": suggestion.score,
    }


def _left_out(user, event):
    """Attendee ids the user already has on their research list or dismissed at this event."""
    targets = select(ResearchTarget.attendee_id).where(
        ResearchTarget.user_id == user.id,
        ResearchTarget.deleted_at.is_(None),
        ResearchTarget.attendee_id.is_not(None),
    )
    dismissed = select(Dismissal.attendee_id).where(
        Dismissal.user_id == user.id,
        Dismissal.event_id == event.id,
        Dismissal.deleted_at.is_(None),
    )
    return set(db.session.scalars(targets)) | set(db.session.scalars(dismissed))


def directory_index(event):
    """(the event directory's index, {attendee id: its position}), rebuilt only when the
    directory changed since (an import adds or updates people: their count or latest change;
    the worker embeds them: the count of up-to-date vectors)."""
    stamp = db.session.execute(
        select(func.count(Attendee.id), func.max(Attendee.updated_at), current_count()).where(
            Attendee.event_id == event.id
        )
    ).one()
    ranks_by_meaning = 0 < stamp[0] == stamp[2] and semantic.loaded() is not None
    stamp = (*stamp, ranks_by_meaning)
    with _lock:
        kept = _indexes.get(event.id)
        if kept is not None and kept[0] == stamp:
            _indexes.move_to_end(event.id)
            return kept[1], kept[2]
    # Built outside the lock: two requests may both build a new directory's index, and the
    # second one kept is as good as the first.
    columns = [getattr(Attendee, name) for name in PROFILE_COLUMNS]
    if ranks_by_meaning:
        columns.append(Attendee.embedding)
    query = select(*columns).where(Attendee.event_id == event.id).order_by(Attendee.id)
    profiles = [row._asdict() for row in db.session.execute(query)]
    index = LexicalIndex(profiles)
    if ranks_by_meaning:
        vectors = b"".join(profile.pop("embedding") or b"" for profile in profiles)
        if len(vectors) == len(profiles) * semantic.DIMENSIONS * 4:  # else: made by another model
            matrix = semantic.from_bytes(vectors).reshape(len(profiles), semantic.DIMENSIONS)
            index = semantic.SemanticIndex(index, matrix)
    positions = {profile["id"]: i for i, profile in enumerate(profiles)}
    with _lock:
        _indexes[event.id] = (stamp, index, positions)
        while len(_indexes) > KEPT_INDEXES:
            _indexes.popitem(last=False)
    return index, positions
