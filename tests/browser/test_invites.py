"""Sign-up by invitation in a real Chromium: Ada makes an invite link in Account, Grace opens it
in a browser of her own and signs up; a Hallway closed to sign-ups (or by invitation, without a
link) says so in a sentence and shows no sign-up form."""

import pytest
from playwright.sync_api import expect

from tests.harness import LiveServer

from .helpers import PASSWORD, sign_up
from .test_layout import AXE, AXE_RUN

CLOSED = "This Hallway takes no new sign-ups. Ask its operator for an account."
NEEDS_INVITE = "New here? You need an invite link from someone who uses this Hallway."


@pytest.fixture
def hallway(tmp_path):
    """A live server to restart with other settings (the browser fixtures' server is open)."""
    server = LiveServer(tmp_path, args=["--no-worker"])
    yield server
    if server.process:
        server.stop()


def restart(server, **settings):
    if server.process:
        server.stop()
    server.settings = settings
    return server.start()


def test_an_invite_link_lets_one_new_person_sign_up(hallway, page, launch):
    restart(hallway)
    sign_up(page, hallway.url)  # Ada, while sign-up was open
    restart(hallway, SIGNUP="invite")
    page.goto(hallway.url)  # still signed in
    page.get_by_role("link", name="Account").click()
    page.get_by_role("button", name="Invite someone").click()
    link = page.get_by_label("Invite link")
    expect(page.get_by_text("not used yet")).to_have_count(1)
    url = link.input_value()
    assert url.startswith(f"{hallway.url}/join/")

    grace = launch("grace").pages[0]
    grace.goto(url)
    expect(grace.get_by_text("You have an invite")).to_be_visible()
    grace.get_by_label("Name").fill("Grace Hopper")
    grace.get_by_label("Email").fill("grace@example.com")
    grace.get_by_label("Password").fill(PASSWORD)
    grace.get_by_label("Password").press("Enter")  # with an invite, Enter creates the account
    expect(grace.get_by_role("link", name="People")).to_be_visible(timeout=15_000)
    expect(grace).to_have_url(f"{hallway.url}/capture")

    page.reload()
    expect(page.get_by_text("Signed in as Ada Lovelace")).to_be_visible()
    expect(page.get_by_text("not used yet")).to_have_count(0)

    latecomer = launch("latecomer").pages[0]  # the link worked once
    latecomer.goto(url)
    latecomer.get_by_label("Name").fill("Alan Turing")
    latecomer.get_by_label("Email").fill("alan@example.com")
    latecomer.get_by_label("Password").fill(PASSWORD)
    latecomer.get_by_role("button", name="Create account").click()
    expect(latecomer.get_by_role("alert")).to_have_text(
        "This invite link does not work: it was used, withdrawn or has expired."
    )


def test_an_invite_can_be_withdrawn(hallway, page):
    restart(hallway)
    sign_up(page, hallway.url)
    page.get_by_role("link", name="Account").click()
    page.get_by_role("button", name="Invite someone").click()
    page.get_by_role("button", name="Invite someone").click()
    expect(page.get_by_text("not used yet")).to_have_count(2)
    page.get_by_role("button", name="Withdraw").first.click()
    expect(page.get_by_text("Invite withdrawn: its link no longer works.")).to_be_visible()
    expect(page.get_by_text("not used yet")).to_have_count(1)


@pytest.mark.parametrize(("mode", "sentence"), [("closed", CLOSED), ("invite", NEEDS_INVITE)])
def test_without_a_way_to_sign_up_the_screen_says_so_and_shows_no_sign_up_form(
    hallway, page, mode, sentence
):
    restart(hallway, SIGNUP=mode)
    page.goto(hallway.url)
    expect(page.get_by_text(sentence)).to_be_visible()
    expect(page.get_by_role("button", name="Create account")).to_be_hidden()
    expect(page.get_by_label("Name")).to_be_hidden()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()  # accounts still sign in
    page.evaluate(AXE)
    assert page.evaluate(AXE_RUN) == []
    if mode == "closed":  # an invite link changes nothing when sign-up is closed
        page.goto(f"{hallway.url}/join/some-old-link")
        expect(page.get_by_text(CLOSED)).to_be_visible()
        expect(page.get_by_role("button", name="Create account")).to_be_hidden()
