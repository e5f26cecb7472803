"""JSON nested absurdly deep is a 400 bad_json before any parser recurses through it, on every
JSON route and in uploaded files; ordinary nesting is untouched."""

import io

import pytest

from pwa.api import MAX_JSON_DEPTH, json_depth

DEEP = "[" * 1000 + "]" * 1000


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/api/v1/contacts"), ("POST", "/api/v1/sync"), ("PATCH", "/api/v1/me/card")],
)
def test_a_body_nested_a_thousand_deep_is_bad_json(make_user, api_as, method, path):
    client = api_as(make_user())
    body = f'{{"name": "Grace", "notes": {DEEP}}}'
    answer = client.open(path, method=method, data=body, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json["error"] == "bad_json"
    assert f"deeper than {MAX_JSON_DEPTH} levels" in answer.json["message"]


def test_deep_json_in_an_uploaded_file_is_bad_json(make_user, make_event, api_as):
    user = make_user()
    event = make_event(user, name="PyCon")
    answer = api_as(user).post(
        f"/api/v1/events/{event.id}/attendees/import",
        data={"file": (io.BytesIO(("[" * 100_000 + "]" * 100_000).encode()), "a.json")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400 and answer.json["error"] == "bad_json"
    assert "nests too deeply" in answer.json["message"]


def test_depth_counts_brackets_outside_strings_only():
    assert json_depth(b'{"a": [1, {"b": "[[[[{"}]}') == 3
    assert json_depth(b'["\\"[[[", "\\\\"]') == 1
    assert json_depth(DEEP.encode()) == 1000
