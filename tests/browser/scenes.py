"""Every screen of the app with a conference's worth of data behind it: the layout tests walk these,
and `python scripts/screenshots.py` photographs them for the README."""

import datetime as dt
import uuid

from playwright.sync_api import expect

from .helpers import forget_the_plan, import_directory, sign_up

VIEWPORTS = {"320x640": (320, 640), "390x844": (390, 844), "430x932": (430, 932)}

#: The event's attendee directory, for its "Suggested for you" (seed(directory=True)).
DIRECTORY = """name,company,title,bio
Priya Raman,Shopfront,Head of Platform,"We look for early developer tools to test in beta with our team"
Jonas Berg,Fjord Labs,CTO,Runs a design partner programme for compilers and build tools
Amara Okafor,Northwind Health,Staff Engineer,Keen to test new type checkers on a large codebase
Luis Ortega,Seedcamp,Partner,I invest at seed in developer tools
"""


def seed(server, email="ada@example.com", directory=False):
    """Fill Ada's account over the API (as another of her devices would): an event with goals
    (and, with `directory`, its attendee directory), a research list, people met with
    follow-ups, and her card."""
    from tests.browser.helpers import PASSWORD

    server.sign_in(email, PASSWORD)
    today = dt.date.today()
    event = server.call(
        "POST",
        "/events",
        {
            "name": "PyCon Lisbon",
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=2)).isoformat(),
            "location": "Centro de Congressos, Lisboa",
            "timezone": "Europe/Lisbon",
            "goals": [
                {"text": "Find two design partners, to test the beta"},
                {"text": "Meet a seed investor", "done": True},
            ],
        },
    )
    if directory:
        import_directory(server, event["id"], DIRECTORY)
    guido = server.call(
        "POST",
        "/targets",
        {
            "name": "Guido van Rossum",
            "company": "Microsoft",
            "title": "Distinguished Engineer",
            "why": "He reviews typing PEPs",
            "offer": "Benchmarks of our checker",
            "ask": "A reviewer for the PEP",
            "event_id": event["id"],
            "priority": 1,
        },
    )
    server.call(
        "POST",
        "/targets",
        {"name": "Mariana Costa", "company": "Seedcamp", "title": "Partner", "priority": 2},
    )
    met = dt.datetime.now(dt.UTC).replace(microsecond=0)
    people = [
        ("Grace Hopper", "US Navy", "Rear Admiral", "grace@example.com", "+1 555 0100"),
        ("Margaret Hamilton", "Hamilton Technologies", "CEO", "margaret@example.com", None),
        ("Katherine Johnson", "NASA", "Mathematician", None, "+1 555 0199"),
        ("Linus Torvalds", "Linux Foundation", "Fellow", "linus@example.com", None),
    ]
    ids = []
    for index, (name, company, title, email_, phone) in enumerate(people):
        contact = server.call(
            "POST",
            "/contacts",
            {
                "id": str(uuid.uuid4()),
                "name": name,
                "company": company,
                "title": title,
                "email": email_,
                "phone": phone,
                "event_id": event["id"],
                "met_at": (met - dt.timedelta(hours=3 * index)).isoformat(),
                "notes": "Talked about compilers and the hallway track.",
                "i_promised": "send the deck and metrics" if index == 0 else None,
                "they_promised": "an intro to their platform team" if index == 0 else None,
                "next_step": "Call about the pilot" if index < 2 else None,
                "next_step_due": (today + dt.timedelta(days=3 + index)).isoformat()
                if index < 2
                else None,
                "tags": ["investor"] if index == 1 else ["compilers"],
            },
        )
        ids.append(contact["id"])
    forget_the_plan(server)  # the scene's own follow-ups instead
    due = [(-2, "thank_you"), (0, "check_back"), (4, "check_back"), (20, "keep_in_touch")]
    for contact_id, (days, kind) in zip(ids, due, strict=True):
        server.call(
            "POST",
            "/followups",
            {
                "contact_id": contact_id,
                "kind": kind,
                "due_at": (met + dt.timedelta(days=days)).isoformat(),
            },
        )
    # How well Ada knows Grace, who introduced them, and an introduction Grace agreed to.
    grace, margaret, _, linus = ids
    server.call(
        "PATCH",
        f"/contacts/{grace}",
        {"trust": "worked_together", "introduced_by_id": linus},
    )
    server.call(
        "POST",
        "/introductions",
        {
            "contact_id": grace,
            "to_id": margaret,
            "note": "You both ship software that has to work the first time.",
            "asked_at": (met - dt.timedelta(hours=1)).isoformat(),
            "agreed_at": met.isoformat(),
        },
    )
    server.call(
        "PATCH",
        "/me/card",
        {
            "headline": "I make compilers friendly",
            "company": "Analytical Engines",
            "title": "Founder",
            "email": email,
            "phone": "+44 20 7946 0000",
            "url": "https://ada.example.com",
            "intro": "I build compilers. I make them friendly. I am looking for design partners.",
        },
    )
    return {"event": event["id"], "contacts": ids, "target": guido["id"]}


def signed_in_with_data(page, url, server, directory=False):
    """Sign up, seed the account, and wait until this device has synced it."""
    sign_up(page, url)
    data = seed(server, directory=directory)
    page.reload()
    page.get_by_role("link", name="People").click()
    expect(page.get_by_role("link", name="Grace Hopper")).to_be_visible(timeout=15_000)
    return data


def screens(data):
    """(name, path, what to do after opening it) for every screen a signed-in person sees."""
    contact = data["contacts"][0]
    event = data["event"]

    def open_more(page):
        page.get_by_role("button", name="More").click()

    def view(name):
        return lambda page: (
            page.get_by_role("group", name="Show").get_by_role("button", name=name).click()
        )

    def jump(name):
        return lambda page: (
            page.get_by_role("navigation", name="Sections of this event")
            .get_by_role("button", name=name)
            .click()
        )

    def introduce_to_linus(page):
        page.get_by_label("Introduce them to").select_option(data["contacts"][3])

    return [
        ("capture", "/capture", None),
        ("capture-more", "/capture", open_more),
        ("people", "/people", None),
        ("person", f"/people/{contact}", None),
        ("introduce", f"/people/{contact}/introduce", introduce_to_linus),
        ("research", "/research", None),
        ("target", f"/research/{data['target']}", None),
        ("prep", f"/research/{data['target']}/prep", None),
        ("events", "/events", None),
        ("event", f"/events/{event}", None),
        ("event-people", f"/events/{event}", jump("People")),
        ("followups", "/followups", view("Follow-ups")),
        ("followups-i-owe", "/followups", view("I owe")),
        ("followups-owed-to-me", "/followups", view("Owed to me")),
        ("reconnect", "/reconnect", None),
        ("report", "/report", None),
        ("event-report", f"/report/{event}", None),
        ("card", "/card", None),
        ("scan", "/scan", None),
        ("account", "/data", None),
    ]


def open_screen(page, path, then=None):
    """Open a screen the way a person does (a link in the app, not a reload) and let it settle."""
    page.evaluate(
        """(path) => { history.pushState(null, '', path); dispatchEvent(new PopStateEvent('popstate')); }""",
        path,
    )
    expect(page.locator("html")).to_have_attribute("data-shown", path)
    page.wait_for_timeout(100)
    if then:
        then(page)
        page.wait_for_timeout(200)
