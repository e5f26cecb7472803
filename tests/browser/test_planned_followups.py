"""The app's offline plan and the server's plan are the same records: a card captured offline,
with a next-step date and a promise, syncs to one thank-you, one check-back and one promise
(never two of each), and a date moved offline moves the one check-back."""

import json
import uuid

from playwright.sync_api import expect

from pwa.followups.plans import plan_id

from .helpers import PASSWORD, capture, sign_up

PLAN_IDS = """async (pairs) => {
    const { planId } = await import('/static/js/plans.js');
    return Promise.all(pairs.map(([contact, what]) => planId(contact, what)));
}"""


def test_the_app_makes_the_same_plan_ids_as_the_server(page, live_server):
    page.goto(f"{live_server}/static/js/plans.js")  # the app's origin, not signed in
    pairs = [
        [str(uuid.uuid4()), what]
        for what in ("thank_you", "check_back", "promise:mine", "check_back:2031-04-05")
    ]
    pairs.append(["00000000-0000-0000-0000-000000000000", "keep_in_touch"])
    made = page.evaluate(PLAN_IDS, pairs)
    assert made == [str(plan_id(uuid.UUID(contact), what)) for contact, what in pairs]


def _planned(server, name):
    [contact] = [c for c in server.items("/contacts") if c["name"] == name]
    followups = [f for f in server.items("/followups") if f["contact_id"] == contact["id"]]
    promises = [p for p in server.items("/promises") if p["contact_id"] == contact["id"]]
    return contact, followups, promises


def test_a_card_captured_offline_syncs_to_one_plan(launch, live_server, server):
    context = launch()
    page = context.pages[0]
    sign_up(page, live_server)
    server.sign_in("ada@example.com", PASSWORD)

    context.set_offline(True)
    capture(
        page,
        "Margaret Hamilton",
        **{"Next step date": "2031-03-04", "I promised": "The deck"},
    )
    expect(page.get_by_role("status")).to_contain_text("waiting to sync")
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_role("status")).to_contain_text("all changes synced", timeout=15_000)

    contact, followups, promises = _planned(server, "Margaret Hamilton")
    assert sorted(f["kind"] for f in followups) == ["check_back", "thank_you"]
    assert {f["id"] for f in followups} == {
        str(plan_id(uuid.UUID(contact["id"]), what)) for what in ("thank_you", "check_back")
    }
    assert [(p["direction"], p["text"], p["due_on"]) for p in promises] == [
        ("mine", "The deck", "2031-03-04")
    ]
    page.reload()  # what the server sends back lands on the same records
    page.get_by_role("link", name="Follow-ups").click()
    expect(page.get_by_text("Thank-you: Margaret Hamilton")).to_have_count(1)

    # The date moved offline moves the one check-back, here and on the server.
    context.set_offline(True)
    page.get_by_role("link", name="People").click()
    # the Follow-ups screen links to her too: wait until People is the screen on show
    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()
    page.get_by_role("link", name="Margaret Hamilton").click()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Next step date").fill("2031-04-05")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("waiting to sync")
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_role("status")).to_contain_text("all changes synced", timeout=15_000)
    _, followups, promises = _planned(server, "Margaret Hamilton")
    [check_back] = [f for f in followups if f["kind"] == "check_back"]
    assert check_back["due_at"].startswith("2031-04-05")
    assert len(followups) == 2
    assert [p["due_on"] for p in promises] == ["2031-04-05"]  # moved by the server


REPLAN = """async ([contact, changed, followups]) => {
    const { replannedRecords } = await import('/static/js/plans.js');
    const plan = await replannedRecords(contact, changed, followups);
    return JSON.stringify({
        save: plan.save.map((p) => p.id), remove: plan.remove.map((p) => p.id) });
}"""


def test_an_edit_replans_the_check_back_as_the_server_does(page, live_server):
    page.goto(f"{live_server}/static/js/plans.js")
    contact_id = uuid.uuid4()
    first = str(plan_id(contact_id, "check_back"))
    dated = str(plan_id(contact_id, "check_back:2031-06-01"))
    legacy = str(uuid.uuid4())

    def replan(due, followups, changed=None):

        contact = {"id": str(contact_id), "next_step_due": due}
        answer = page.evaluate(REPLAN, [contact, changed or {"next_step_due": due}, followups])
        return json.loads(answer)

    def check_back(record_id, done=None):
        return {"id": record_id, "kind": "check_back", "done_at": done}

    assert replan("2031-03-04", []) == {"save": [first], "remove": []}
    assert replan("2031-04-05", [check_back(first)]) == {"save": [first], "remove": []}
    assert replan(None, [check_back(first)]) == {"save": [], "remove": [first]}
    assert replan("2031-06-01", [check_back(legacy)]) == {"save": [legacy], "remove": []}
    done = check_back(first, "2031-03-04T10:00:00Z")
    assert replan("2031-06-01", [done]) == {"save": [dated], "remove": []}
    assert replan("2031-07-01", [done, check_back(dated)]) == {"save": [dated], "remove": []}
    assert replan(None, [done, check_back(dated)]) == {"save": [], "remove": [dated]}
    assert replan(None, [done]) == {"save": [], "remove": []}
    assert replan("2031-06-01", [], changed={"notes": "x"}) == {"save": [], "remove": []}
