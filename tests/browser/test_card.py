"""My card in a real browser: what I share, my QR offline, and the public card a stranger sees."""

from playwright.sync_api import expect

from .helpers import sign_up


def test_my_card_qr_works_offline_and_the_public_card_shows_what_i_share(launch, live_server):
    context = launch()
    page = context.pages[0]
    sign_up(page, live_server)
    page.get_by_role("link", name="My card").click()
    page.get_by_label("Headline").fill("Compilers, COBOL, nanoseconds")
    page.get_by_label("Email").fill("grace@example.com")
    page.get_by_label("My introduction").fill(
        "I build compilers. I teach. I want to meet language designers."
    )
    shared = page.get_by_role("group", name="Shared on my card")
    shared.get_by_role("button", name="Headline").click()
    shared.get_by_role("button", name="Intro").click()
    expect(shared.get_by_role("button", name="Headline")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="Save my card").click()
    expect(page.get_by_text("Your card is saved.")).to_be_visible()
    expect(page.get_by_role("img", name="QR code of my card")).to_be_visible()
    link = page.locator("#card-link").text_content()

    context.set_offline(True)
    page.reload()
    page.get_by_role("link", name="My card").click()
    expect(page.get_by_role("img", name="QR code of my card")).to_be_visible()
    page.get_by_role("button", name="Contact file (works offline)").click()
    expect(page.get_by_role("img", name="QR code of my card")).to_be_visible()
    page.get_by_role("button", name="My intro").click()
    expect(page.get_by_text("I build compilers.")).to_be_visible()
    page.get_by_role("button", name="Close").click()
    context.set_offline(False)

    stranger = launch("stranger").pages[0]
    stranger.goto(link)
    expect(stranger.get_by_role("heading", name="Ada Lovelace")).to_be_visible()
    expect(stranger.get_by_text("Compilers, COBOL, nanoseconds")).to_be_visible()
    expect(stranger.get_by_text("grace@example.com")).to_be_hidden()  # not shared
    stranger.get_by_label("Name").fill("Charles Babbage")
    stranger.get_by_label("Email").fill("charles@example.com")
    stranger.get_by_role("button", name="Send my details").click()
    expect(stranger.get_by_text("Thank you!")).to_be_visible()

    page.get_by_role("link", name="People").click()
    page.reload()
    expect(page.get_by_role("link", name="Charles Babbage")).to_be_visible(timeout=10_000)
