"""A first visit on a slow phone: Slow 4G and a CPU four times slower, in headless Chromium
against a real `hallway serve`.

Run: python -m bench.firstvisit  (writes a section of BENCHMARKS.md and prints it)
Goal (issue 13): bytes and time to a ready app on Lighthouse's mobile profile: 150 ms round trip,
1.6 Mbps down, 750 kbps up (Network.emulateNetworkConditions) and 4x CPU throttling
(Emulation.setCPUThrottlingRate), through the DevTools protocol.

Each visit is a new browser profile (nothing cached, no service worker) opening / until the app
marks itself ready (`hallway:ready`: the sign-up screen, for a new device). Time is from the
navigation's start; bytes are what the page fetched until then (Resource Timing's transferSize,
headers included, compressed as sent). Baselines in the same run: the same visit with no
throttling, and with the network throttled but not the CPU.
"""

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import report  # noqa: E402
from bench.offline import READY  # noqa: E402
from tests.harness import CHROMIUM_ARGS, LiveServer  # noqa: E402

#: Lighthouse's mobile "Slow 4G", in the DevTools protocol's units (bytes per second).
SLOW_4G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1.6 * 1024 * 1024 / 8,
    "uploadThroughput": 750 * 1024 / 8,
}
CPU_SLOWDOWN = 4
#: (name, network conditions or None, CPU slowdown)
PROFILES = (
    ("no throttling", None, 1),
    ("Slow 4G, CPU as is", SLOW_4G, 1),
    (f"Slow 4G, CPU {CPU_SLOWDOWN}x slower", SLOW_4G, CPU_SLOWDOWN),
)
#: Milliseconds to the ready mark, and the bytes and files the page had fetched by then.
MEASURED = """() => {
  const ready = performance.getEntriesByName('hallway:ready')[0].startTime;
  const navigation = performance.getEntriesByType('navigation')[0];
  const loaded = performance.getEntriesByType('resource').filter((r) => r.responseEnd <= ready);
  return {
    ms: ready,
    bytes: navigation.transferSize + loaded.reduce((sum, r) => sum + r.transferSize, 0),
    files: 1 + loaded.length,
  };
}"""


def visit(url, profile, network, cpu):
    """One first visit in a new profile: {"ms", "bytes", "files"}."""
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS
        )
        page = context.pages[0]
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        if network:
            cdp.send("Network.emulateNetworkConditions", network)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
        page.goto(url, wait_until="commit", timeout=120_000)
        page.evaluate(READY)
        result = page.evaluate(MEASURED)
        context.close()
    return result


def measure(url, folder, runs=3):
    """{profile name: the median visit of `runs`}."""
    medians = {}
    for name, network, cpu in PROFILES:
        visits = [visit(url, str(Path(folder) / f"{name}-{n}"), network, cpu) for n in range(runs)]
        medians[name] = {key: statistics.median(v[key] for v in visits) for key in visits[0]}
    return medians


def main():
    with (
        tempfile.TemporaryDirectory(prefix="bench-firstvisit-") as tmp,
        LiveServer(Path(tmp) / "server") as server,
    ):
        medians = measure(server.url, tmp)
    slow = medians[PROFILES[-1][0]]
    fast, network_only = medians[PROFILES[0][0]], medians[PROFILES[1][0]]
    rows = [
        (
            f"First visit to a ready app (sign-up screen), Slow 4G (150 ms, 1.6 Mbps down, 750 kbps up) and {CPU_SLOWDOWN}x CPU throttling (median of 3 new profiles)",
            f"{slow['ms']:,.0f} ms, {slow['bytes'] / 1024:.1f} KB in {slow['files']:.0f} files "
            f"(the same visit unthrottled: {fast['ms']:,.0f} ms, {fast['bytes'] / 1024:.1f} KB, "
            f"{slow['ms'] / fast['ms']:.1f}x; Slow 4G with the CPU as is: "
            f"{network_only['ms']:,.0f} ms; the bytes alone at 1.6 Mbps: "
            f"{slow['bytes'] / SLOW_4G['downloadThroughput'] * 1000:,.0f} ms)",
            "",
        ),
    ]
    note = (
        "Chromium talks HTTP/1.1 to waitress (six connections to a host) and finds the modules "
        "one import at a time, so on Slow 4G the round trips cost more than the bytes."
    )
    report("First visit on a slow phone (issue 13)", rows, note)


if __name__ == "__main__":
    main()
