"""The suggestions' evaluation set (tests/data/suggestions) and its measures, for the quality
test and bench/suggestions.py alike."""

import csv
import io
import json
from pathlib import Path

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from pwa.suggestions import semantic
from pwa.suggestions.ranking import LexicalIndex, keyword_overlap

DATA = Path(__file__).parent / "data" / "suggestions"


def load():
    """(attendees, goals) of the evaluation set."""
    attendees = json.loads((DATA / "attendees.json").read_text())
    goals = json.loads((DATA / "goals.json").read_text())
    return attendees, goals


#: The columns of as_csv, each named as the field it holds (the import's mapping).
CSV_FIELDS = ("name", "company", "title", "bio")
CSV_MAPPING = json.dumps({field: field for field in CSV_FIELDS})


def as_csv(people):
    """People as the CSV file an organiser would import (send CSV_MAPPING with it)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(people)
    return out.getvalue().encode()


def import_directory(client, event_id, people):
    """Import people into an event's directory through the API (as the app does); the report."""
    upload = FileStorage(io.BytesIO(as_csv(people)), "directory.csv")
    boundary, body = encode_multipart({"file": upload, "mapping": CSV_MAPPING})
    response = client.post(
        f"/api/v1/events/{event_id}/attendees/import",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def measure(rank, goals):
    """Mean precision at 10 and recall at 20 of rank(goal text) -> [attendee id] over goals."""
    precision, recall = [], []
    for goal in goals:
        relevant = set(goal["relevant"])
        found = rank(goal["goal"])[:20]
        precision.append(len(relevant & set(found[:10])) / 10)
        recall.append(len(relevant & set(found)) / len(relevant))
    return sum(precision) / len(goals), sum(recall) / len(goals)


def _ranked_by(index, attendees):
    def rank(goal):
        return [attendees[s.index]["id"] for s in index.rank([goal], limit=20)]

    return rank


def lexical_and_baseline():
    """{"lexical": (p@10, r@20), "baseline": (p@10, r@20)} on the evaluation set."""
    attendees, goals = load()

    def baseline(goal):
        return [attendees[i]["id"] for i in keyword_overlap(attendees, [goal], limit=20)]

    lexical = _ranked_by(LexicalIndex(attendees), attendees)
    return {"lexical": measure(lexical, goals), "baseline": measure(baseline, goals)}


def semantic_figures():
    """{"semantic": (p@10, r@20), "embeddings alone": (p@10, r@20)} on the evaluation set:
    the semantic ranking as the route ranks (closeness fused with the lexical score) and the
    closeness alone (needs the extra hallway[match])."""
    attendees, goals = load()
    lexical = LexicalIndex(attendees)
    vectors = semantic.encode([semantic.embedded_text(person) for person in attendees])
    fused = semantic.SemanticIndex(lexical, vectors)
    alone = semantic.SemanticIndex(lexical, vectors, lexical_weight=0)
    return {
        "semantic": measure(_ranked_by(fused, attendees), goals),
        "embeddings alone": measure(_ranked_by(alone, attendees), goals),
    }
