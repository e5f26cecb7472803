"""Times read as the phone's clock does (static/js/words.js), in a real Chromium: "6:05 PM" where
the clock has 12 hours, "18:05" and "09:00" where it has 24."""

import pytest

#: Runs in the page: the module as the app imports it, a moment's time and its day and time.
TIMES = """async () => {
    const { dateTime, timeOfDay } = await import('/static/js/words.js');
    const at = (iso) => [timeOfDay(iso), dateTime(iso, new Date('2031-03-01T12:00:00Z'))];
    return [at('2031-03-04T18:05:00Z'), at('2031-03-04T09:00:00Z')];
}"""


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en-US", [["6:05 PM", "Tue, Mar 4 6:05 PM"], ["9:00 AM", "Tue, Mar 4 9:00 AM"]]),
        ("en-GB", [["18:05", "Tue 4 Mar 18:05"], ["09:00", "Tue 4 Mar 09:00"]]),
    ],
)
def test_a_time_reads_as_the_clock_of_the_locale(page, live_server, locale, expected):
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setLocaleOverride", {"locale": locale})
    cdp.send("Emulation.setTimezoneOverride", {"timezoneId": "UTC"})
    page.goto(live_server)
    assert page.evaluate(TIMES) == expected
