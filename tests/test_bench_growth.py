"""bench/growth.py cannot silently rot: a new device's first sync, the searches and the memory
figures, at a tiny size, against a real `hallway serve`."""

from bench import growth


def test_a_new_device_syncs_every_contact_and_the_searches_answer(empty_database, tmp_path):
    grown = growth.measure(tmp_path, empty_database, 1_200)

    assert grown.sync.records == grown.export.records == 1_200
    assert grown.sync.requests == 3  # pages of 500, as the app pulls them
    assert grown.sync.wire < grown.sync.raw / 5  # compressed on the wire
    assert set(grown.searches) == set(growth.QUERIES)
    assert grown.searches["zzz"][1] == 0 and grown.searches["conference"][1] == 50
    assert 0 < grown.page_ms < 1_000
    assert 0 < grown.idle_rss <= grown.sync_rss <= grown.peak_rss
