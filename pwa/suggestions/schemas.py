"""What the API shows of suggestions."""

from ..fields import Schema


class SuggestionOut(Schema):
    attendee_id: str
    name: str
    company: str | None
    title: str | None
    #: One line in the user's words: the goal it matched best and what in the profile did.
    reason: str
    #: Higher is better; comparable within one answer only.
    score: float


class SuggestionsOut(Schema):
    items: list[SuggestionOut]
    #: semantic (meaning and words, the extra hallway[match]) once every person of the directory
    #: has a current vector (the worker makes them after an import), else lexical (BM25).
    ranking: str
    #: Said when there is nothing to rank by ("Add a goal to get suggestions.").
    message: str | None = None
