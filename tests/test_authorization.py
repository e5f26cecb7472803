"""Every route in the URL map: who may call it. A route missing here fails the suite."""

import io
import uuid
from types import SimpleNamespace

import pytest
from PIL import Image

from pwa import kinds
from pwa.auth.models import User
from pwa.contacts.photos import process_photo, store_photo
from pwa.db import db, utcnow
from pwa.exchange.cards import MINE, my_card
from pwa.followups import calendar

#: (endpoint, method) -> "public", "signed_in" (no object of anyone's) or the kind of object in the path.
ROUTES = {
    ("static", "GET"): "public",
    ("shell.app_page", "GET"): "public",
    ("shell.service_worker", "GET"): "public",
    ("shell.manifest", "GET"): "public",
    ("shell.favicon", "GET"): "public",
    ("web.healthz", "GET"): "public",
    ("api.openapi_document", "GET"): "public",
    ("api.register", "POST"): "public",
    ("api.login", "POST"): "public",
    ("api.logout", "POST"): "public",
    ("api.logout_everywhere", "POST"): "signed_in",
    ("api.create_token", "POST"): "public",
    ("api.me", "GET"): "signed_in",
    ("api.update_me", "PATCH"): "signed_in",
    ("api.delete_me", "DELETE"): "signed_in",
    ("api.list_sessions", "GET"): "signed_in",
    ("api.end_session", "DELETE"): "signed_in",  # another's session: tests/test_sessions.py
    ("api.change_password", "POST"): "signed_in",
    ("api.signup_mode", "GET"): "public",
    ("api.list_invites", "GET"): "signed_in",
    ("api.create_invite", "POST"): "signed_in",
    ("api.withdraw_invite", "DELETE"): "signed_in",  # another's invite: tests/test_invites.py
    ("api.passkey_registration_options", "POST"): "signed_in",
    ("api.add_passkey", "POST"): "signed_in",
    ("api.list_passkeys", "GET"): "signed_in",
    ("api.remove_passkey", "DELETE"): "signed_in",  # another's passkey: tests/test_passkeys.py
    ("api.passkey_sign_in_options", "POST"): "public",
    ("api.sign_in_with_passkey", "POST"): "public",
    ("api.get_card", "GET"): "signed_in",
    ("api.update_card", "PATCH"): "signed_in",
    ("api.rotate_card", "POST"): "signed_in",
    ("api.upload_card_photo", "POST"): "signed_in",
    ("api.delete_card_photo", "DELETE"): "signed_in",
    ("api.get_card_photo", "GET"): "signed_in",
    ("api.join_event", "POST"): "signed_in",
    ("api.event_list", "GET"): "signed_in",
    ("api.event_create", "POST"): "signed_in",
    ("api.event_get", "GET"): "event",
    ("api.event_update", "PATCH"): "event",
    ("api.event_delete", "DELETE"): "event",
    ("api.list_attendees", "GET"): "event",
    ("api.import_attendees", "POST"): "event",
    ("api.target_list", "GET"): "signed_in",
    ("api.target_create", "POST"): "signed_in",
    ("api.target_get", "GET"): "target",
    ("api.target_update", "PATCH"): "target",
    ("api.target_delete", "DELETE"): "target",
    ("api.contact_list", "GET"): "signed_in",
    ("api.contact_create", "POST"): "signed_in",
    ("api.contact_get", "GET"): "contact",
    ("api.contact_update", "PATCH"): "contact",
    ("api.contact_delete", "DELETE"): "contact",
    ("api.followup_list", "GET"): "signed_in",
    ("api.followup_create", "POST"): "signed_in",
    ("api.followup_get", "GET"): "followup",
    ("api.followup_update", "PATCH"): "followup",
    ("api.followup_delete", "DELETE"): "followup",
    ("api.sync", "POST"): "signed_in",
    ("api.scan_parse", "POST"): "signed_in",
    ("api.push_key", "GET"): "signed_in",
    ("api.list_subscriptions", "GET"): "signed_in",
    ("api.subscribe", "POST"): "signed_in",
    ("api.unsubscribe", "DELETE"): "signed_in",
    ("api.export_followups", "GET"): "signed_in",
    ("api.export_all", "GET"): "signed_in",
    ("api.export_contacts_vcf", "GET"): "signed_in",
    ("api.import_contacts", "POST"): "signed_in",
    ("api.export_contacts_csv", "GET"): "signed_in",
    ("api.create_calendar_token", "POST"): "signed_in",
    ("api.delete_calendar_token", "DELETE"): "signed_in",
    ("web.calendar_feed", "GET"): "calendar_feed",
    ("api.interaction_list", "GET"): "signed_in",
    ("api.interaction_create", "POST"): "signed_in",
    ("api.interaction_get", "GET"): "interaction",
    ("api.interaction_update", "PATCH"): "interaction",
    ("api.interaction_delete", "DELETE"): "interaction",
    ("api.promise_list", "GET"): "signed_in",
    ("api.promise_create", "POST"): "signed_in",
    ("api.promise_get", "GET"): "promise",
    ("api.promise_update", "PATCH"): "promise",
    ("api.promise_delete", "DELETE"): "promise",
    ("api.introduction_list", "GET"): "signed_in",
    ("api.introduction_create", "POST"): "signed_in",
    ("api.introduction_get", "GET"): "introduction",
    ("api.introduction_update", "PATCH"): "introduction",
    ("api.introduction_delete", "DELETE"): "introduction",
    ("api.dismissal_list", "GET"): "signed_in",
    ("api.dismissal_create", "POST"): "signed_in",
    ("api.dismissal_get", "GET"): "dismissal",
    ("api.dismissal_update", "PATCH"): "dismissal",
    ("api.dismissal_delete", "DELETE"): "dismissal",
    ("api.event_suggestions", "GET"): "event",
    ("api.dismiss_suggestion", "POST"): "event",
    ("api.get_cadences", "GET"): "signed_in",
    ("api.put_cadences", "PUT"): "signed_in",
    ("api.reconnect_list", "GET"): "signed_in",
    ("api.report", "GET"): "signed_in",
    ("api.upload_photo", "POST"): "contact",
    ("api.get_photo", "GET"): "contact",
    ("api.merge_contacts", "POST"): "contact",
    ("api.card_qr_svg", "GET"): "signed_in",
    ("api.card_qr_png", "GET"): "signed_in",
    ("api.exchange", "POST"): "signed_in",
    ("cards.public_card", "GET"): "public_card",
    ("cards.public_vcard", "GET"): "public_card",
    ("cards.public_photo", "GET"): "public_card",
    ("cards.share_back", "POST"): "public_card",
}

#: Secret links: the token in the path is the credential; whoever holds it is let in, nobody else.
SECRET_LINKS = {"calendar_feed", "public_card"}

#: A valid body per object kind, so a 404 cannot come from bad input instead.
BODIES = {
    "event": {"name": "x"},
    "target": {"name": "x"},
    "contact": {"name": "x"},
    "followup": {"note": "x"},
    "interaction": {"note": "x"},
    "promise": {"text": "x"},
    "introduction": {"note": "x"},
    "dismissal": {},
}


def _url_map(app):
    return {
        (rule.endpoint, method): rule
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_route_has_an_entry(app):
    assert sorted(_url_map(app)) == sorted(ROUTES)


def test_every_kind_has_a_body_and_an_owned_record(owned):
    assert set(BODIES) == set(owned) == set(kinds.NAMES)


@pytest.fixture
def owned(
    make_user,
    make_event,
    make_target,
    make_contact,
    make_followup,
    make_interaction,
    make_promise,
    make_introduction,
    make_dismissal,
):
    """Objects of every kind belonging to someone else."""
    owner = make_user(email="owner@example.com")
    event = make_event(owner)
    contact = make_contact(owner, event_id=str(event.id))
    return {
        "event": event,
        "target": make_target(owner, event_id=str(event.id)),
        "contact": contact,
        "followup": make_followup(owner, contact_id=str(contact.id)),
        "interaction": make_interaction(owner, contact_id=str(contact.id)),
        "promise": make_promise(owner, contact_id=str(contact.id)),
        "introduction": make_introduction(
            owner, contact_id=str(contact.id), to_id=str(make_contact(owner).id)
        ),
        "dismissal": make_dismissal(owner),
    }


def _path(rule, owned, access):
    values = {}
    for argument in rule.arguments:
        if argument == "filename":
            values[argument] = "app.css"
        else:  # a signed-in route's own id (a session of mine) has no owned object: any UUID
            values[argument] = str(owned[access].id if access in owned else uuid.uuid4())
    return rule.build(values)[1]


@pytest.mark.parametrize("endpoint, method", sorted(ROUTES))
def test_anonymous_is_refused(app, client, owned, secret_links, endpoint, method):
    rule = _url_map(app)[(endpoint, method)]
    access = ROUTES[(endpoint, method)]
    body = BODIES.get(access, {})
    path = _path(rule, {**owned, **secret_links}, access)
    response = client.open(path, method=method, json=body)
    response.close()
    if access == "public" or access in SECRET_LINKS:
        assert response.status_code not in (401, 403, 404)
    else:
        assert response.status_code == 401
        assert response.get_json()["error"] == "unauthorized"


@pytest.mark.parametrize(
    "endpoint, method", sorted(key for key, access in ROUTES.items() if access in BODIES)
)
def test_another_users_object_is_not_found(app, owned, make_user, api_as, endpoint, method):
    rule = _url_map(app)[(endpoint, method)]
    access = ROUTES[(endpoint, method)]
    stranger = api_as(make_user(email="stranger@example.com"))
    before = {kind: (record.version, record.deleted_at) for kind, record in owned.items()}
    response = stranger.open(_path(rule, owned, access), method=method, json=BODIES[access])
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"
    for record in owned.values():
        app.extensions["sqlalchemy"].session.refresh(record)
    assert {kind: (r.version, r.deleted_at) for kind, r in owned.items()} == before


@pytest.fixture
def secret_links(app, owned):
    """The owner's secret links, as {access: object whose id is the token}, with something behind
    each (the card has a photo)."""
    owner = db.session.get(User, owned["event"].user_id)
    token = calendar.new_feed(owner, utcnow())
    card = my_card(owner)
    image = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(image, "PNG")
    store_photo(
        app.config["DATA_DIR"],
        SimpleNamespace(user_id=owner.id, id=MINE),
        *process_photo(image.getvalue()),
    )
    card.photo_at = utcnow()
    db.session.commit()
    return {
        "calendar_feed": SimpleNamespace(id=token),
        "public_card": SimpleNamespace(id=card.public_token),
    }


@pytest.mark.parametrize("access", sorted(SECRET_LINKS))
def test_a_wrong_secret_link_is_not_found(app, client, secret_links, access):
    for endpoint, method in (key for key, value in ROUTES.items() if value == access):
        rule = _url_map(app)[(endpoint, method)]
        wrong = {access: SimpleNamespace(id="x" + secret_links[access].id)}
        response = client.open(_path(rule, wrong, access), method=method)
        assert response.status_code == 404
