"""Download my data: online, the server's all.json (the file that imports into any Hallway);
offline, the copy on this device, named and said to be that."""

import json
from pathlib import Path

from playwright.sync_api import expect

from .helpers import capture, sign_up


def test_download_my_data_is_the_servers_all_json_and_offline_the_devices_copy(page, live_server):
    sign_up(page, live_server)
    capture(page, "Grace Hopper", Notes="Line one\nline two")
    expect(page.get_by_role("status")).to_contain_text("all changes synced")
    page.get_by_role("link", name="Account").click()
    button = page.get_by_role("button", name="Download everything (JSON)")

    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename.startswith("hallway-all-")
    document = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert (document["format"], document["version"]) == ("hallway", 1)
    assert document["account"]["name"] == "Ada Lovelace"
    assert [contact["name"] for contact in document["contacts"]] == ["Grace Hopper"]

    page.context.set_offline(True)
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename == "hallway-this-device-offline-copy.json"
    copy = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert "format" not in copy  # the device's snapshot, not an all.json
    expect(page.get_by_role("note")).to_contain_text("You are offline, so this is the copy")
