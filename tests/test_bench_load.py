"""bench/load.py cannot silently rot: its load logic, briefly, against a real `hallway serve`."""

import random
from collections import Counter

import pytest
from sqlalchemy import create_engine, text

from bench import load
from tests.conftest import IN_CI
from tests.reverse_proxy import nginx_binary


def test_two_clients_batching_and_two_attendees_get_every_change_applied(empty_database, tmp_path):
    batched, mix, peer_load, checked = load.measure_hallway(
        tmp_path, empty_database, 1.5, clients=2, attendees=2, peer_clients=0
    )

    assert batched.batches >= 2 and batched.seconds < 20
    assert batched.fivexx() == 0 and mix.fivexx() == 0
    assert not batched.not_applied and not mix.not_applied
    # Every counted batch was half new, half edits, all applied; the warm-up batches were new.
    assert batched.applied == batched.batches * load.BATCH
    assert peer_load is None
    assert checked > 2 * load.BATCH  # read back from the database, each at its answered version
    assert batched.wire and max(batched.wire) < min(batched.raw)  # gzip or br on the wire
    assert 0 < batched.cpu_busy <= 1  # the servers did work, read off /proc/stat


def test_the_proxy_runs_reach_both_web_processes_and_apply_every_change(empty_database, tmp_path):
    if not nginx_binary():
        if IN_CI:
            pytest.fail("CI must run the proxy benchmark's test: it needs nginx")
        pytest.skip("the proxy benchmark needs nginx (apt-get install nginx)")
    with load.behind_the_proxy(tmp_path, empty_database, 2) as site:
        devices = load.accounts(empty_database, 2, seed=3)
        batched = load.drive(site, devices, 1.5, load.BATCH)
    assert batched.batches >= 2 and batched.fivexx() == 0
    assert batched.applied == batched.batches * load.BATCH
    assert load.check_applied(empty_database, devices) > 2 * load.BATCH
    served = Counter(
        line.split()[1]
        for line in (tmp_path / "nginx" / "access.log").read_text().splitlines()
        if "/api/v1/sync" in line
    )
    assert len(served) == 2, served  # both web processes took batches


def test_the_baseline_with_search_keeps_hallways_index_of_what_it_writes(empty_database, tmp_path):
    with load.bare_server(tmp_path, empty_database, with_search=True) as bare:
        devices = [load.Device("", random.Random(n)) for n in range(2)]
        batched = load.drive(bare, devices, 1.0, load.BATCH)
    assert batched.batches >= 2 and batched.fivexx() == 0
    assert batched.applied == batched.batches * load.BATCH
    engine = create_engine(empty_database)
    with engine.connect() as connection:
        written = connection.execute(text("SELECT count(*) FROM bare_contacts")).scalar_one()
        if engine.dialect.name == "sqlite":
            # The index holds exactly what the rows say now, the edits included ('rank' 1:
            # checked against the table it indexes).
            check = "INSERT INTO bare_search(bare_search, rank) VALUES ('integrity-check', 1)"
            connection.exec_driver_sql(check)
            found = "SELECT count(*) FROM bare_search WHERE bare_search MATCH '\"hallway track\"'"
        else:
            indexes = "SELECT indexdef FROM pg_indexes WHERE tablename = 'bare_contacts'"
            assert any("gin_trgm_ops" in i for i in connection.execute(text(indexes)).scalars())
            found = "SELECT count(*) FROM bare_contacts WHERE search_text LIKE '%hallway track%'"
        assert connection.execute(text(found)).scalar_one() == written > 2 * load.BATCH
    engine.dispose()
