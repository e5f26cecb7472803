"""The OpenAPI document describes every API route, is valid OpenAPI 3.1, and matches real answers."""

import io

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate
from PIL import Image

from pwa.openapi import undocumented_routes

from .authenticator import Authenticator


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_document_is_valid_openapi_31(document):
    validate(document)
    assert document["openapi"] == "3.1.0"


def test_every_api_route_is_documented(app, document):
    assert undocumented_routes(app) == []
    documented = {
        (path, method) for path, operations in document["paths"].items() for method in operations
    }
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = rule.rule.removeprefix("/api/v1").replace("<", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in documented


def _conforms(document, path, method, status, body):
    schema = document["paths"][path][method]["responses"][str(status)]["content"]
    schema = {**schema["application/json"]["schema"], "components": document["components"]}
    OAS31Validator(schema).validate(body)


def test_real_answers_match_the_document(document, make_user, api_as):
    api = api_as(make_user())
    event = api.post("/api/v1/events", json={"name": "PyCon", "goals": [{"text": "Hire"}]})
    _conforms(document, "/events", "post", 201, event.get_json())
    event_id = event.get_json()["id"]
    contact = api.post(
        "/api/v1/contacts",
        json={"name": "Ada", "tags": ["ml"], "event_id": event_id, "met_at": "2026-05-01T10:00Z"},
    )
    _conforms(document, "/contacts", "post", 201, contact.get_json())
    followup = api.post(
        "/api/v1/followups",
        json={
            "contact_id": contact.get_json()["id"],
            "kind": "thank_you",
            "due_at": "2026-05-02T09:00:00+02:00",
        },
    )
    _conforms(document, "/followups", "post", 201, followup.get_json())
    target = api.post("/api/v1/targets", json={"name": "Grace", "event_id": event_id})
    _conforms(document, "/targets", "post", 201, target.get_json())
    for path in ("/events", "/contacts", "/followups", "/targets"):
        _conforms(document, path, "get", 200, api.get(f"/api/v1{path}").get_json())
    _conforms(document, "/me", "get", 200, api.get("/api/v1/me").get_json())
    _conforms(document, "/me/card", "get", 200, api.get("/api/v1/me/card").get_json())


def test_error_answers_match_the_document(document, make_user, api_as):
    api = api_as(make_user())
    response = api.post("/api/v1/contacts", json={"name": "x" * 201})
    assert response.status_code == 422
    schema = {"$ref": "#/components/schemas/Error", "components": document["components"]}
    OAS31Validator(schema).validate(response.get_json())
    assert response.get_json()["field"] == "name"


def test_path_ids_are_declared_as_uuids_and_a_non_uuid_is_refused(document, make_user, api_as):
    ids = [
        parameter
        for operations in document["paths"].values()
        for operation in operations.values()
        for parameter in operation["parameters"]
        if parameter["in"] == "path"
    ]
    assert ids and all(p["schema"] == {"type": "string", "format": "uuid"} for p in ids)
    client = api_as(make_user())
    for path in ("/contacts/0", "/events/0/attendees", "/targets/not-a-uuid"):
        answer = client.get(f"/api/v1{path}")
        assert answer.status_code in (404, 422), (path, answer.json)
        assert answer.json["error"] in ("not_found", "invalid_field")


def test_my_card_with_a_photo_matches_the_document(document, make_user, api_as):
    api = api_as(make_user())
    image = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(image, "JPEG")
    response = api.post(
        "/api/v1/me/card/photo",
        data={"file": (io.BytesIO(image.getvalue()), "me.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200 and response.get_json()["photo_at"]
    _conforms(document, "/me/card/photo", "post", 200, response.get_json())
    _conforms(document, "/me/card/photo", "delete", 200, api.delete("/api/v1/me/card/photo").json)


@pytest.mark.parametrize(
    "path, method, statuses",
    [
        ("/auth/register", "post", {"201", "403", "409", "429"}),
        ("/auth/signup", "get", {"200"}),
        ("/invites", "get", {"200", "401"}),
        ("/invites", "post", {"201", "401", "403", "409"}),
        ("/invites/{invite_id}", "delete", {"204", "401", "403", "404", "422"}),
    ],
)
def test_every_status_a_route_answers_on_purpose_is_declared(document, path, method, statuses):
    responses = document["paths"][path][method]["responses"]
    assert set(responses) == statuses | {"4XX"}
    for status in statuses - {"200", "201", "204"}:
        assert responses[status]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }


def test_the_register_403_names_its_three_reasons(document):
    reasons = document["paths"]["/auth/register"]["post"]["responses"]["403"]["description"]
    assert all(code in reasons for code in ("signup_closed", "invite_required", "invite_invalid"))


def test_sign_up_answers_match_the_document(document, make_app):
    closed = make_app(SIGNUP="closed").test_client()
    answer = closed.post("/api/v1/auth/register", json={"email": "a@example.com"})
    _conforms(document, "/auth/register", "post", 403, answer.get_json())
    _conforms(document, "/auth/signup", "get", 200, closed.get("/api/v1/auth/signup").get_json())


def test_passkey_answers_match_the_document(document, client, auth):
    auth.register()
    passkeys, phone = "/api/v1/auth/passkeys", Authenticator()
    options = client.post(f"{passkeys}/register/options").get_json()
    _conforms(document, "/auth/passkeys/register/options", "post", 200, options)
    added = client.post(f"{passkeys}/register", json={"credential": phone.create(options)})
    _conforms(document, "/auth/passkeys/register", "post", 201, added.get_json())
    _conforms(document, "/auth/passkeys", "get", 200, client.get(passkeys).get_json())
    auth.logout()
    options = client.post(f"{passkeys}/login/options").get_json()
    _conforms(document, "/auth/passkeys/login/options", "post", 200, options)
    signed_in = client.post(f"{passkeys}/login", json={"credential": phone.get(options)})
    _conforms(document, "/auth/passkeys/login", "post", 200, signed_in.get_json())
    assert document["paths"]["/auth/passkeys/login"]["post"]["security"] == []
