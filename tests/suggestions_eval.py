"""The suggestions' evaluation set (tests/data/suggestions) and its measures, for the quality
test and bench/suggestions.py alike."""

import json
from pathlib import Path

from pwa.suggestions.ranking import LexicalIndex, keyword_overlap

DATA = Path(__file__).parent / "data" / "suggestions"


def load():
    """(attendees, goals) of the evaluation set."""
    attendees = json.loads((DATA / "attendees.json").read_text())
    goals = json.loads((DATA / "goals.json").read_text())
    return attendees, goals


def measure(rank, goals):
    """Mean precision at 10 and recall at 20 of rank(goal text) -> [attendee id] over goals."""
    precision, recall = [], []
    for goal in goals:
        relevant = set(goal["relevant"])
        found = rank(goal["goal"])[:20]
        precision.append(len(relevant & set(found[:10])) / 10)
        recall.append(len(relevant & set(found)) / len(relevant))
    return sum(precision) / len(goals), sum(recall) / len(goals)


def lexical_and_baseline():
    """{"lexical": (p@10, r@20), "baseline": (p@10, r@20)} on the evaluation set."""
    attendees, goals = load()
    index = LexicalIndex(attendees)

    def lexical(goal):
        return [attendees[s.index]["id"] for s in index.rank([goal], limit=20)]

    def baseline(goal):
        return [attendees[i]["id"] for i in keyword_overlap(attendees, [goal], limit=20)]

    return {"lexical": measure(lexical, goals), "baseline": measure(baseline, goals)}
