"""A person's page in a real browser: their card to act on, Edit, Delete with Undo, the next
follow-up done with Undo, their vCard, and Capture's More and date chips."""

from playwright.sync_api import expect

from .helpers import PASSWORD, capture, sign_up


def test_a_person_is_a_card_to_act_on(page, live_server, server):
    sign_up(page, live_server)
    capture(
        page,
        "Grace Hopper",
        Company="US Navy",
        Title="Rear Admiral",
        Email="grace@example.com",
        Phone="+1 (555) 0100",
        **{"I promised": "send the deck"},
    )
    page.get_by_role("link", name="People").click()
    page.get_by_role("link", name="Grace Hopper").click()

    expect(page.get_by_role("heading", name="Grace Hopper")).to_be_visible()
    expect(page.get_by_text("Rear Admiral at US Navy")).to_be_visible()
    expect(page.get_by_role("link", name="Call")).to_have_attribute("href", "tel:+15550100")
    expect(page.get_by_role("link", name="Email", exact=True)).to_have_attribute(
        "href", "mailto:grace@example.com"
    )
    expect(page.get_by_role("link", name="Message")).to_have_attribute("href", "sms:+15550100")
    expect(page.get_by_role("textbox")).to_have_count(0)  # a card to read, not a form
    with page.expect_download() as download:
        page.get_by_role("button", name="Add to phone contacts").click()
    vcard = download.value.path().read_text()
    assert "FN:Grace Hopper" in vcard and "EMAIL;TYPE=INTERNET:grace@example.com" in vcard

    # The thank-you is the next follow-up: done, then undone, then done again.
    expect(page.locator("#person-next")).to_contain_text("Say thank you")
    page.get_by_role("button", name="Done", exact=True).click()
    expect(page.locator("#person-next")).to_be_hidden()
    page.get_by_role("button", name="Undo").click()
    expect(page.locator("#person-next")).to_contain_text("Say thank you")

    # Edit opens the capture form with every field; Save returns to the card.
    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_label("Email")).to_have_value("grace@example.com")  # More is open
    page.get_by_label("Title").fill("Commodore")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Commodore at US Navy")).to_be_visible()
    # The edit can be taken back, and the card shows it at once.
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Rear Admiral at US Navy")).to_be_visible()
    page.get_by_role("link", name="People").click()
    expect(page.locator("html")).to_have_attribute("data-shown", "/people")  # drawn, then tapped
    page.get_by_role("link", name="Grace Hopper").click()
    expect(page.get_by_text("Rear Admiral at US Navy")).to_be_visible()

    # Delete sits in a menu and waits for its Undo.
    page.get_by_label("More actions").click()
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("link", name="Grace Hopper")).to_be_hidden()
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("heading", name="Grace Hopper")).to_be_visible()
    page.get_by_label("More actions").click()
    page.get_by_role("button", name="Delete").click()
    deleted = page.get_by_text("Deleted Grace Hopper.")
    expect(deleted).to_be_visible()  # first shown (with its Undo), and only then sent, once gone
    expect(deleted).to_be_hidden(timeout=15_000)
    expect(page.get_by_role("status")).to_contain_text("all changes synced", timeout=15_000)
    server.sign_in("ada@example.com", PASSWORD)
    assert server.items("/contacts") == []


def test_capture_shows_the_chosen_date_and_remembers_more(page, live_server):
    sign_up(page, live_server)
    tomorrow = page.get_by_role("button", name="Tomorrow")
    week = page.get_by_role("button", name="In a week")
    expect(tomorrow).to_have_attribute("aria-pressed", "false")
    tomorrow.click()
    expect(tomorrow).to_have_attribute("aria-pressed", "true")
    week.click()
    expect(week).to_have_attribute("aria-pressed", "true")
    expect(tomorrow).to_have_attribute("aria-pressed", "false")
    page.get_by_label("No next step").check()
    expect(week).to_have_attribute("aria-pressed", "false")

    expect(page.get_by_label("Tags")).to_be_hidden()
    page.get_by_role("button", name="More").click()
    expect(page.get_by_label("Tags")).to_be_visible()
    page.reload()
    expect(page.get_by_label("Tags")).to_be_visible()  # as the user left it
