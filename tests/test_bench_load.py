"""bench/load.py cannot silently rot: its load logic, briefly, against a real `hallway serve`."""

from bench import load


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
