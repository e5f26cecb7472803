"""My card in a real browser: what I share, my photo, my QR offline, and the public card a stranger
sees."""

from PIL import Image, ImageDraw
from playwright.sync_api import expect

from .helpers import PASSWORD, sign_up


def portrait(path):
    """A photo of me, as a phone would take it."""
    image = Image.new("RGB", (600, 800), "#8ab")
    ImageDraw.Draw(image).ellipse((150, 150, 450, 500), fill="#e9c2a6")
    image.save(path, "JPEG")
    return path


def test_my_card_qr_works_offline_and_the_public_card_shows_what_i_share(
    launch, live_server, tmp_path
):
    context = launch()
    page = context.pages[0]
    sign_up(page, live_server)
    page.get_by_role("link", name="My card").click()
    expect(page.get_by_role("link", name="Scan")).to_have_attribute("href", "/scan")
    page.get_by_label("Headline").fill("Compilers, COBOL, nanoseconds")
    page.get_by_label("Email").fill("grace@example.com")
    page.get_by_label("Phone").fill("+1 555 0100")
    page.get_by_label("My introduction").fill(
        "I build compilers. I teach. I want to meet language designers."
    )
    seen = page.get_by_role("region", name="What people see")
    # A filled field is shared unless turned off; the phone only when turned on.
    expect(seen).to_contain_text("Compilers, COBOL, nanoseconds")
    expect(seen).to_contain_text("grace@example.com")
    expect(seen).not_to_contain_text("+1 555 0100")
    shared = page.get_by_role("group", name="Shared on my card")
    # Drawn as switches (a track after the label), each a full-width 44 px row.
    switch = shared.get_by_role("button", name="Headline")
    track = "(b) => getComputedStyle(b, '::after').width"
    height = "(b) => b.getBoundingClientRect().height"  # in one step, as a sync may redraw
    assert switch.evaluate(track) == "44px" and switch.evaluate(height) >= 44
    expect(shared.get_by_role("button", name="Headline")).to_have_attribute("aria-pressed", "true")
    expect(shared.get_by_role("button", name="Phone")).to_have_attribute("aria-pressed", "false")
    shared.get_by_role("button", name="Email").click()
    expect(shared.get_by_role("button", name="Email")).to_have_attribute("aria-pressed", "false")
    expect(seen).not_to_contain_text("grace@example.com")
    expect(seen).to_contain_text("Not shared: Email, Phone.")
    page.get_by_role("button", name="Save my card").click()
    expect(page.get_by_text("Your card is saved.")).to_be_visible()
    page.get_by_label("Photo of me").set_input_files(portrait(tmp_path / "me.jpg"))
    expect(page.get_by_text("Your photo is on your card.")).to_be_visible()
    expect(seen.get_by_role("img", name="My photo")).to_be_visible()
    expect(page.get_by_role("img", name="QR code of my card")).to_be_visible()
    link = page.locator("#card-link").text_content()

    context.set_offline(True)
    page.reload()
    page.get_by_role("link", name="My card").click()
    expect(page.get_by_role("img", name="QR code of my card")).to_be_visible()
    expect(seen.get_by_role("img", name="My photo")).to_be_visible()  # my photo, kept on the device
    page.get_by_role("button", name="Contact file (works offline)").click()
    expect(page.get_by_role("img", name="QR code of my card")).to_be_visible()
    expect(
        page.locator("#screens").get_by_text("a QR code has no room for your photo")
    ).to_be_visible()
    page.get_by_role("button", name="Show full screen").click()
    full = page.get_by_role("dialog", name="Ada Lovelace")
    expect(full.get_by_role("img", name="QR code of my card")).to_be_visible()
    expect(full).to_contain_text("Compilers, COBOL, nanoseconds")
    expect(full).to_contain_text("brightness")
    full.get_by_role("button", name="Close").click()
    expect(full).to_be_hidden()
    page.get_by_role("button", name="My intro").click()
    intro = page.get_by_role("dialog", name="How I introduce myself")
    expect(intro.get_by_text("I build compilers.")).to_be_visible()
    intro.get_by_role("button", name="Close").click()
    context.set_offline(False)

    stranger = launch("stranger").pages[0]
    stranger.goto(link)
    expect(stranger.get_by_role("heading", name="Ada Lovelace")).to_be_visible()
    expect(stranger.get_by_role("img", name="Photo of Ada Lovelace")).to_be_visible()
    expect(stranger.get_by_text("Compilers, COBOL, nanoseconds")).to_be_visible()
    expect(stranger.get_by_text("I build compilers.")).to_be_visible()
    expect(stranger.get_by_text("grace@example.com")).to_be_hidden()  # turned off
    expect(stranger.get_by_text("+1 555 0100")).to_be_hidden()  # off until turned on
    save = stranger.get_by_role("link", name="Save contact")
    expect(save).to_be_visible()
    card_width = stranger.locator("article").evaluate("(a) => a.clientWidth")
    assert save.bounding_box()["width"] > card_width * 0.8  # first, and the width of the card
    expect(stranger.get_by_role("heading", name="Send Ada your details")).to_be_visible()
    stranger.get_by_label("Name").fill("Charles Babbage")
    stranger.get_by_label("Email").fill("charles@example.com")
    stranger.get_by_role("button", name="Send my details").click()
    expect(stranger.get_by_text("Thank you!")).to_be_visible()

    page.get_by_role("link", name="People").click()
    page.reload()
    expect(page.get_by_role("link", name="Charles Babbage")).to_be_visible(timeout=10_000)


def test_a_card_changed_on_another_device_is_not_overwritten_silently(page, live_server, server):
    sign_up(page, live_server)
    page.get_by_role("link", name="My card").click()
    expect(page.get_by_role("button", name="Save my card")).to_be_visible()
    server.sign_in("ada@example.com", PASSWORD)
    server.call("PATCH", "/me/card", {"title": "Countess"})  # the other device

    page.get_by_label("Headline").fill("Poetical science")
    page.get_by_role("button", name="Save my card").click()
    expect(page.get_by_text("Your card changed on another device")).to_be_visible()
    assert server.call("GET", "/me/card")["headline"] is None  # nothing overwritten
    page.get_by_role("button", name="Save my card").click()  # keep what I typed
    expect(page.get_by_text("Your card is saved.")).to_be_visible()
    card = server.call("GET", "/me/card")
    assert card["headline"] == "Poetical science" and card["title"] == "Countess"
