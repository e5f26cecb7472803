"""bench/firstvisit.py cannot silently rot: one first visit, on Slow 4G with the CPU slowed, and
one without, reach a ready app, and the throttled one is slower by at least its round trips."""

from bench import firstvisit


def test_a_throttled_first_visit_reaches_the_ready_app_later(chromium_path, live_server, tmp_path):
    fast = firstvisit.visit(live_server, str(tmp_path / "fast"), None, 1)
    slow = firstvisit.visit(live_server, str(tmp_path / "slow"), firstvisit.SLOW_4G, 4)

    for visit in (fast, slow):
        assert visit["files"] > 10 and 20_000 < visit["bytes"] < 500_000
    # the page, then its script and the modules it imports: three round trips at least
    assert slow["ms"] > fast["ms"] + 3 * firstvisit.SLOW_4G["latency"]
