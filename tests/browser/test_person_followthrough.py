"""Follow-through on a person's page in a real browser: promises listed and kept (offline too,
then on the server), how well I know them, who introduced us and how often to keep in touch,
an introduction's two steps (ask first, then introduce both) with their drafts, and the
thank-you marked done when "Emailed" is logged."""

import time
from urllib.parse import parse_qs, unquote, urlparse

from playwright.sync_api import expect

from .helpers import PASSWORD, capture, open_more, sign_up


def _synced(page):
    expect(page.get_by_role("status")).to_contain_text("all changes synced", timeout=15_000)


def _server_until(server, path, until):
    """The server's items at path once `until(items)` holds (15 s at most)."""
    deadline = time.monotonic() + 15
    while True:
        items = server.items(path)
        if until(items) or time.monotonic() > deadline:
            return items
        time.sleep(0.2)


def _open(page, name):
    page.get_by_role("link", name="People").click()
    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def _mailto(href):
    """(to, subject, body) of a mailto: link."""
    url = urlparse(href)
    query = parse_qs(url.query)
    return unquote(url.path), query["subject"][0], query["body"][0]


def test_promises_are_listed_and_kept_offline_then_synced(page, live_server, server):
    sign_up(page, live_server)
    capture(
        page,
        "Grace Hopper",
        Email="grace@example.com",
        **{"I promised": "send the deck", "They promised": "an intro to their CTO"},
    )
    _open(page, "Grace Hopper")
    mine = page.get_by_role("list", name="I promised")
    theirs = page.get_by_role("list", name="They promised")
    expect(mine).to_contain_text("send the deck")
    expect(theirs).to_contain_text("an intro to their CTO")
    expect(page.locator("#person-facts")).not_to_contain_text("I promised")  # listed once

    page.context.set_offline(True)
    page.get_by_role("button", name="Kept: send the deck").click()
    notice = page.get_by_role("note")
    expect(notice).to_contain_text("Kept: send the deck.")
    expect(mine).to_contain_text("Kept today")
    expect(page.get_by_role("button", name="Kept: send the deck")).to_have_count(0)
    notice.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("button", name="Kept: send the deck")).to_be_visible()
    page.get_by_role("button", name="Kept: send the deck").click()
    expect(mine).to_contain_text("Kept today")
    expect(page.get_by_role("status")).to_contain_text("Offline")
    page.context.set_offline(False)
    _synced(page)

    server.sign_in("ada@example.com", PASSWORD)
    promises = _server_until(server, "/promises", lambda items: any(p["kept_at"] for p in items))
    by_direction = {p["direction"]: p for p in promises}
    assert len(promises) == 2  # the app's plan and the server's are the same records
    assert by_direction["mine"]["text"] == "send the deck" and by_direction["mine"]["kept_at"]
    assert by_direction["theirs"]["kept_at"] is None
    # The thank-you confirms what is still open: their promise, not the kept one.
    _, _, body = _mailto(
        page.get_by_role("link", name="Write the thank-you email").get_attribute("href")
    )
    assert "the deck" not in body
    assert "You offered an intro to your CTO." in body.split("\n")


def test_editing_what_was_promised_replans_the_promises_offline(page, live_server, server):
    sign_up(page, live_server)
    capture(page, "Grace Hopper", **{"I promised": "send the deck"})
    _synced(page)
    _open(page, "Grace Hopper")
    page.context.set_offline(True)
    page.get_by_role("link", name="Edit").click()
    mine_field = page.get_by_role("textbox", name="I promised")
    mine_field.fill("send the deck and metrics")
    page.get_by_role("textbox", name="They promised").fill("a demo of the compiler")
    page.get_by_role("button", name="Save", exact=True).click()
    mine = page.get_by_role("list", name="I promised")
    expect(mine.locator(".promise-text")).to_have_text(["send the deck and metrics"])
    expect(page.get_by_role("list", name="They promised")).to_contain_text("a demo of the compiler")
    page.context.set_offline(False)
    _synced(page)
    server.sign_in("ada@example.com", PASSWORD)
    promises = _server_until(server, "/promises", lambda items: len(items) == 2)
    assert sorted((p["direction"], p["text"]) for p in promises) == [
        ("mine", "send the deck and metrics"),
        ("theirs", "a demo of the compiler"),
    ]

    page.get_by_role("link", name="Edit").click()  # cleared: the open promise goes
    mine_field.fill("")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("list", name="I promised")).to_have_count(0)
    _synced(page)
    promises = _server_until(server, "/promises", lambda items: len(items) == 1)
    assert [p["direction"] for p in promises] == ["theirs"]


def test_trust_introducer_and_cadence_are_saved_and_shown(page, live_server, server):
    sign_up(page, live_server)
    capture(page, "Linus Torvalds")
    capture(page, "Grace Hopper")
    _open(page, "Grace Hopper")
    page.get_by_role("link", name="Edit").click()
    open_more(page)
    page.get_by_label("How well I know them").select_option(label="Worked together")
    introducer = page.get_by_label("Introduced by")
    expect(introducer.locator("option")).to_have_text(["Nobody", "Linus Torvalds"])  # not herself
    introducer.select_option(label="Linus Torvalds")
    page.get_by_label("Keep in touch every").select_option(label="6 weeks")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator("#person-ties")).to_contain_text("Worked together")
    link = page.get_by_role("link", name="Linus Torvalds")
    expect(page.get_by_text("Introduced by Linus Torvalds")).to_be_visible()
    expect(page.get_by_text("Last in touch today · Keep in touch every 6 weeks")).to_be_visible()
    _synced(page)
    server.sign_in("ada@example.com", PASSWORD)
    [linus] = [c for c in server.items("/contacts") if c["name"] == "Linus Torvalds"]
    [grace] = [c for c in server.items("/contacts") if c["name"] == "Grace Hopper"]
    assert (grace["trust"], grace["introduced_by_id"], grace["cadence_days"]) == (
        "worked_together",
        linus["id"],
        42,
    )

    page.get_by_role("link", name="Edit").click()  # the form shows what was chosen
    expect(page.get_by_label("How well I know them")).to_have_value("worked_together")
    expect(page.get_by_label("Introduced by")).to_have_value(linus["id"])
    expect(page.get_by_label("Keep in touch every")).to_have_value("42")
    page.get_by_role("link", name="Cancel").click()
    link.click()
    expect(page.get_by_role("heading", name="Linus Torvalds")).to_be_visible()


def test_an_introduction_asks_first_then_introduces_both(page, live_server, server):
    sign_up(page, live_server)
    capture(page, "Linus Torvalds", Email="linus@example.com", Company="Linux Foundation")
    capture(page, "Grace Hopper", Email="grace@example.com", Title="Rear Admiral")
    server.sign_in("ada@example.com", PASSWORD)
    _synced(page)
    ids = {c["name"]: c["id"] for c in server.items("/contacts")}
    server.call("PATCH", f"/contacts/{ids['Grace Hopper']}", {"trust": "would_vouch"})
    page.reload()
    _open(page, "Grace Hopper")
    expect(page.locator("#person-ties")).to_contain_text("Would vouch")

    page.get_by_role("link", name="Introduce Grace to someone").click()
    page.reload()  # a page of its own, reloadable (the server and the worker serve the shell)
    who = page.locator("#introduce-who")
    expect(who).to_contain_text("How well I know Grace: Would vouch")
    ask = page.get_by_role("link", name="Email Grace to ask")
    expect(ask).to_have_count(0)  # nothing to send before choosing whom
    page.get_by_label("Introduce them to").select_option(label="Linus Torvalds")
    other = page.locator("#introduce-other")
    # How well I know the other person, before their name goes anywhere.
    expect(other).to_contain_text("How well I know Linus: not set")
    expect(other).to_contain_text("You have not said how well you know Linus.")
    page.get_by_label("Why they should meet").fill("you both care about compilers that work")
    to, subject, body = _mailto(ask.get_attribute("href"))
    assert to == "grace@example.com"
    assert subject == "Would you like to meet Linus Torvalds?"
    assert body.split("\n") == [
        "Hi Grace,",
        "",
        "I'd like to introduce you to Linus Torvalds, Linux Foundation.",
        "You both care about compilers that work.",
        "",
        "Would you like me to? If so, I'll write to you both. If not, no problem at all: "
        "Linus won't know I asked.",
        "",
        "Best,",
        "Ada Lovelace",
    ]
    page.evaluate(  # the mail app would open: the link's own click handler is what counts
        "document.querySelector('#introduce-send a').addEventListener('click', (e) =>"
        " e.preventDefault())"
    )
    ask.click()
    expect(page.get_by_role("heading", name="Grace Hopper")).to_be_visible()
    intro = page.locator("#intro-list li")
    expect(intro).to_contain_text("Introducing Grace Hopper to Linus Torvalds")
    expect(intro).to_contain_text("Asked today")
    expect(intro.get_by_role("link", name="Write the introduction")).to_have_count(0)

    intro.get_by_role("button", name="They agreed").click()
    expect(intro).to_contain_text("Agreed today")
    write = intro.get_by_role("link", name="Write the introduction")
    to, subject, body = _mailto(write.get_attribute("href"))
    assert to == "grace@example.com,linus@example.com"
    assert subject == "Grace, meet Linus"
    assert body.split("\n") == [
        "Hi Grace and Linus,",
        "",
        "Grace, meet Linus Torvalds, Linux Foundation.",
        "Linus, meet Grace Hopper, Rear Admiral.",
        "",
        "You both care about compilers that work.",
        "",
        "I'll let you two take it from here.",
        "",
        "Best,",
        "Ada Lovelace",
    ]
    intro.get_by_role("button", name="Made").click()
    expect(intro).to_contain_text("Made today")
    page.get_by_role("note").get_by_role("button", name="Undo").click()
    expect(intro).to_contain_text("Agreed today")
    intro.get_by_role("button", name="Made").click()
    expect(intro).to_contain_text("Made today")
    _synced(page)
    [made] = _server_until(server, "/introductions", lambda items: items and items[0]["made_at"])
    assert (made["contact_id"], made["to_id"]) == (ids["Grace Hopper"], ids["Linus Torvalds"])
    assert made["note"] == "you both care about compilers that work"
    assert made["asked_at"] <= made["agreed_at"] <= made["made_at"]

    page.get_by_role("link", name="Linus Torvalds").click()  # on the other side's page too
    expect(page.locator("#intro-list")).to_contain_text("Made today")


def test_emailed_marks_the_thank_you_done_with_undo(page, live_server, server):
    sign_up(page, live_server)
    capture(page, "Grace Hopper", Email="grace@example.com")
    _open(page, "Grace Hopper")
    next_up = page.locator("#person-next")
    expect(next_up).to_contain_text("Say thank you")
    page.get_by_role("button", name="Emailed").click()
    notice = page.get_by_role("note")
    expect(notice).to_have_count(1)  # one notice, not "noted" and "done" piled up
    expect(notice).to_contain_text("Done: thank-you to Grace Hopper by email.")
    expect(next_up).to_be_hidden()
    expect(page.locator("#history")).to_contain_text("Emailed")
    notice.get_by_role("button", name="Undo").click()
    expect(next_up).to_contain_text("Say thank you")
    _synced(page)
    server.sign_in("ada@example.com", PASSWORD)
    [thanks] = server.items("/followups")
    assert thanks["done_at"] is None  # Undo wins over the server's own closing of the loop

    page.get_by_role("button", name="Called").click()
    expect(page.get_by_role("note")).to_contain_text("Done: thank-you to Grace Hopper by phone.")
    _synced(page)
    [thanks] = _server_until(server, "/followups", lambda items: items[0]["done_at"])
    assert thanks["done_at"]
    page.get_by_role("button", name="Messaged").click()  # nothing open any more
    expect(page.get_by_role("note")).to_contain_text("Messaged: noted.")


def test_without_an_email_the_ask_is_copied_and_recorded(page, live_server, server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    sign_up(page, live_server)
    capture(page, "Linus Torvalds")
    capture(page, "Katherine Johnson")
    _open(page, "Katherine Johnson")
    page.get_by_role("link", name="Introduce Katherine to someone").click()
    page.get_by_label("Introduce them to").select_option(label="Linus Torvalds")
    expect(page.get_by_role("link", name="Email Katherine to ask")).to_have_count(0)
    page.get_by_role("button", name="Copy the note").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Hi Katherine,\n\nI'd like to introduce you to Linus Torvalds.")
    expect(page.get_by_role("heading", name="Katherine Johnson")).to_be_visible()
    expect(page.locator("#intro-list")).to_contain_text("Asked today")
    _synced(page)
    server.sign_in("ada@example.com", PASSWORD)
    [asked] = server.items("/introductions")
    assert asked["asked_at"] and asked["agreed_at"] is None and asked["note"] is None
