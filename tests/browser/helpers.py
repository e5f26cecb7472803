"""What a person does in the app, as steps the browser tests share."""

import json
import urllib.request
import uuid

from playwright.sync_api import expect

PASSWORD = "correct horse battery"
#: Resolves once a service worker controls the page (evaluate, not wait_for_function: the CSP
#: forbids the eval that polling a string predicate needs).
CONTROLLED = """new Promise((resolve) => navigator.serviceWorker.controller ? resolve(true)
    : navigator.serviceWorker.addEventListener('controllerchange', () => resolve(true)))"""


def sign_up(page, url, name="Ada Lovelace", email="ada@example.com"):
    """Create an account in the UI and wait until the service worker controls the page."""
    page.goto(url)
    page.get_by_label("Name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    # The password's scrypt hash takes a while on a busy two-core machine.
    expect(page.get_by_role("link", name="People")).to_be_visible(timeout=15_000)
    page.evaluate(CONTROLLED)
    expect(page.get_by_role("status")).to_contain_text("all changes synced")


#: Capture fields that sit under "More" (../shared/API.md).
UNDER_MORE = {"Email", "Phone", "URL", "I promised", "They promised", "Tags", "Event", "Photo"}


def open_more(page):
    """Open the capture form's "More" (it stays as the user last left it)."""
    more = page.get_by_role("button", name="More")
    if more.get_attribute("aria-expanded") != "true":
        more.click()


def capture(page, name, **fields):
    """Fill the capture form and save."""
    page.get_by_role("link", name="Capture").click()
    page.get_by_label("Name").fill(name)
    if UNDER_MORE & set(fields):
        open_more(page)
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(f"Saved {name}.")).to_be_visible()


def create_event(page, today):
    """Make an event with two goals in the UI, through Research > Events."""
    page.get_by_role("link", name="Research").click()
    page.get_by_role("link", name="Events").click()
    page.get_by_role("link", name="New event").click()
    page.get_by_label("Event name").fill("PyCon Test")
    page.get_by_label("Starts on").fill(today)
    page.get_by_label("Ends on").fill(today)
    page.get_by_label("Place").fill("Pittsburgh")
    page.get_by_label("New goal").fill("Meet two maintainers, to get reviewers")
    page.get_by_role("button", name="Add goal").click()
    page.get_by_label("New goal").fill("Find a co-organiser for the sprint")
    page.get_by_label("New goal").press("Enter")
    page.get_by_role("button", name="Save event").click()
    expect(page.get_by_role("heading", name="PyCon Test")).to_be_visible()


def forget_the_plan(server):
    """Delete every follow-up the server planned for the contacts made so far, so a scene sets
    its own (the server plans a thank-you and check-backs for each person met: see
    tests/test_follow_through.py)."""
    for followup in server.items("/followups"):
        server.call("DELETE", f"/followups/{followup['id']}")


#: The columns of a directory CSV the browser tests import, by field.
DIRECTORY_COLUMNS = {"name": "name", "company": "company", "title": "title", "bio": "bio"}


def import_directory(server, event_id, text, mapping=DIRECTORY_COLUMNS):
    """Import a CSV attendee directory into an event over the API (multipart, as a script
    would); its header names the columns of DIRECTORY_COLUMNS."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="mapping"\r\n\r\n'
        f"{json.dumps(mapping)}\r\n",
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="people.csv"\r\nContent-Type: text/csv\r\n\r\n{text}\r\n',
        f"--{boundary}--\r\n",
    ]
    request = urllib.request.Request(
        f"{server.url}/api/v1/events/{event_id}/attendees/import",
        method="POST",
        data="".join(parts).encode(),
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Authorization": f"Bearer {server.token}",
        },
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())
