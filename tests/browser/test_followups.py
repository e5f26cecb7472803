"""Follow-ups in a real Chromium: grouped by when they are due, times in the device's locale, Done
with Undo, Snooze, and a screen that never scrolls sideways; the thank-you, done once sent."""

import datetime as dt
import re
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from .helpers import sign_up
from .scenes import seed
from .test_layout import AXE, AXE_RUN

LISBON = ZoneInfo("Europe/Lisbon")


def _in_lisbon_english(page):
    """Make the device British in Lisbon (locale and time zone), then reload so the app sees it."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setLocaleOverride", {"locale": "en-GB"})
    cdp.send("Emulation.setTimezoneOverride", {"timezoneId": "Europe/Lisbon"})
    page.reload()
    return cdp


def _en_gb(moment):
    """What the app writes for a moment in en-GB (words.js dateTime): "tomorrow 09:00",
    "Mon 30 Nov 14:41"."""
    local = moment.astimezone(LISBON)
    days = (local.date() - dt.datetime.now(LISBON).date()).days
    day = {0: "today", 1: "tomorrow", -1: "yesterday"}.get(days)
    return f"{day or f'{local:%a} {local.day} {local:%b}'} {local:%H:%M}"


def _seeded(page, live_server, server):
    sign_up(page, live_server)
    data = seed(server)
    _in_lisbon_english(page)
    page.get_by_role("link", name="Follow-ups").click()
    expect(page.get_by_text("Keep in touch: Linus Torvalds")).to_be_visible(timeout=15_000)
    return data


def _group(page, title):
    return page.get_by_role("region", name=title)


def _followup(server, contact_id, kind, until=lambda followup: True):
    """The server's follow-up of that kind for the contact, once `until` holds (the app syncs a
    change a moment after the screen shows it; 15 s at most)."""
    deadline = time.monotonic() + 15
    while True:
        [found] = [
            f
            for f in server.items("/followups")
            if f["contact_id"] == contact_id and f["kind"] == kind
        ]
        if until(found) or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def _synced(page):
    expect(page.get_by_role("status")).to_contain_text("all changes synced", timeout=15_000)


def test_followups_are_grouped_with_local_times(page, live_server, server):
    data = _seeded(page, live_server, server)
    grace, margaret, katherine, linus = data["contacts"]
    for title, person in [
        ("Overdue", "Thank-you: Grace Hopper"),
        ("Today", "Check back: Margaret Hamilton"),
        ("This week", "Check back: Katherine Johnson"),
        ("Later", "Keep in touch: Linus Torvalds"),
    ]:
        expect(_group(page, title).get_by_text(person)).to_be_visible()
    assert page.get_by_role("heading", level=2).all_inner_texts()[:4] == [
        "Overdue 1",
        "Today 1",
        "This week 1",
        "Later 1",
    ]
    due = dt.datetime.fromisoformat(_followup(server, grace, "thank_you")["due_at"])
    row = _group(page, "Overdue").get_by_role("listitem")
    expect(row.locator("time")).to_have_text(_en_gb(due))
    expect(row.get_by_role("link", name="Grace Hopper")).to_have_attribute(
        "href", f"/people/{grace}"
    )


def test_done_offers_undo_and_snooze_moves_it_on(page, live_server, server):
    data = _seeded(page, live_server, server)
    grace, margaret = data["contacts"][:2]
    page.get_by_role("button", name="Done: Thank-you: Grace Hopper").click()
    expect(page.get_by_text("Thank-you: Grace Hopper")).to_be_hidden()
    expect(page.get_by_role("note")).to_contain_text("Done: thank-you to Grace Hopper.")
    _synced(page)
    assert _followup(server, grace, "thank_you", until=lambda f: f["done_at"])["done_at"]
    page.get_by_role("note").get_by_role("button", name="Undo").click()
    expect(_group(page, "Overdue").get_by_text("Thank-you: Grace Hopper")).to_be_visible()
    _synced(page)
    assert (
        _followup(server, grace, "thank_you", until=lambda f: not f["done_at"])["done_at"] is None
    )

    snooze = page.get_by_role("button", name="Snooze: Check back: Margaret Hamilton")
    expect(snooze).to_have_attribute("aria-expanded", "false")
    snooze.click()
    expect(snooze).to_have_attribute("aria-expanded", "true")
    page.evaluate(AXE)
    assert page.evaluate(AXE_RUN) == []
    choices = page.get_by_role("group", name="Snooze Check back: Margaret Hamilton")
    choices.get_by_role("button", name="Tomorrow").click()
    tomorrow = dt.datetime.now(LISBON).date() + dt.timedelta(days=1)
    nine = dt.datetime.combine(tomorrow, dt.time(9), LISBON)
    expect(_group(page, "This week").get_by_text("Check back: Margaret Hamilton")).to_be_visible()
    expect(page.get_by_role("note")).to_contain_text(
        f"Snoozed check back with Margaret Hamilton until {_en_gb(nine)}."
    )
    _synced(page)
    snoozed = _followup(server, margaret, "check_back", until=lambda f: f["snoozed_until"])[
        "snoozed_until"
    ]
    assert dt.datetime.fromisoformat(snoozed) == nine


def test_followups_never_scroll_sideways_at_320(page, live_server, server):
    _seeded(page, live_server, server)
    page.set_viewport_size({"width": 320, "height": 640})
    page.get_by_role("button", name="Calendar link").click()
    expect(page.locator("#calendar-link")).to_contain_text("/calendar/")
    page.get_by_role("button", name="Snooze: Thank-you: Grace Hopper").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    small = page.evaluate(
        """() => [...document.querySelectorAll('[data-screen="followups"] :is(a, button)')]
            .filter((e) => e.offsetParent)
            .map((e) => [e.textContent.trim(), e.getBoundingClientRect()])
            .filter(([, r]) => r.width < 44 || r.height < 44)
            .map(([name]) => name)"""
    )
    assert small == []


def test_writing_the_thank_you_marks_it_done(page, live_server, server):
    grace = _seeded(page, live_server, server)["contacts"][0]
    page.get_by_role("link", name="Grace Hopper").click()
    thank_you = page.get_by_role("link", name="Write the thank-you email")
    # Waited for: the link is on the page (href="#") before the person's draft fills it.
    expect(thank_you).to_have_attribute(
        "href", re.compile("you%20the%20deck%20and%20metrics%20as%20promised")
    )
    # The mail app would open; what counts is the link's own click handler.
    page.evaluate(
        "document.querySelector('#thank-you').addEventListener('click', (e) => e.preventDefault())"
    )
    thank_you.click()
    notice = page.get_by_role("note")
    expect(notice).to_contain_text("Done: thank-you to Grace Hopper by email.")
    notice.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("link", name="Write the thank-you email")).to_be_visible()
    page.get_by_role("link", name="Write the thank-you email").click()
    expect(page.get_by_role("note")).to_contain_text("Done: thank-you to Grace Hopper by email.")
    _synced(page)
    assert _followup(server, grace, "thank_you", until=lambda f: f["done_at"])["done_at"]


def test_without_an_email_the_thank_you_is_copied(page, live_server, server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    katherine = _seeded(page, live_server, server)["contacts"][2]
    server.call(
        "POST",
        "/followups",
        {"contact_id": katherine, "kind": "thank_you", "due_at": "2026-01-02T09:00:00+00:00"},
    )
    page.reload()
    expect(page.get_by_text("Thank-you: Katherine Johnson")).to_be_visible(timeout=15_000)
    page.get_by_role("link", name="Katherine Johnson").first.click()
    expect(
        page.get_by_text("No email for Katherine: share or copy the note instead.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Write the thank-you email")).to_have_count(0)
    can_share = page.evaluate("Boolean(navigator.share)")
    expect(page.get_by_role("button", name="Share the note")).to_have_count(int(can_share))
    page.get_by_role("button", name="Copy the note").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Hi Katherine,\n\nThank you for the conversation at PyCon Lisbon.")
    assert copied.endswith("Best,\nAda Lovelace")
    notice = page.get_by_role("note")  # copied to send some other way: done, with Undo
    expect(notice).to_contain_text("Done: thank-you to Katherine Johnson (note copied).")
    expect(notice.get_by_role("button", name="Undo")).to_be_visible()


def test_download_calendar_downloads_the_follow_ups(page, live_server, server):
    _seeded(page, live_server, server)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download calendar").click()
    assert download.value.suggested_filename.endswith(".ics")
    assert "Grace Hopper" in Path(download.value.path()).read_text(encoding="utf-8")
    assert page.url.endswith("/followups")
