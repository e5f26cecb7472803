"""A person signs up, signs out and signs in again in a real Chromium."""

from playwright.sync_api import expect


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
