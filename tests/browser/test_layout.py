"""Every screen at phone sizes (320, 390 and 430 px wide, touch), signed in with data: nothing
scrolls sideways, the tab bar is one row, every control is a 44x44 px target, no name is cut
short and no short detail ("to meet") breaks across lines, one notice at most, each screen opens
at its top, Save stays in reach with the keyboard up, and axe-core finds no accessibility
violation, light and dark."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .helpers import capture
from .scenes import VIEWPORTS, open_screen, screens, signed_in_with_data

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()

#: Measured in the page: what would make a phone user scroll sideways, squint or miss a tap.
MEASURE = """() => {
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 1 && box.height > 1 && style.visibility !== 'hidden';
  };
  const small = [...document.querySelectorAll('#main button, #main a, #main summary, #main select,'
      + ' #main input:not([type=checkbox]):not([type=radio]):not([type=hidden])')]
    .filter(visible)
    .filter((el) => !el.closest('.visually-hidden, .trap'))
    .map((el) => ({ el, box: el.getBoundingClientRect() }))
    .filter(({ box }) => box.width < 44 || box.height < 44)
    .map(({ el, box }) => `${el.tagName} "${(el.textContent || el.name || '').trim().slice(0, 30)}"`
      + ` ${Math.round(box.width)}x${Math.round(box.height)}`);
  // A short part of what is known of someone ("to meet") broken across two lines, where the
  // line wraps (where it is cut short instead, its end is hidden, not broken).
  const broken = [...document.querySelectorAll('#main .who .muted bdi')]
    .filter(visible)
    .filter((bdi) => getComputedStyle(bdi.parentElement).whiteSpace !== 'nowrap')
    .filter((bdi) => bdi.textContent.length <= 20 && bdi.getClientRects().length > 1)
    .map((bdi) => `"${bdi.textContent}"`);
  // A name of 20 characters or fewer cut short ("Katherin…").
  const cut = [...document.querySelectorAll('#main .who a')]
    .filter(visible)
    .filter((a) => a.textContent.length <= 20 && a.scrollWidth > a.clientWidth)
    .map((a) => `"${a.textContent}"`);
  const tabs = [...document.querySelectorAll('#nav a')].map((a) => a.getBoundingClientRect().top);
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    tabRows: new Set(tabs.map(Math.round)).size,
    notices: [...document.querySelectorAll('#notices .notice')].filter(visible).length,
    scrollY: window.scrollY,
    small,
    broken,
    cut,
  };
}"""

AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ['violations'] });
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}"""


@pytest.fixture
def phone(launch, live_server, server, request):
    """A signed-in phone-sized tab with a conference's worth of data."""
    width, height = VIEWPORTS[request.param]
    context = launch(f"phone-{request.param}")
    page = context.pages[0]
    page.set_viewport_size({"width": width, "height": height})
    data = signed_in_with_data(page, live_server, server, directory=True)
    return page, data


@pytest.mark.parametrize("phone", list(VIEWPORTS), indirect=True)
def test_every_screen_fits_a_phone(phone):
    page, data = phone
    problems = []
    for name, path, then in screens(data):
        open_screen(page, path, then)
        seen = page.evaluate(MEASURE)
        # Leave each screen scrolled, for the next to open at its top all the same. (Scrolled
        # before it is opened, the first, People, would be the list Back returns to, scrolled.)
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        if seen["scrollWidth"] > seen["innerWidth"]:
            problems.append(f"{name}: scrolls sideways ({seen['scrollWidth']} px)")
        if seen["tabRows"] != 1:
            problems.append(f"{name}: tab bar in {seen['tabRows']} rows")
        if seen["notices"] > 1:
            problems.append(f"{name}: {seen['notices']} notices at once")
        if seen["scrollY"] != 0 and then is None:
            problems.append(f"{name}: opened {seen['scrollY']} px down, not at its top")
        problems += [f"{name}: small target {target}" for target in seen["small"]]
        problems += [f"{name}: {part} broken across lines" for part in seen["broken"]]
        problems += [f"{name}: the name {cut} cut short" for cut in seen["cut"]]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("phone", ["390x844"], indirect=True)
def test_no_accessibility_violations_light_and_dark(phone):
    page, data = phone
    page.evaluate(AXE)
    # axe is really looking: a nameless button is caught
    page.evaluate(
        "document.querySelector('#main').append(Object.assign(document.createElement('button'), {id: 'nameless'}))"
    )
    assert any(v.startswith("button-name") for v in page.evaluate(AXE_RUN))
    page.evaluate("document.querySelector('#nameless').remove()")
    found = []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for name, path, then in screens(data):
            open_screen(page, path, then)
            found += [f"{scheme} {name}: {v}" for v in page.evaluate(AXE_RUN)]
    assert found == []


@pytest.mark.parametrize("phone", ["390x844"], indirect=True)
def test_save_stays_in_reach_with_the_keyboard_up(phone):
    page, _ = phone
    open_screen(page, "/capture")
    page.get_by_role("button", name="More").click()
    page.get_by_label("Tags").focus()
    page.set_viewport_size({"width": 390, "height": 420})  # the keyboard takes half the screen
    save = page.get_by_role("button", name="Save", exact=True)
    expect(save).to_be_in_viewport()
    expect(page.get_by_role("link", name="People")).to_be_hidden()  # the tabs made room
    page.get_by_label("Tags").blur()
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.get_by_role("link", name="People")).to_be_visible()


@pytest.mark.parametrize("phone", ["390x844"], indirect=True)
def test_back_returns_to_the_list_where_it_was(phone):
    page, data = phone
    page.set_viewport_size({"width": 390, "height": 300})
    open_screen(page, "/people")
    linus = page.get_by_role("link", name="Linus Torvalds")
    linus.scroll_into_view_if_needed()  # the last row: the list scrolled down to it
    page.wait_for_timeout(100)
    before = page.evaluate("window.scrollY")
    assert before > 0
    linus.click()
    expect(page.get_by_role("heading", name="Linus Torvalds")).to_be_visible()
    assert page.evaluate("window.scrollY") == 0
    page.go_back()
    expect(linus).to_be_visible()
    assert page.evaluate("window.scrollY") == before


@pytest.mark.parametrize("phone", ["320x640"], indirect=True)
def test_offline_with_changes_waiting_the_bar_keeps_its_title(phone):
    page, _ = phone
    page.context.set_offline(True)
    capture(page, "Barbara Liskov")
    short = page.locator("#sync-short")
    # The person and their planned thank-you wait; "waiting" makes room for the title.
    expect(page.get_by_role("status")).to_contain_text("changes waiting to sync")
    expect(short).to_have_text(re.compile(r"^Offline · \d+$"), use_inner_text=True)
    title = page.locator("#bar-title")
    expect(title).to_have_text("Capture")
    assert title.evaluate("(t) => t.scrollWidth <= t.clientWidth"), "the title is cut short"
    page.context.set_offline(False)


#: Runs in the page: a change comes in (as from a sync) and the list is drawn again, while the
#: thumb goes on scrolling it; answers where the page is once the list was drawn again.
SCROLL_DURING_A_REDRAW = """async (y) => {
  const { changes } = await import('/static/js/store.js');
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const redrawn = new Promise((resolve) =>
    new MutationObserver(resolve).observe(document.querySelector('.people-slice'),
                                          { childList: true }));
  changes.dispatchEvent(new Event('change'));
  window.scrollTo(0, y);
  await redrawn;
  await frame();
  await frame();
  return window.scrollY;
}"""


@pytest.mark.parametrize("phone", ["390x844"], indirect=True)
def test_a_list_drawn_again_stays_where_the_thumb_has_it(phone):
    page, _ = phone
    page.set_viewport_size({"width": 390, "height": 300})
    open_screen(page, "/people")
    assert page.evaluate(SCROLL_DURING_A_REDRAW, 150) == 150  # not scrolled back to the top
