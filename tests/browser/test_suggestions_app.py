"""'Suggested for you' in a real browser (issue 17): an event with goals and a directory, a
suggestion with its reason, one added to the research list (its why the reason), one dismissed
(gone for good, on the server too), and the last answer shown offline."""

import datetime as dt
import uuid

from playwright.sync_api import expect

from pwa.suggestions.kinds import DISMISSALS, dismissal_id

from .helpers import PASSWORD, import_directory, sign_up

DIRECTORY = """name,company,title,bio
Mariana Costa,Seedcamp,Partner,I invest in B2B SaaS at seed stage
Tomas Silva,Indico Capital,Principal,Seed investor in software for businesses
Grace Hopper,US Navy,Rear Admiral,Compilers and the first debugger
"""


def seed_event(server, goals=("Find a seed investor for B2B SaaS",)):
    """An event under way with my goals and a directory of three."""
    server.sign_in("ada@example.com", PASSWORD)
    today = dt.date.today().isoformat()
    event = server.call(
        "POST",
        "/events",
        {"name": "SaaS Summit", "starts_on": today, "goals": [{"text": t} for t in goals]},
    )
    report = import_directory(server, event["id"], DIRECTORY)
    assert report["imported"] == 3, report
    return event


def test_suggestions_add_dismiss_and_offline(launch, live_server, server):
    context = launch()
    page = context.pages[0]
    sign_up(page, live_server)
    event = seed_event(server)
    page.reload()
    page.get_by_role("link", name="Research").click()
    page.get_by_role("link", name="Events").click()
    page.get_by_role("link", name="SaaS Summit").click()

    box = page.locator("#event-suggestions")
    expect(box.get_by_role("heading", name="Suggested for you")).to_be_visible()
    mariana = box.get_by_role("listitem").filter(has_text="Mariana Costa")
    tomas = box.get_by_role("listitem").filter(has_text="Tomas Silva")
    expect(mariana).to_contain_text("Partner, Seedcamp")
    expect(mariana).to_contain_text("Matches your goal")
    suggested = server.call("GET", f"/events/{event['id']}/suggestions")["items"]
    reason = next(item["reason"] for item in suggested if item["name"] == "Mariana Costa")
    assert reason.endswith(": Partner at Seedcamp, I invest in B2B SaaS at seed stage")
    # shown without who she is, which the line above says already
    expect(mariana.locator(".reason")).to_have_text(reason.replace(": Partner at Seedcamp, ", ": "))
    expect(box.get_by_role("listitem").filter(has_text="Grace Hopper")).to_have_count(0)

    # add one: a target on the server, its why the reason, and off the suggestions
    mariana.get_by_role("button", name="Add to my list").click()
    expect(page.get_by_role("note")).to_contain_text("Added Mariana Costa to your list.")
    expect(mariana).to_have_count(0)
    directory = page.locator("#attendee-list").get_by_role("listitem")
    expect(directory.filter(has_text="Mariana Costa")).to_contain_text("On my list")
    expect(page.get_by_role("status")).to_contain_text("all changes synced", timeout=15_000)
    targets = server.items("/targets")
    assert [(t["name"], t["why"], t["event_id"]) for t in targets] == [
        ("Mariana Costa", reason, event["id"])
    ]
    assert targets[0]["attendee_id"]

    # dismiss another, Undo brings them back, dismissing again sticks (on the server too)
    tomas.get_by_role("button", name="Not for me").click()
    expect(tomas).to_have_count(0)
    expect(box.locator("[data-suggestions-line]")).to_have_text("No more suggestions for now.")
    page.get_by_role("note").get_by_role("button", name="Undo").click()
    expect(tomas).to_be_visible()
    tomas.get_by_role("button", name="Not for me").click()
    expect(tomas).to_have_count(0)
    expect(page.get_by_role("status")).to_contain_text("all changes synced", timeout=15_000)
    dismissals = server.items("/dismissals")
    assert len(dismissals) == 1 and dismissals[0]["event_id"] == event["id"]
    assert server.call("GET", f"/events/{event['id']}/suggestions")["items"] == []
    # the app names a dismissal as the server does (uuid5 of user, event and attendee)
    me, attendee = server.call("GET", "/me")["id"], dismissals[0]["attendee_id"]
    made = page.evaluate(
        "async ([space, name]) => (await import('/static/js/uuid5.js')).uuid5(space, name)",
        [str(DISMISSALS), f"{me}:{event['id']}:{attendee}"],
    )
    assert made == str(dismissal_id(uuid.UUID(me), uuid.UUID(event["id"]), uuid.UUID(attendee)))
    page.reload()
    expect(box.locator("[data-suggestions-line]")).to_contain_text(
        "No one in the directory matches your goals yet."
    )
    expect(box.get_by_role("listitem")).to_have_count(0)

    # a goal added here: once it has synced, the suggestions follow it
    page.get_by_label("New goal").fill("Talk compilers and debuggers")
    page.get_by_role("button", name="Add goal").click()
    expect(box.get_by_role("listitem").filter(has_text="Grace Hopper")).to_be_visible(
        timeout=15_000
    )

    # offline: the last answer, said to be from the last time online
    page.get_by_role("link", name="Research").click()
    research = page.locator("#research-suggestions")
    expect(research.get_by_role("heading")).to_have_text("Suggested for you at SaaS Summit")
    expect(research.get_by_role("listitem").filter(has_text="Grace Hopper")).to_be_visible(
        timeout=15_000
    )
    context.set_offline(True)
    page.reload()
    expect(research.locator("[data-suggestions-line]")).to_contain_text("From the last time online")
    grace = research.get_by_role("listitem").filter(has_text="Grace Hopper")
    expect(grace).to_be_visible()
    grace.get_by_role("button", name="Add to my list").click()  # offline too, into the store
    expect(page.locator("#target-list")).to_contain_text("Grace Hopper")
    expect(grace).to_have_count(0)


def test_a_member_with_no_goals_is_told_so_and_sets_their_own(launch, live_server, server):
    # Ada (over the API) owns the event; Bob joins it in the app.
    server.call(
        "POST", "/auth/register", {"name": "Ada", "email": "ada@example.com", "password": PASSWORD}
    )
    event = seed_event(server, goals=("Hire a compiler engineer",))
    code = server.call("GET", f"/events/{event['id']}")["join_code"]
    context = launch()
    page = context.pages[0]
    sign_up(page, live_server, name="Bob", email="bob@example.com")
    page.goto(f"{live_server}/events")
    page.get_by_label("Join code").fill(code)
    page.get_by_role("button", name="Join event").click()
    expect(page.get_by_role("heading", name="SaaS Summit")).to_be_visible()

    box = page.locator("#event-suggestions")
    line = box.locator("[data-suggestions-line]")
    expect(line).to_contain_text("Add a goal to get suggestions.")  # not Ada's goals
    expect(page.get_by_text("Hire a compiler engineer")).to_have_count(0)
    box.get_by_role("button", name="Go to my goals").click()
    page.get_by_label("New goal").fill("Find a seed investor for B2B SaaS")
    page.get_by_role("button", name="Add goal").click()
    expect(box.get_by_role("listitem").filter(has_text="Mariana Costa")).to_be_visible()
    bob = type(server)(server.url)
    bob.sign_in("bob@example.com", PASSWORD)
    goals = bob.call("GET", f"/events/{event['id']}")["goals"]
    assert [goal["text"] for goal in goals] == ["Find a seed investor for B2B SaaS"]
    owner_goals = server.call("GET", f"/events/{event['id']}")["goals"]
    assert [goal["text"] for goal in owner_goals] == ["Hire a compiler engineer"]

    # offline, a member's goal cannot be kept: put back, with a sentence saying why
    context.set_offline(True)
    page.get_by_label("New goal").fill("Meet a journalist")
    page.get_by_role("button", name="Add goal").click()
    expect(page.locator("#goals-note")).to_have_text(
        "Your goals for a joined event save when you are online: try again then."
    )
    expect(page.locator("#goal-list").get_by_role("listitem")).to_have_count(1)
    expect(page.get_by_label("New goal")).to_have_value("Meet a journalist")  # not lost
