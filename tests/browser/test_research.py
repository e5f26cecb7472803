"""The research list in a real browser: an event with goals, an imported directory, meeting prep
offline, a target marked met by a capture, and the event report."""

import re
from datetime import date

from playwright.sync_api import expect

from .helpers import PASSWORD, create_event, sign_up

ATTENDEES = """Full name,Employer,Role,E-mail,Pass
Grace Hopper,US Navy,Rear Admiral,grace@example.com,B-001
Linus Torvalds,Linux Foundation,Fellow,linus@example.com,B-002
,Nowhere Inc,Ghost,ghost@example.com,B-003
"""


def _import_directory(page, tmp_path):
    """Import a generic CSV through the mapping step and its preview."""
    path = tmp_path / "attendees.csv"
    path.write_text(ATTENDEES)
    page.get_by_label("Attendee file").set_input_files(str(path))
    expect(page.get_by_label("Name column")).to_have_value("Full name")
    expect(page.get_by_label("Company column")).to_have_value("Employer")
    page.get_by_label("Badge id column").select_option("Pass")
    page.get_by_role("button", name="Preview with these columns").click()
    expect(
        page.get_by_text("CSV: 2 new, 0 to update, 0 left out, 1 with problems.")
    ).to_be_visible()
    expect(page.get_by_text("Line 2 · new · Grace Hopper, Rear Admiral, US Navy")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Line 4: "))).to_be_visible()
    page.get_by_role("button", name="Import these people").click()
    expect(
        page.get_by_text("Imported: 2 new, 0 updated, 0 left out, 1 with problems.")
    ).to_be_visible()
    assert page.get_by_role("progressbar", name="Import progress").evaluate("p => p.value") == 1


def test_research_list_prep_offline_met_by_capture_and_report(
    launch, live_server, server, tmp_path
):
    context = launch()
    page = context.pages[0]
    sign_up(page, live_server)
    server.sign_in("ada@example.com", PASSWORD)
    today = date.today().isoformat()

    create_event(page, today)
    page.get_by_label("Meet two maintainers").check()
    expect(page.get_by_role("status")).to_contain_text("all changes synced", timeout=15_000)
    expect(page.locator("#join-code")).to_have_text(re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$"))
    code = page.locator("#join-code").inner_text()
    _import_directory(page, tmp_path)
    directory = page.locator("#attendee-list")
    expect(directory.get_by_role("listitem")).to_have_count(2)
    page.get_by_label("Search attendees").fill("hopper")
    expect(directory.get_by_role("listitem")).to_have_count(1)
    grace = directory.get_by_role("listitem").filter(has_text="Grace Hopper")
    grace.get_by_role("button", name="Add to my research list").click()
    expect(grace.get_by_text("On my list")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("all changes synced", timeout=15_000)

    page.get_by_role("link", name="My card").click()
    page.get_by_label("My introduction").fill("I build compilers. I make them friendly.")
    page.get_by_role("button", name="Save my card").click()
    expect(page.get_by_text("Your card is saved.")).to_be_visible()

    page.get_by_role("link", name="Research").click()
    page.get_by_role("link", name="Add someone to meet").click()
    page.get_by_label("Name").fill("Guido van Rossum")
    page.get_by_label("Company").fill("Microsoft")
    expect(page.get_by_label("For event")).to_have_text(re.compile("PyCon Test"))
    page.get_by_label("Why meet them").fill("He reviews typing PEPs")
    page.get_by_label("What I can offer").fill("Benchmarks of our checker")
    page.get_by_label("Questions").fill("What blocks PEP 999?\nWho else should review it?")
    page.get_by_label("Outcome I want").fill("A reviewer for the PEP")
    page.get_by_label("Priority").select_option("1")
    page.get_by_role("button", name="Save target").click()
    targets = page.locator("#target-list > li")
    expect(targets).to_have_count(2)
    expect(targets.first).to_contain_text("Guido van Rossum")  # priority 1 before priority 3
    expect(targets.last).to_contain_text("Grace Hopper")
    expect(targets.last).to_contain_text("US Navy · priority 3 · to meet · PyCon Test")
    page.get_by_label("Search my list").fill("navy")
    expect(targets).to_have_count(1)
    page.get_by_label("Search my list").fill("")
    expect(targets).to_have_count(2)
    expect(page.get_by_role("status")).to_contain_text("all changes synced", timeout=15_000)

    context.set_offline(True)
    page.reload()
    targets.filter(has_text="Guido").get_by_role("link", name="Meeting prep").click()
    expect(page).to_have_url(re.compile(r"/research/[0-9a-f-]+/prep$"))
    page.reload()  # a deep link to the prep view, offline
    expect(page.get_by_role("heading", name="Guido van Rossum")).to_be_visible()
    expect(page.get_by_text("Microsoft", exact=True)).to_be_visible()
    expect(page.get_by_text("He reviews typing PEPs")).to_be_visible()
    expect(page.get_by_text("Benchmarks of our checker")).to_be_visible()
    expect(
        page.get_by_role("listitem").filter(has_text="Who else should review it?")
    ).to_be_visible()
    expect(page.get_by_text("A reviewer for the PEP")).to_be_visible()
    expect(page.get_by_text("I build compilers. I make them friendly.")).to_be_visible()

    page.get_by_role("link", name="Capture").click()
    page.get_by_label("Name").fill("guido")
    page.get_by_role("button", name="On my list: Guido van Rossum, Microsoft").click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved Guido van Rossum.")).to_be_visible()
    page.get_by_label("Name").fill("Brian Unplanned")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved Brian Unplanned.")).to_be_visible()
    page.get_by_role("link", name="Follow-ups").click()
    page.get_by_role("button", name="Done: Thank-you: Guido van Rossum").click()
    page.get_by_role("link", name="Research").click()
    expect(targets.filter(has_text="Guido")).to_contain_text("priority 1 · met")

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_role("status")).to_contain_text("all changes synced", timeout=15_000)
    page.get_by_role("link", name="Events").click()
    page.get_by_role("link", name="PyCon Test").click()
    report = page.locator("#event-report")
    expect(report.get_by_role("heading", name="The event so far")).to_be_visible()
    numbers = report.get_by_role("listitem")
    expect(numbers).to_have_text(
        [
            "Goals met: 1 of 2",
            "On my list, met: 1 of 2",
            "Met, not planned: 1 of the 2 I met",
            "Follow-ups done: 1 of 1 due; 1 due later",
        ]
    )
    chart = report.get_by_role("img", name="The event so far")
    bars = chart.evaluate(
        "svg => [...svg.querySelectorAll('rect.done')].map(r => r.getAttribute('width'))"
    )
    assert bars == ["74", "74", "74", "148"]  # half, half, half, all of the 148-unit track

    [guido] = [t for t in server.items("/targets") if t["name"] == "Guido van Rossum"]
    [hopper] = [t for t in server.items("/targets") if t["name"] == "Grace Hopper"]
    [met] = [c for c in server.items("/contacts") if c["name"] == "Guido van Rossum"]
    assert guido["status"] == "met" and met["target_id"] == guido["id"]
    assert hopper["attendee_id"] and hopper["event_id"] == guido["event_id"] == met["event_id"]
    [event] = server.items("/events")
    assert [g["done"] for g in event["goals"]] == [True, False]

    # Someone else joins with the code: the directory, not the owner's goals or import.
    other = launch("bob").pages[0]
    sign_up(other, live_server, name="Bob Member", email="bob@example.com")
    other.goto(f"{live_server}/events")
    other.get_by_label("Join code").fill(code.lower())
    other.get_by_role("button", name="Join event").click()
    expect(other.get_by_role("heading", name="PyCon Test")).to_be_visible()
    expect(other.get_by_label("Event name")).to_be_disabled()
    expect(other.get_by_label("Attendee file")).to_be_hidden()
    expect(other.get_by_text("Meet two maintainers")).to_be_hidden()
    expect(other.locator("#attendee-list").get_by_role("listitem")).to_have_count(2)


def test_an_event_made_offline_gets_its_join_code_after_sync(launch, live_server):
    context = launch()
    page = context.pages[0]
    sign_up(page, live_server)
    context.set_offline(True)
    page.goto(f"{live_server}/events")  # a deep link, offline
    page.get_by_label("Join code").fill("ABCD2345")
    page.get_by_role("button", name="Join event").click()
    expect(page.get_by_text("Joining an event needs the network")).to_be_visible()
    page.get_by_role("link", name="New event").click()
    page.get_by_label("Event name").fill("EuroPython")
    page.get_by_label("Starts on").fill("2030-07-14")
    page.get_by_label("Ends on").fill("2030-07-13")
    page.get_by_role("button", name="Save event").click()
    expect(page.get_by_text("The event must not end before it starts.")).to_be_visible()
    page.get_by_label("Ends on").fill("2030-07-20")
    page.get_by_role("button", name="Save event").click()
    expect(page.get_by_role("heading", name="EuroPython")).to_be_visible()
    expect(page.get_by_text("The join code shows here once this event has synced.")).to_be_visible()
    expect(page.get_by_text("The directory needs the network")).to_be_visible()
    expect(page.locator("#event-report")).to_be_hidden()  # not begun yet
    expect(page.get_by_role("status")).to_contain_text("1 change waiting to sync")

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#join-code")).to_have_text(
        re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$"), timeout=15_000
    )
    page.get_by_role("link", name="Back").click()  # the top bar leads back to all events
    expect(page.get_by_role("link", name="EuroPython")).to_be_visible()
