"""Hallway works with no network at all, and nothing captured offline is lost or duplicated."""

from playwright.sync_api import expect

from .helpers import CONTROLLED, PASSWORD, capture, sign_up


def test_installable_with_shortcuts(page, live_server):
    page.goto(live_server)
    page.evaluate(CONTROLLED)
    # Not over the sign-in form, where it would hide a field on a small phone: at sign-in.
    expect(page.get_by_label("Email")).to_be_visible()
    expect(page.get_by_text("Hallway now works offline.")).to_have_count(0)
    sign_up(page, live_server)
    cdp = page.context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    parsed = page.evaluate("fetch('/manifest.webmanifest').then((r) => r.json())")
    assert parsed["display"] == "standalone"
    assert {s["name"] for s in parsed["shortcuts"]} == {"Capture", "Scan"}
    assert any(icon.get("purpose") == "maskable" for icon in parsed["icons"])
    expect(page.get_by_text("Hallway now works offline.")).to_be_visible()


def test_everything_works_offline_and_syncs_exactly_once(launch, hallway, live_server, server):
    context = launch()
    page = context.pages[0]
    sign_up(page, live_server)
    server.sign_in("ada@example.com", PASSWORD)
    # met long ago, so the server plans no thank-you of its own: this one is hers
    met = server.call(
        "POST", "/contacts", {"name": "Grace Hopper", "met_at": "2025-12-01T10:00:00+00:00"}
    )
    server.call(
        "POST",
        "/followups",
        {"contact_id": met["id"], "kind": "thank_you", "due_at": "2026-01-02T09:00:00+00:00"},
    )
    page.get_by_role("link", name="Research").click()
    page.get_by_role("link", name="Add someone to meet").click()
    page.get_by_label("Name").fill("Guido van Rossum")
    page.get_by_role("button", name="Save target").click()
    expect(page.get_by_role("link", name="Guido van Rossum")).to_be_visible()  # kept here
    page.reload()  # pulls what the server has
    page.get_by_role("link", name="Follow-ups").click()
    expect(page.get_by_text("Thank-you: Grace Hopper")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("all changes synced")

    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("link", name="Capture")).to_be_visible()
    capture(page, "Margaret Hamilton", Company="NASA", Notes="Apollo guidance")
    capture(page, "Katherine Johnson")
    page.get_by_role("link", name="Research").click()
    page.get_by_role("link", name="Guido van Rossum").click()
    page.get_by_label("Why meet them").fill("Python governance")
    page.get_by_role("button", name="Save target").click()
    page.get_by_role("link", name="Follow-ups").click()
    page.get_by_role("button", name="Done: Thank-you: Grace Hopper").click()
    expect(page.get_by_text("Thank-you: Grace Hopper")).to_be_hidden()
    expect(page.get_by_text("Thank-you: Katherine Johnson")).to_be_visible()  # made by capture
    expect(page.get_by_role("status")).to_contain_text("Offline")
    # two captures, their two thank-yous, the target edit and the follow-up done
    expect(page.get_by_role("status")).to_contain_text("6 changes waiting to sync")

    other_tab = context.new_page()
    other_tab.goto(f"{live_server}/people")  # a deep link, in a new tab, offline
    expect(other_tab.get_by_role("link", name="Margaret Hamilton")).to_be_visible()
    context.close()
    hallway.stop()  # so that nothing, not even Background Sync at start-up, reaches it

    context = launch(offline=True)  # the browser starts again, still offline
    page = context.pages[0]
    page.goto(f"{live_server}/people")
    expect(page.get_by_role("link", name="Katherine Johnson")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("6 changes waiting to sync")
    hallway.start()
    assert len(server.items("/contacts")) == 1  # nothing reached the server yet

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_role("status")).to_contain_text("all changes synced", timeout=10_000)
    names = sorted(c["name"] for c in server.items("/contacts"))
    assert names == ["Grace Hopper", "Katherine Johnson", "Margaret Hamilton"]
    margaret = next(c for c in server.items("/contacts") if c["name"] == "Margaret Hamilton")
    assert (margaret["company"], margaret["notes"]) == ("NASA", "Apollo guidance")
    [target] = server.items("/targets")
    assert target["why"] == "Python governance"
    followups = {f["contact_id"]: f for f in server.items("/followups")}
    assert followups[met["id"]]["done_at"] is not None
    assert len(followups) == 3  # Grace's, and a thank-you for each person captured offline
