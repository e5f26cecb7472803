"""The People screen at 1,000, 10,000 and 100,000 contacts, in headless Chromium.

Run: python bench/people.py  (writes a section of BENCHMARKS.md and prints it)
Budgets (issue 13): first paint of People <= 300 ms and local search <= 50 ms per keystroke at
100,000. The baseline, measured in the same run on the same data, is what the screen did before:
every contact read and drawn, and every contact's text rebuilt and scanned on each keystroke.
"""

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import report  # noqa: E402
from tests.browser import crowd  # noqa: E402
from tests.browser.helpers import sign_up  # noqa: E402
from tests.harness import CHROMIUM_ARGS, LiveServer  # noqa: E402

SIZES = tuple(int(n) for n in sys.argv[1:]) or (1_000, 10_000, 100_000)
QUERY = "grace hopper 1"
#: Time from a tap on People to the frame that shows its first rows (a fresh page on My card:
#: nothing read yet).
FIRST_PAINT = """() => new Promise((resolve) => {
  const start = performance.now();
  document.querySelector('#nav a[href="/people"]').click();
  const poll = () => document.querySelector('#people-list li a')
    ? requestAnimationFrame(() => resolve(performance.now() - start))
    : requestAnimationFrame(poll);
  poll();
})"""
#: Each keystroke of QUERY typed into the search box: the input handler's time plus the layout it
#: leaves, once everyone has been read.
KEYSTROKES = """async (query) => {
  const box = document.querySelector('#people-search');
  const times = [];
  for (let i = 1; i <= query.length; i += 1) {
    const start = performance.now();
    box.value = query.slice(0, i);
    box.dispatchEvent(new Event('input'));
    document.querySelector('#people-list').getBoundingClientRect();
    times.push(performance.now() - start);
  }
  box.value = '';
  box.dispatchEvent(new Event('input'));
  return times;
}"""
#: Draws a row per person, as the screen did, and lays them out.
DRAW_ALL = """(people) => {
  const ul = document.createElement('ul');
  for (const person of people) {
    const li = document.createElement('li');
    const avatar = document.createElement('span');
    avatar.textContent = person.name.slice(0, 2);
    const link = document.createElement('a');
    link.href = `/people/${person.id}`;
    link.textContent = person.name;
    const more = document.createElement('span');
    more.textContent = `${person.company} · ${person.met_at}`;
    li.append(avatar, link, more);
    ul.append(li);
  }
  document.body.append(ul);
  ul.getBoundingClientRect();
  ul.remove();
}"""
#: The screen as it was: read everyone, sort, draw a row per person.
NAIVE_PAINT = f"""async () => {{
  const {{ list }} = await import('/static/js/store.js');
  const start = performance.now();
  const people = (await list('contact')).sort((a, b) => b.met_at.localeCompare(a.met_at));
  ({DRAW_ALL})(people);
  return performance.now() - start;
}}"""
#: The search as it was, per keystroke: read everyone again, join and lower-case each one's text,
#: scan it, draw every match. Timed over the first word's keystrokes (it is slow).
NAIVE_SEARCH = f"""async (query) => {{
  const {{ list }} = await import('/static/js/store.js');
  const times = [];
  for (let i = 1; i <= query.indexOf(' '); i += 1) {{
    const words = query.slice(0, i).split(/\\s+/).filter(Boolean);
    const start = performance.now();
    const found = (await list('contact')).filter((c) => {{
      const text = [c.name, c.company, c.notes, ...(c.tags || [])].join(' ').toLowerCase();
      return words.every((word) => text.includes(word));
    }});
    ({DRAW_ALL})(found);
    times.push(performance.now() - start);
  }}
  return times;
}}"""
LOADED = "() => document.querySelectorAll('#people-tag option').length > 1"


def measure(url, profile, size):
    """Median first paint (of 5 fresh pages), search keystrokes, DOM rows, and the baselines."""
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS
        )
        page = context.pages[0]
        sign_up(page, url, email=f"people{size}@example.com")
        crowd.seed(page, size)
        page.goto(f"{url}/card")
        page.get_by_role("link", name="People").click()  # the first read after the big write
        page.locator("#people-list li").first.wait_for(timeout=120_000)
        paints = []
        for _ in range(5):
            page.goto(f"{url}/card")  # Capture reads every contact for its tag suggestions
            page.get_by_role("link", name="People").wait_for()
            paints.append(page.evaluate(FIRST_PAINT))
            rows = page.locator("#people-list li").count()
        page.wait_for_function(LOADED, timeout=300_000, polling=100)
        keys = [t for _ in range(3) for t in page.evaluate(KEYSTROKES, QUERY)]
        naive_keys = page.evaluate(NAIVE_SEARCH, QUERY)
        naive_paint = page.evaluate(NAIVE_PAINT)
        context.close()
    return {
        "paint": statistics.median(paints),
        "rows": rows,
        "keys": keys,
        "naive_keys": naive_keys,
        "naive_paint": naive_paint,
    }


def main():
    rows = []
    with tempfile.TemporaryDirectory() as tmp, LiveServer(Path(tmp) / "data") as server:
        for size in SIZES:
            r = measure(server.url, str(Path(tmp) / f"profile-{size}"), size)
            budget = size == SIZES[-1]
            rows.append(
                (
                    f"People first paint, {size:,} contacts (median of 5 fresh pages)",
                    f"{r['paint']:.0f} ms, {r['rows']} rows drawn (everyone drawn: {r['naive_paint']:,.0f} ms, {size:,} rows)",
                    "≤ 300 ms" if budget else "",
                )
            )
            rows.append(
                (
                    f"Local search per keystroke, {size:,} contacts (“{QUERY}” typed 3 times, median / 90th percentile / worst)",
                    f"{statistics.median(r['keys']):.1f} / {statistics.quantiles(r['keys'], n=10)[-1]:.1f} / {max(r['keys']):.1f} ms (reading, scanning and drawing everyone: {statistics.median(r['naive_keys']):.1f} / {max(r['naive_keys']):.1f} ms)",
                    "≤ 50 ms" if budget else "",
                )
            )
    report("People at any size (issue 13)", rows)


if __name__ == "__main__":
    main()
