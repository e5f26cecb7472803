"""Importing and exporting contacts from People in a real browser: a preview with its counts,
the import, the people in the list after a sync, the mapping step of an unknown CSV, a download
link that downloads a file, and what offline says."""

import json
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .helpers import capture, sign_up
from .test_layout import AXE, AXE_RUN

VCARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Wojciech Łukasiewicz\r\nN:Łukasiewicz;Wojciech;;;\r\n"
    "ORG:Politechnika Warszawska\r\nEMAIL:wojtek@example.pl\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Nguyễn Thị Minh Khai\r\nTEL:+84 24 3826 0000\r\n"
    "END:VCARD\r\n"
)
#: A CSV of no known program: its columns need the mapping step.
UNKNOWN_CSV = "Nom complet,Société,Courriel\nHedy Lamarr,MGM,hedy@example.com\n"


def needs(live_server, *paths):
    """Skip, saying why, while a route this test uses is not in the server's OpenAPI document
    yet (the import and export routes are other branches of issue 15); once merged, it runs."""
    with urllib.request.urlopen(f"{live_server}/api/v1/openapi.json") as answer:
        document = json.loads(answer.read())
    missing = [path for path in paths if path not in document["paths"]]
    if missing:
        pytest.skip(f"not on this branch yet: {', '.join(missing)}")


def no_accessibility_violations(page):
    """axe-core finds nothing on what is on show (the open sheet), light and dark."""
    page.evaluate(AXE)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert page.evaluate(AXE_RUN) == [], scheme


def open_import(page):
    page.get_by_role("link", name="People").click()
    page.get_by_role("button", name="Import contacts").click()
    return page.get_by_role("dialog", name="Import contacts")


def pick(dialog, path, text):
    """Choose a file of contacts in the import sheet (which previews it at once)."""
    path.write_text(text, encoding="utf-8")
    dialog.get_by_label("Contacts file").set_input_files(str(path))


def test_import_contacts_with_a_preview_then_see_them_in_the_list(page, live_server, tmp_path):
    needs(live_server, "/import/contacts")
    sign_up(page, live_server)
    path = tmp_path / "contacts.vcf"
    dialog = open_import(page)
    pick(dialog, path, VCARDS)

    counts = dialog.get_by_role("list", name="What the file holds")
    expect(counts).to_contain_text("2 new")
    expect(counts).to_contain_text("0 broken")
    entries = dialog.get_by_role("list", name="Contacts in the file")
    expect(entries.get_by_role("listitem")).to_have_count(2)
    expect(entries.get_by_role("listitem").filter(has_text="Wojciech Łukasiewicz")).to_contain_text(
        "New"
    )
    assert page.get_by_role("link", name="Wojciech Łukasiewicz").count() == 0  # a preview
    no_accessibility_violations(page)
    dialog.get_by_role("button", name="Import 2 contacts").click()
    expect(dialog.get_by_text("Imported from vCard.")).to_be_visible()
    expect(counts).to_contain_text("2 new")
    assert dialog.get_by_role("progressbar", name="Import progress").evaluate("p => p.value") == 1
    dialog.get_by_role("button", name="Done").click()
    expect(page.get_by_role("link", name="Wojciech Łukasiewicz")).to_be_visible(timeout=15_000)
    expect(page.get_by_role("link", name="Nguyễn Thị Minh Khai")).to_be_visible()

    # The same file again changes nothing: both are already here, nothing to import.
    dialog = open_import(page)
    pick(dialog, path, VCARDS)
    expect(counts).to_contain_text("2 already here")
    expect(dialog.get_by_role("button", name="Import 0 contacts")).to_be_disabled()


def test_a_csv_of_no_known_program_gets_the_mapping_step(page, live_server, tmp_path):
    needs(live_server, "/import/contacts")
    sign_up(page, live_server)
    dialog = open_import(page)
    pick(dialog, tmp_path / "export.csv", UNKNOWN_CSV)
    expect(dialog.get_by_role("heading", name="Which column is what?")).to_be_visible()
    no_accessibility_violations(page)
    dialog.get_by_label("Name column").select_option("Nom complet")
    dialog.get_by_label("Company column").select_option("Société")
    dialog.get_by_role("button", name="Preview with these columns").click()
    expect(dialog.get_by_role("list", name="What the file holds")).to_contain_text("1 new")
    dialog.get_by_role("button", name="Import 1 contact").click()
    expect(dialog.get_by_text("Imported from CSV.")).to_be_visible()
    dialog.get_by_role("button", name="Done").click()
    expect(page.get_by_role("link", name="Hedy Lamarr")).to_be_visible(timeout=15_000)


def two_people_then_export(page, live_server):
    """Sign up, meet two people, sync, and open People's Export sheet."""
    sign_up(page, live_server)
    capture(page, "Grace Hopper", Company="US Navy")
    capture(page, "Linus Torvalds")
    expect(page.get_by_role("status")).to_contain_text("all changes synced", timeout=15_000)
    page.get_by_role("link", name="People").click()
    page.get_by_role("button", name="Export").click()
    return page.get_by_role("dialog", name="Export contacts")


def downloaded(page, link, extension, encoding="utf-8"):
    """Click a download link; the file's text, once it is checked to be a .<extension>."""
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(f".{extension}")
    return Path(download.value.path()).read_text(encoding=encoding)


def test_export_links_download_files_for_everyone_or_the_search(page, live_server):
    needs(live_server, "/export/contacts.vcf", "/export/all.json")
    dialog = two_people_then_export(page, live_server)
    expect(dialog.get_by_role("group", name="Who to export")).to_be_hidden()  # no filter on
    cards = downloaded(page, dialog.get_by_role("link", name="vCard", exact=True), "vcf")
    assert "FN:Grace Hopper" in cards and "FN:Linus Torvalds" in cards
    everything = downloaded(page, dialog.get_by_role("link", name="Everything (JSON)"), "json")
    assert "Linus Torvalds" in everything
    dialog.get_by_role("button", name="Close").click()

    page.get_by_label("Search people").fill("grace")
    page.get_by_role("button", name="Export").click()
    expect(dialog.get_by_role("radio", name="Only “grace” (1 person)")).to_be_checked()
    no_accessibility_violations(page)
    link = dialog.get_by_role("link", name="vCard 4.0")
    expect(link).to_have_attribute("href", "/api/v1/export/contacts.vcf?version=4.0&q=grace")
    cards = downloaded(page, link, "vcf")
    assert "VERSION:4.0" in cards and "Grace Hopper" in cards and "Linus" not in cards
    dialog.get_by_role("radio", name="Everyone (2 people)").check()
    expect(link).to_have_attribute("href", "/api/v1/export/contacts.vcf?version=4.0")


def test_the_spreadsheet_export_follows_the_search(page, live_server):
    needs(live_server, "/export/contacts.csv")
    dialog = two_people_then_export(page, live_server)
    dialog.get_by_role("button", name="Close").click()
    page.get_by_label("Search people").fill("grace")
    page.get_by_role("button", name="Export").click()
    link = dialog.get_by_role("link", name="Spreadsheet (CSV)")
    table = downloaded(page, link, "csv", encoding="utf-8-sig")
    assert "Grace Hopper" in table and "Linus Torvalds" not in table


def test_offline_import_and_export_say_they_need_a_connection(page, live_server):
    sign_up(page, live_server)
    page.context.set_offline(True)
    dialog = open_import(page)
    expect(dialog.get_by_text("Importing needs a connection to the server")).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    page.get_by_role("button", name="Export").click()
    dialog = page.get_by_role("dialog", name="Export contacts")
    expect(dialog.get_by_text("Exports come from the server")).to_be_visible()
    dialog.get_by_role("link", name="vCard", exact=True).click()
    expect(dialog).to_be_visible()  # no error page downloaded; the dialog stays and says why
