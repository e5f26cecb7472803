"""Follow-through in a real Chromium: the Follow-ups screen's "I owe / Owed to me" views with Kept
(and Undo) synced, my due promises among the follow-ups, the Reconnect list ranked on the device
as the server ranks it (offline too), cadences per tag saved from Account, and the follow-through
report's figures worked out on the device equal to GET /report's."""

import datetime as dt
import time
import uuid

from playwright.sync_api import expect

from .helpers import sign_up
from .scenes import seed

UTC = dt.UTC


def _synced(page):
    expect(page.get_by_role("status")).to_contain_text("all changes synced", timeout=15_000)


def _eventually(read, until, seconds=15):
    """What `read()` answers once `until` holds of it (the app syncs a moment after the screen
    shows a change), or its last answer after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        found = read()
        if until(found) or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def _contact(server, name, days_ago, **fields):
    """A contact met `days_ago` days ago (the server takes the meeting as the last touch)."""
    met = dt.datetime.now(UTC).replace(microsecond=0) - dt.timedelta(days=days_ago)
    body = {"id": str(uuid.uuid4()), "name": name, "met_at": met.isoformat(), **fields}
    return server.call("POST", "/contacts", body)["id"]


def _open(page, tab, link=None):
    page.get_by_role("link", name=tab, exact=True).click()
    if link:
        page.get_by_role("link", name=link, exact=True).click()


def _seeded(page, live_server, server):
    sign_up(page, live_server)
    data = seed(server)
    katherine = data["contacts"][2]
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    server.call(
        "POST",
        "/promises",
        {
            "contact_id": katherine,
            "direction": "mine",
            "text": "send the slides",
            "due_on": yesterday,
        },
    )
    page.reload()
    _open(page, "Follow-ups")
    expect(page.get_by_text("Keep in touch: Linus Torvalds")).to_be_visible(timeout=15_000)
    return data


def _titles(page, panel):
    return page.locator(f'[data-view-panel="{panel}"] .followup-title')


def test_views_switch_and_a_kept_promise_syncs(page, live_server, server):
    grace = _seeded(page, live_server, server)["contacts"][0]
    page.set_viewport_size({"width": 320, "height": 640})
    overdue = page.get_by_role("region", name="Overdue")
    expect(overdue.get_by_text("You promised Katherine: send the slides")).to_be_visible()
    # Measured in the page in one step: a sync may draw the screen again between the two steps of
    # bounding_box() (find the link, then measure it), leaving it a detached link with no box.
    name = overdue.get_by_role("link", name="Katherine", exact=True)
    assert name.evaluate("link => link.getBoundingClientRect().height") >= 44  # a tap target
    switch = page.get_by_role("group", name="Show")
    expect(switch).to_be_in_viewport()  # at the thumb, the list long behind it
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    expect(switch.get_by_role("button", name="Follow-ups")).to_have_attribute(
        "aria-pressed", "true"
    )

    switch.get_by_role("button", name="I owe").click()
    expect(switch.get_by_role("button", name="I owe")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_text("Keep in touch: Linus Torvalds")).to_be_hidden()
    expect(_titles(page, "mine")).to_have_text(["send the slides", "send the deck and metrics"])
    mine = page.locator('[data-view-panel="mine"]')
    expect(mine.get_by_role("listitem").first).to_contain_text("To Katherine Johnson")
    expect(mine.get_by_role("listitem").first).to_contain_text("Due yesterday")

    switch.get_by_role("button", name="Owed to me").click()
    expect(_titles(page, "theirs")).to_have_text(["an intro to their platform team"])
    expect(page.locator('[data-view-panel="theirs"]')).to_contain_text("From Grace Hopper")

    switch.get_by_role("button", name="I owe").click()
    page.get_by_role("button", name="Kept: promise to Grace Hopper").click()
    expect(page.get_by_role("note")).to_contain_text("Kept your promise to Grace Hopper.")
    expect(_titles(page, "mine")).to_have_text(["send the slides"])
    _synced(page)

    def mine_of_grace():
        [promise] = [
            p
            for p in server.items("/promises")
            if p["contact_id"] == grace and p["direction"] == "mine"
        ]
        return promise

    assert _eventually(mine_of_grace, lambda p: p["kept_at"])["kept_at"]
    page.get_by_role("note").get_by_role("button", name="Undo").click()
    expect(page.get_by_text("send the deck and metrics")).to_be_visible()
    _synced(page)
    assert _eventually(mine_of_grace, lambda p: not p["kept_at"])["kept_at"] is None

    # The view stays as chosen when the screen draws again (a sync), and switches back.
    page.reload()
    switch.get_by_role("button", name="Follow-ups").click()
    expect(page.get_by_text("Keep in touch: Linus Torvalds")).to_be_visible()


def test_a_kept_due_promise_leaves_the_follow_ups(page, live_server, server):
    _seeded(page, live_server, server)
    reminder = "You promised Katherine: send the slides"
    page.get_by_role("button", name="Kept: promise to Katherine Johnson").click()
    expect(page.get_by_text(reminder)).to_be_hidden()
    page.get_by_role("note").get_by_role("button", name="Undo").click()
    expect(page.get_by_text(reminder)).to_be_visible()


def _reconnect_scene(server):
    """People met long ago, some with a cadence of their own, most by tag; one with none."""
    now = dt.datetime.now(UTC).replace(microsecond=0)
    ids = {
        "Mariana Costa": _contact(server, "Mariana Costa", 70, tags=["investor"]),
        "Ken Thompson": _contact(server, "Ken Thompson", 40, tags=["compilers", "investor"]),
        "Barbara Liskov": _contact(server, "Barbara Liskov", 200, tags=["compilers"]),
        "Dennis Ritchie": _contact(server, "Dennis Ritchie", 12, cadence_days=10),
        "Frances Allen": _contact(server, "Frances Allen", 300, tags=["friends"]),
    }
    # A call a week ago is a touch: Mariana's clock starts again from it.
    server.call(
        "POST",
        "/interactions",
        {
            "contact_id": ids["Mariana Costa"],
            "kind": "called",
            "at": (now - dt.timedelta(days=7)).isoformat(),
        },
    )
    server.call("PUT", "/me/cadences", {"investor": 42, "compilers": 90})
    return ids


RANK_HERE = """async () => {
  const { rankReconnect } = await import('/static/js/reconnect.js');
  const { list } = await import('/static/js/store.js');
  const { getMeta } = await import('/static/js/localdb.js');
  return rankReconnect(await list('contact'), (await getMeta('cadences')) || {})
    .map((item) => item.contact_id);
}"""


def _reconnect_names(page):
    return page.locator("#reconnect-list .reconnect-name a").all_inner_texts()


def test_reconnect_ranks_as_the_server_does_offline_too(page, live_server, server):
    sign_up(page, live_server)
    seed(server)
    ids = _reconnect_scene(server)
    page.reload()
    _open(page, "People")
    expect(page.get_by_role("link", name="Frances Allen")).to_be_visible(timeout=15_000)
    _synced(page)
    _open(page, "Follow-ups", "Reconnect")
    expect(page.get_by_role("heading", name="Reconnect")).to_be_visible()
    expected = [item["contact_id"] for item in server.items("/reconnect")]
    names = {contact_id: name for name, contact_id in ids.items()}
    # Ken: 40 days of 42; Barbara: 200 of 90; Dennis 12 of 10; Mariana: 7 of 42 (the call).
    assert [names.get(i) for i in expected][:4] == [
        "Barbara Liskov",
        "Dennis Ritchie",
        "Ken Thompson",
        "Mariana Costa",
    ]
    expect(page.locator("#reconnect-list li")).to_have_count(len(expected))
    assert page.evaluate(RANK_HERE) == expected
    by_name = {item["contact_id"]: item["name"] for item in server.items("/reconnect")}
    assert _reconnect_names(page) == [by_name[i] for i in expected]
    assert "Frances Allen" not in _reconnect_names(page)  # friends have no cadence
    barbara = page.locator("#reconnect-list li").first
    expect(barbara).to_contain_text("Overdue")
    expect(barbara).to_contain_text("Last in touch 7 months ago; every 3 months.")
    mariana = page.locator("#reconnect-list li", has_text="Mariana Costa")
    expect(mariana).to_contain_text("Last in touch 7 days ago; every 6 weeks.")
    page.get_by_role("link", name="Ken Thompson").click()
    expect(page.get_by_role("heading", name="Ken Thompson")).to_be_visible()

    page.context.set_offline(True)
    page.get_by_role("link", name="Follow-ups", exact=True).click()
    page.get_by_role("link", name="Reconnect", exact=True).click()
    expect(page.locator("#reconnect-list li")).to_have_count(len(expected))
    assert _reconnect_names(page) == [by_name[i] for i in expected]


def test_cadences_are_saved_from_account(page, live_server, server):
    sign_up(page, live_server)
    data = seed(server)
    margaret = data["contacts"][1]
    page.reload()
    _open(page, "People")
    expect(page.get_by_role("link", name="Grace Hopper")).to_be_visible(timeout=15_000)
    page.get_by_role("link", name="Account").click()
    section = page.get_by_role("region", name="Keep in touch")
    expect(section.get_by_label("compilers")).to_have_value("")
    section.get_by_label("investor").select_option(label="6 weeks")
    expect(page.get_by_role("note")).to_contain_text(
        "Saved: keep in touch with investor every 6 weeks."
    )
    assert server.call("GET", "/me/cadences") == {"investor": 42}
    # The server plans Margaret's next keep-in-touch six weeks after we met.
    keep = _eventually(
        lambda: [
            f
            for f in server.items("/followups")
            if f["contact_id"] == margaret and f["kind"] == "keep_in_touch"
        ],
        bool,
    )
    assert len(keep) == 1
    _open(page, "Follow-ups")
    row = page.get_by_role("listitem").filter(has_text="Keep in touch: Margaret Hamilton")
    expect(row).to_contain_text("Last in touch today")  # not "Keep in touch" twice
    _open(page, "Follow-ups", "Reconnect")
    expect(page.locator("#reconnect-list")).to_contain_text("Margaret Hamilton")
    expect(page.locator("#reconnect-list")).to_contain_text("every 6 weeks")

    page.get_by_role("link", name="Account").click()
    section.get_by_label("investor").select_option(label="None")
    expect(page.get_by_role("note")).to_contain_text("Saved: no cadence for investor.")
    assert server.call("GET", "/me/cadences") == {}
    section.get_by_label("compilers").select_option(label="3 months")
    expect(page.get_by_role("note")).to_contain_text("every 3 months")

    page.context.set_offline(True)
    _open(page, "Follow-ups")
    page.get_by_role("link", name="Account").click()
    expect(
        section.get_by_text("You are offline: cadences change when you are back online.")
    ).to_be_visible()
    expect(section.get_by_label("compilers")).to_be_disabled()
    expect(section.get_by_label("compilers")).to_have_value("90")  # the cached answer
    page.context.set_offline(False)


def _patch(server, kind, record_id, fields):
    server.call("PATCH", f"/{kind}/{record_id}", fields)


def _report_scene(server, data):
    """A month of follow-through in New York: thank-yous on time and late, check-backs on time
    (by New York's evening, late by UTC's day), late and not done, promises kept and not."""
    server.call("PATCH", "/me", {"timezone": "America/New_York"})
    grace = data["contacts"][0]
    event = data["event"]
    hedy = _contact(server, "Hedy Lamarr", 0, event_id=event)
    alan = _contact(server, "Alan Kay", 0, event_id=event, next_step="Send the paper")
    followups = server.items("/followups")

    def planned(contact_id, kind):
        return next(f for f in followups if f["contact_id"] == contact_id and f["kind"] == kind)

    now = dt.datetime.now(UTC).replace(microsecond=0)
    # Hedy thanked at once; Alan's thank-you done two days after we met.
    _patch(server, "followups", planned(hedy, "thank_you")["id"], {"done_at": now.isoformat()})
    _patch(
        server,
        "followups",
        planned(alan, "thank_you")["id"],
        {"done_at": (now + dt.timedelta(days=2)).isoformat()},
    )
    day = dt.date.today() - dt.timedelta(days=5)
    on_time = _contact(server, "Ken Thompson", 10, next_step_due=day.isoformat())
    late = _contact(
        server, "Barbara Liskov", 10, next_step_due=(day - dt.timedelta(days=1)).isoformat()
    )
    _contact(server, "Dennis Ritchie", 9, next_step_due=day.isoformat())  # due, not done
    _contact(server, "Frances Allen", 8, no_next_step=True)
    followups = server.items("/followups")
    # 22:00 in New York on the due day is 02:00 UTC the day after: on time in New York only.
    evening = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(3), UTC)
    _patch(
        server, "followups", planned(on_time, "check_back")["id"], {"done_at": evening.isoformat()}
    )
    _patch(
        server,
        "followups",
        planned(late, "check_back")["id"],
        {"done_at": dt.datetime.combine(day, dt.time(12), UTC).isoformat()},
    )
    theirs = next(
        p
        for p in server.items("/promises")
        if p["contact_id"] == grace and p["direction"] == "theirs"
    )
    _patch(server, "promises", theirs["id"], {"kept_at": now.isoformat()})


FIGURES_HERE = """async (eventId) => {
  const { localFigures } = await import('/static/js/screens/follow-through.js');
  return localFigures(eventId);
}"""


def test_the_report_figures_equal_the_servers(page, live_server, server):
    sign_up(page, live_server)
    data = seed(server)
    _report_scene(server, data)
    page.reload()
    _open(page, "People")
    expect(page.get_by_role("link", name="Frances Allen")).to_be_visible(timeout=15_000)
    _synced(page)
    overall = server.call("GET", "/report")
    at_event = server.call("GET", f"/report?event_id={data['event']}")
    assert overall["check_backs_on_time"] == 1 and overall["check_backs_due"] >= 3
    assert overall["thank_you_within_day"] == 1 and overall["promises_theirs_kept"] == 1
    assert page.evaluate(FIGURES_HERE, None) == overall
    assert page.evaluate(FIGURES_HERE, data["event"]) == at_event

    _open(page, "Follow-ups", "Follow-through report")
    numbers = page.locator("#follow-through-numbers")
    expect(numbers).to_contain_text(
        f"Thanked within a day: {overall['thank_you_within_day']} of the {overall['met']} people met."
    )
    expect(numbers).to_contain_text(
        f"Checked back on time: 1 of {overall['check_backs_due']} due so far."
    )
    expect(numbers).to_contain_text("Promises kept to me: 1 of 1.")
    expect(numbers).to_contain_text(f"No next step yet: {overall['without_next_step']} people.")
    expect(page.locator("#follow-through-chart svg rect.done")).to_have_count(5)

    page.goto(f"{live_server}/events/{data['event']}")
    page.get_by_role("link", name="Follow-through report for this event").click()
    expect(page.get_by_text("For the people you met at PyCon Lisbon.")).to_be_visible()
    expect(numbers).to_contain_text(f"of the {at_event['met']} people met.")
    page.get_by_role("link", name="Back").click()
    expect(page.get_by_role("heading", name="PyCon Lisbon")).to_be_visible()
