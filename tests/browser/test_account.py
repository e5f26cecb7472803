"""A person signs up, signs out and signs in again in a real Chromium."""

import re
import urllib.error

import pytest
from playwright.sync_api import expect

from .helpers import PASSWORD, sign_up
from .test_layout import AXE, AXE_RUN


def test_sign_up_sign_out_sign_in(page, live_server):
    page.goto(live_server)
    page.get_by_label("Name").fill("Ada Lovelace")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Create account").click()
    for name in ("Capture", "People", "Research", "Follow-ups", "My card", "Scan"):
        expect(page.get_by_role("link", name=name)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Online")
    expect(page.get_by_label("Name")).to_be_focused()  # capture opens ready to type

    page.get_by_role("link", name="Account").click()
    expect(page.get_by_text("Signed in as Ada Lovelace (ada@example.com)")).to_be_visible()
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()

    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password").fill("wrong password!")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("The email or the password is wrong.")

    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="People")).to_be_visible()
    page.reload()
    expect(page.get_by_role("link", name="People")).to_be_visible()


def test_inline_script_is_blocked_by_the_csp(page, live_server, console_errors):
    page.goto(live_server)
    violations = page.evaluate(
        """() => new Promise((resolve) => {
            document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective));
            const s = document.createElement('script');
            s.textContent = 'window.__ran = true';
            document.body.append(s);
            setTimeout(() => resolve(null), 1000);
        })"""
    )
    assert violations == "script-src-elem"
    assert page.evaluate("window.__ran") is None
    assert any("Content Security Policy" in error for error in console_errors)
    console_errors.clear()


def _account(page, live_server):
    sign_up(page, live_server)
    page.get_by_role("link", name="Account").click()
    expect(page.get_by_text("Signed in as Ada Lovelace (ada@example.com)")).to_be_visible()


def test_time_zone_and_quiet_hours_are_saved_on_the_server(page, live_server, server):
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setTimezoneOverride", {"timezoneId": "Asia/Tokyo"})
    _account(page, live_server)
    server.sign_in("ada@example.com", PASSWORD)
    expect(page.get_by_label("Time zone")).to_have_value("UTC")  # the account's, until changed
    expect(page.get_by_label("From")).to_have_value("21:00")
    expect(page.get_by_label("Until")).to_have_value("08:00")
    expect(page.get_by_text("This device is in Asia/Tokyo.")).to_be_visible()
    page.get_by_role("button", name="Use it").click()
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
    page.get_by_label("From").fill("22:30")
    page.get_by_label("Until").fill("07:15")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("note")).to_contain_text("Saved: Asia/Tokyo")
    me = server.call("GET", "/me")
    assert me["timezone"] == "Asia/Tokyo"
    assert me["quiet_hours"] == {"start": "22:30", "end": "07:15"}

    page.get_by_label("Time zone").fill("Mars/Olympus_Mons")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("alert")).not_to_be_empty()
    assert server.call("GET", "/me")["timezone"] == "Asia/Tokyo"

    page.context.set_offline(True)
    page.reload()
    page.get_by_role("link", name="Account").click()
    expect(page.get_by_text("You are offline. Time zone, quiet hours")).to_be_visible()
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")  # as last seen
    expect(page.get_by_label("From")).to_have_value("22:30")


def test_delete_my_account_after_typing_the_address(page, live_server, server):
    _account(page, live_server)
    server.sign_in("ada@example.com", PASSWORD)
    page.context.set_offline(True)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("alert")).to_contain_text("You are offline.")
    expect(page.get_by_role("dialog")).to_be_hidden()
    page.get_by_role("alert").get_by_role("button", name="Dismiss").click()
    page.context.set_offline(False)

    page.get_by_role("button", name="Delete my account").click()
    dialog = page.get_by_role("dialog", name="Delete your account?")
    forever = dialog.get_by_role("button", name="Delete my account forever")
    expect(forever).to_be_disabled()
    page.evaluate(AXE)
    assert page.evaluate(AXE_RUN) == []
    dialog.get_by_label('To confirm, type "delete"').fill("ada@example.org")
    expect(forever).to_be_disabled()
    dialog.get_by_role("button", name="Keep my account").click()
    assert server.call("GET", "/me")["email"] == "ada@example.com"

    page.get_by_role("button", name="Delete my account").click()
    dialog.get_by_label('To confirm, type "delete"').fill(" Ada@Example.com ")
    forever.click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.get_by_role("note")).to_contain_text("Your account and its data are deleted.")
    with pytest.raises(urllib.error.HTTPError) as gone:
        server.call("GET", "/me")
    assert gone.value.code == 401
    gone.value.close()
    page.reload()  # nothing of the account is left on this device
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert (
        page.evaluate("async () => (await import('/static/js/localdb.js')).getMeta('user')") is None
    )


def test_account_lists_my_browsers_and_ends_the_lost_one(launch, live_server):
    laptop = launch("laptop").pages[0]
    sign_up(laptop, live_server)
    lost = launch("lost-phone").pages[0]
    lost.goto(live_server)
    lost.get_by_label("Email").fill("ada@example.com")
    lost.get_by_label("Password").fill(PASSWORD)
    lost.get_by_role("button", name="Sign in").click()
    expect(lost.get_by_role("link", name="People")).to_be_visible(timeout=15_000)

    laptop.get_by_role("link", name="Account").click()
    browsers = laptop.locator("#browser-list > li")
    expect(browsers).to_have_count(2)
    expect(browsers.filter(has_text="This browser")).to_have_count(1)
    laptop.get_by_role("button", name="End:").click()
    expect(laptop.get_by_text(re.compile(r"^Signed out \w+ on \w+\.$"))).to_be_visible()
    expect(browsers).to_have_count(1)

    lost.reload()  # the lost phone's next word with the server: its session is gone
    lost.evaluate("window.dispatchEvent(new Event('online'))")
    expect(lost.get_by_text("Your session ended")).to_be_visible(timeout=15_000)


def test_changing_the_password_signs_out_the_other_browsers(launch, live_server, server):
    laptop = launch("laptop").pages[0]
    sign_up(laptop, live_server)
    server.sign_in("ada@example.com", PASSWORD)  # an API token is not a browser session
    laptop.get_by_role("link", name="Account").click()
    laptop.get_by_label("Current password").fill("not my password")
    laptop.get_by_label("New password").fill("a brand new passphrase")
    laptop.get_by_role("button", name="Change password").click()
    expect(laptop.get_by_text("The current password is not right.")).to_be_visible()
    laptop.get_by_label("Current password").fill(PASSWORD)
    laptop.get_by_label("New password").fill("a brand new passphrase")
    laptop.get_by_role("button", name="Change password").click()
    expect(laptop.get_by_text("Password changed.")).to_be_visible()
    with pytest.raises(urllib.error.HTTPError):
        server.sign_in("ada@example.com", PASSWORD)
    server.sign_in("ada@example.com", "a brand new passphrase")
