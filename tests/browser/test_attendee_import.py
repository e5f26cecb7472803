"""The attendee import in a real browser: JSON of a program Hallway does not know (a conference
app's speakers) gets the same mapping step as a CSV, then a preview, then the import."""

import json
import re
from datetime import date

from playwright.sync_api import expect

from .helpers import create_event, sign_up

#: Another program's export that merely has a "speakers" list: not Sessionize.
SPEAKERS = {
    "conference": "Nordic Hallway Days",
    "speakers": [
        {
            "speaker_name": "Ingrid Løvstad",
            "organisation": "Fjordnett AS",
            "job_title": "Site Reliability Lead",
            "social": {"website": "https://ingrid.example"},
        },
        {"speaker_name": "Tomás Ó Briain", "organisation": "Cúl Software"},
        {"speaker_name": "", "organisation": "Nobody Ltd"},
    ],
}


def test_json_of_another_program_goes_through_the_mapping_step(page, live_server, tmp_path):
    sign_up(page, live_server)
    create_event(page, date.today().isoformat())
    expect(page.locator("#join-code")).to_have_text(re.compile(r"^[A-Z2-9]{4}-"), timeout=15_000)
    path = tmp_path / "speakers.json"
    path.write_text(json.dumps(SPEAKERS, indent=2), encoding="utf-8")

    page.get_by_label("Attendee file").set_input_files(str(path))
    expect(page.get_by_role("heading", name="Which field is what?")).to_be_visible()
    expect(page.get_by_label("Name field")).to_have_value("speaker_name")
    expect(page.get_by_label("Company field")).to_have_value("organisation")
    expect(page.get_by_label("Title field")).to_have_value("job_title")
    page.get_by_label("Links field").select_option("social.website")
    page.get_by_role("button", name="Preview with these fields").click()
    expect(
        page.get_by_text("JSON: 2 new, 0 to update, 0 left out, 1 with problems.")
    ).to_be_visible()
    expect(
        page.get_by_text("Line 4 · new · Ingrid Løvstad, Site Reliability Lead, Fjordnett AS")
    ).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"^Line \d+ \(speaker 3\): The name is missing"))
    ).to_be_visible()

    page.get_by_role("button", name="Import these people").click()
    expect(
        page.get_by_text("Imported: 2 new, 0 updated, 0 left out, 1 with problems.")
    ).to_be_visible()
    directory = page.locator("#attendee-list")
    expect(directory.get_by_role("listitem")).to_have_count(2)
    expect(directory.get_by_text("Ingrid Løvstad")).to_be_visible()
