"""Reminders in a real Chromium: subscribing, a pushed reminder shown, Done from the notification."""

import base64
import json
import urllib.error

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from playwright.sync_api import expect

from .helpers import PASSWORD, sign_up

ENDPOINT = "https://fcm.googleapis.com/fcm/send/hallway-browser-test"


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _stub_push(context):
    """pushManager.subscribe cannot reach a real push service here: answer with our own keys."""
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    subscription = {
        "endpoint": ENDPOINT,
        "expirationTime": None,
        "keys": {"p256dh": _b64(public), "auth": _b64(b"0123456789abcdef")},
    }
    context.add_init_script(
        f"""(() => {{
        if (!self.PushManager) return;
        const json = {json.dumps(subscription)};
        // What this browser holds, kept across reloads as a real subscription is.
        const fake = {{
            endpoint: json.endpoint, toJSON: () => json, options: {{}},
            unsubscribe: async () => {{ localStorage.removeItem('test-push'); return true; }},
        }};
        PushManager.prototype.subscribe = async () => {{
            localStorage.setItem('test-push', 'on');
            return fake;
        }};
        PushManager.prototype.getSubscription = async () =>
            localStorage.getItem('test-push') ? fake : null;
        }})()"""
    )


def _reminders_on(launch, live_server, server):
    """A signed-up page (context, page) whose device takes reminders; the server signed in as
    the same user."""
    context = launch()
    _stub_push(context)
    context.grant_permissions(["notifications"], origin=live_server)
    page = context.pages[0]
    sign_up(page, live_server)
    server.sign_in("ada@example.com", PASSWORD)
    page.get_by_role("link", name="Follow-ups").click()
    page.get_by_role("button", name="Turn on reminders").click()
    expect(page.get_by_text("Reminders are on for this device.")).to_be_visible()
    [device] = server.call("GET", "/push/subscriptions")["items"]
    assert device["endpoint"] == ENDPOINT
    return context, page


def test_reminder_is_shown_and_done_from_the_notification(launch, live_server, server):
    context, page = _reminders_on(launch, live_server, server)
    grace = server.call("POST", "/contacts", {"name": "Grace Hopper"})
    followup = server.call(
        "POST",
        "/followups",
        {"contact_id": grace["id"], "kind": "thank_you", "due_at": "2026-01-02T09:00:00+00:00"},
    )

    payload = {
        "type": "reminder",
        "title": "Say thank you to Grace Hopper",
        "body": "COBOL",
        "followup_id": followup["id"],
        "contact_id": grace["id"],
        "url": f"/people/{grace['id']}",
        "tag": f"followup-{followup['id']}",
        "actions": [{"action": "done", "title": "Done"}, {"action": "snooze", "title": "Snooze"}],
    }
    cdp = context.new_cdp_session(page)
    registration = {}
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registration.update(
            {r["scopeURL"]: r["registrationId"] for r in event["registrations"]}
        ),
    )
    cdp.send("ServiceWorker.enable")
    for _ in range(100):  # the registration is reported a moment later (longer on a busy machine)
        if f"{live_server}/" in registration:
            break
        page.wait_for_timeout(100)
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server,
            "registrationId": registration[f"{live_server}/"],
            "data": json.dumps(payload),
        },
    )
    shown = page.evaluate(
        """async () => {
            const registration = await navigator.serviceWorker.ready;
            for (let i = 0; i < 50; i += 1) {
                const notes = await registration.getNotifications();
                if (notes.length) return notes.map((n) => ({ title: n.title, body: n.body, tag: n.tag,
                    actions: n.actions.map((a) => a.action) }));
                await new Promise((r) => setTimeout(r, 100));
            }
            return [];
        }"""
    )
    assert shown == [
        {
            "title": "Say thank you to Grace Hopper",
            "body": "COBOL",
            "tag": f"followup-{followup['id']}",
            "actions": ["done", "snooze"],
        }
    ]

    # "Done" on the notification runs this (in the service worker): a local edit, then sync.
    page.evaluate(
        "async (data) => (await import('/static/js/notifications.js')).act('done', data)", payload
    )
    for _ in range(150):  # the edit reaches the server with the sync that follows it
        done = server.call("GET", f"/followups/{followup['id']}")
        if done["done_at"] is not None:
            break
        page.wait_for_timeout(100)
    assert done["done_at"] is not None


def test_signing_out_stops_this_devices_reminders(launch, live_server, server):
    _, page = _reminders_on(launch, live_server, server)
    page.get_by_role("link", name="Account").click()
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert server.call("GET", "/push/subscriptions")["items"] == []
    assert page.evaluate("localStorage.getItem('test-push')") is None  # unsubscribed here too


def test_signing_out_everywhere_ends_every_session_and_token(launch, live_server, server):
    _, page = _reminders_on(launch, live_server, server)
    page.get_by_role("link", name="Account").click()
    page.get_by_role("button", name="Sign out everywhere").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    with pytest.raises(urllib.error.HTTPError) as refused:
        server.call("GET", "/me")  # the script's API token is revoked too
    assert refused.value.code == 401
    refused.value.close()
    server.token = None
    server.sign_in("ada@example.com", PASSWORD)
    assert server.call("GET", "/push/subscriptions")["items"] == []


def test_a_device_signed_out_everywhere_from_elsewhere_can_still_sign_out(
    launch, live_server, server
):
    _, page = _reminders_on(launch, live_server, server)
    server.call("POST", "/auth/logout-everywhere")  # from a script, say on another device
    page.get_by_role("link", name="Account").click()
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert page.evaluate("localStorage.getItem('test-push')") is None  # unsubscribed here too


def test_reminders_are_turned_off_and_on_again_in_account(launch, live_server, server):
    _, page = _reminders_on(launch, live_server, server)
    page.get_by_role("link", name="Account").click()
    state = page.locator("#reminders-state")
    expect(state).to_have_text("Reminders are on for this device.")
    page.get_by_role("button", name="Turn off reminders").click()
    expect(state).to_have_text("Reminders are off for this device.")
    assert server.call("GET", "/push/subscriptions")["items"] == []
    assert page.evaluate("localStorage.getItem('test-push')") is None
    page.get_by_role("button", name="Turn on reminders").click()
    expect(page.get_by_role("button", name="Turn off reminders")).to_be_visible()
    [device] = server.call("GET", "/push/subscriptions")["items"]
    assert device["endpoint"] == ENDPOINT
