"""Quick capture in a real browser: offline, with a photo, linked to the research list."""

import io

from PIL import Image
from playwright.sync_api import expect

from .helpers import PASSWORD, capture, open_more, sign_up


def _photo(tmp_path):
    path = tmp_path / "badge.jpg"
    image = Image.new("RGB", (1200, 900), "navy")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0)}  # GPS: must not reach the server's copy
    image.save(path, "JPEG", exif=exif)
    return path


def test_capture_offline_with_a_photo_then_find_by_search(
    launch, hallway, live_server, server, tmp_path
):
    context = launch()
    page = context.pages[0]
    sign_up(page, live_server)
    server.sign_in("ada@example.com", PASSWORD)
    context.set_offline(True)
    page.reload()

    page.set_viewport_size({"width": 320, "height": 640})  # the form is longer than a screen
    page.get_by_role("link", name="Capture").click()
    expect(page.get_by_label("Name")).to_be_focused()
    page.get_by_label("Name").fill("Margaret Hamilton")
    page.get_by_label("Company").fill("NASA")
    page.get_by_label("Notes").fill("Apollo flight software; wants speakers")
    open_more(page)
    page.get_by_label("Tags").fill("space, software")
    page.get_by_label("Next step", exact=True).fill("Send the talk proposal")
    page.get_by_role("button", name="In a week").click()
    page.get_by_label("Photo").set_input_files(str(_photo(tmp_path)))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved Margaret Hamilton.")).to_be_visible()
    # A fresh form for the next person, from its top: Name in view, the cursor in it.
    expect(page.get_by_label("Name")).to_have_value("")
    expect(page.get_by_label("Name")).to_be_focused()
    expect(page.get_by_label("Name")).to_be_in_viewport()
    capture(page, "Katherine Johnson", Company="NASA")

    page.reload()  # still offline: everything is on the device
    page.get_by_role("link", name="People").click()
    page.get_by_label("Search people").fill("apollo")
    expect(page.get_by_role("link", name="Margaret Hamilton")).to_be_visible()
    expect(page.get_by_role("link", name="Katherine Johnson")).to_be_hidden()
    page.get_by_role("link", name="Follow-ups").click()
    expect(page.get_by_text("Thank-you: Margaret Hamilton")).to_be_visible()
    expect(page.get_by_text("Check back: Margaret Hamilton")).to_be_visible()

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_role("status")).to_contain_text("all changes synced", timeout=15_000)
    found = server.call("GET", "/contacts?q=apollo")["items"]
    assert [c["name"] for c in found] == ["Margaret Hamilton"]
    margaret = found[0]
    assert margaret["tags"] == ["space", "software"] and margaret["photo_at"]
    kinds = sorted(
        f["kind"] for f in server.items("/followups") if f["contact_id"] == margaret["id"]
    )
    assert kinds == ["check_back", "thank_you"]
    photo = server.raw("GET", f"/contacts/{margaret['id']}/photo")
    image = Image.open(io.BytesIO(photo))
    assert image.size == (1200, 900) and not image.getexif()


def test_capturing_someone_on_the_research_list_marks_them_met(page, live_server, server):
    sign_up(page, live_server)
    page.get_by_role("link", name="Research").click()
    page.get_by_role("link", name="Add someone to meet").click()
    page.get_by_label("Name").fill("Guido van Rossum")
    page.get_by_label("Company").fill("Microsoft")
    page.get_by_role("button", name="Save target").click()
    page.get_by_role("link", name="Capture").click()
    page.get_by_label("Name").fill("guido")
    page.get_by_role("button", name="On my list: Guido van Rossum, Microsoft").click()
    expect(page.get_by_label("Company")).to_have_value("Microsoft")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("link", name="Research").click()
    expect(page.get_by_text("Microsoft · priority 3 · met")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("all changes synced", timeout=15_000)
    server.sign_in("ada@example.com", PASSWORD)
    [target] = server.items("/targets")
    [contact] = server.items("/contacts")
    assert target["status"] == "met" and contact["target_id"] == target["id"]
