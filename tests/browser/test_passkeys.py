"""A person adds a passkey in Account, signs out, and signs in with it, in a real Chromium whose
authenticator is CDP's virtual one (fingerprint and all)."""

import pytest
from playwright.sync_api import expect

from .helpers import sign_up

#: A phone's built-in authenticator that holds passkeys and checks who is holding it.
PHONE = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
}


@pytest.fixture
def site(live_server):
    """The live server by name: WebAuthn refuses an IP address as the passkeys' site, and
    localhost is a secure context over plain http."""
    return live_server.replace("//127.0.0.1:", "//localhost:")


@pytest.fixture
def authenticator(page):
    """The virtual authenticator of the page's tab, and the CDP session that lists its passkeys."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    found = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": PHONE})
    return cdp, found["authenticatorId"]


def stored(authenticator):
    cdp, authenticator_id = authenticator
    return cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]


def test_a_passkey_added_in_account_signs_in_without_a_password(page, site, authenticator):
    sign_up(page, site)
    page.get_by_role("link", name="Account").click()
    passkeys = page.locator("#passkey-list")
    expect(passkeys).to_have_text("No passkeys yet.")

    page.get_by_role("button", name="Add a passkey").click()

    expect(page.get_by_text("Passkey added: Chrome on Linux.")).to_be_visible()
    expect(passkeys.get_by_role("listitem")).to_have_count(1)
    expect(passkeys).to_contain_text("Chrome on Linux")
    expect(passkeys).to_contain_text("Added today")
    expect(passkeys).to_contain_text("Not used yet")
    [credential] = stored(authenticator)
    assert credential["isResidentCredential"] and credential["rpId"] == "localhost"

    page.get_by_role("button", name="Sign out", exact=True).click()
    page.get_by_role("button", name="Use a passkey").click()

    expect(page.get_by_role("link", name="People")).to_be_visible()
    page.reload()  # a real session, not just this page's memory
    page.get_by_role("link", name="Account").click()
    expect(page.get_by_text("Signed in as Ada Lovelace (ada@example.com)")).to_be_visible()
    expect(passkeys).to_contain_text("Last used today")

    page.get_by_role("button", name="Remove the passkey Chrome on Linux").click()
    expect(passkeys).to_have_text("No passkeys yet.")
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.get_by_role("button", name="Use a passkey").click()
    expect(page.get_by_role("alert")).to_contain_text("not on any account here")
