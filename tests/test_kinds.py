"""One list of kinds: the server's registry. Everything else that lists them is checked against it."""

import re
import typing
from pathlib import Path

from pwa import kinds, records
from pwa.sync.schemas import Change
from tests.conftest import MINIMAL

LOCALDB = Path(__file__).resolve().parent.parent / "static" / "js" / "localdb.js"


def test_the_registry_holds_every_kind_once():
    assert tuple(records.REGISTRY) == kinds.NAMES
    assert set(kinds.NAMES) == {
        "event",
        "target",
        "contact",
        "followup",
        "interaction",
        "promise",
        "introduction",
        "dismissal",
    }
    assert len({record_type.model for record_type in records.REGISTRY.values()}) == len(kinds.NAMES)


def test_sync_takes_exactly_the_registered_kinds():
    assert typing.get_args(Change.model_fields["kind"].annotation) == kinds.NAMES


def test_the_apps_local_store_lists_the_registered_kinds():
    """The app keeps one IndexedDB store per kind (static/js/localdb.js KINDS)."""
    declared = re.search(r"export const KINDS = \[([^\]]*)\]", LOCALDB.read_text())
    assert declared, "localdb.js no longer declares KINDS"
    names = re.findall(r"'([a-z_]+)'", declared.group(1))
    assert sorted(names) == sorted(kinds.NAMES)


def test_every_kind_has_a_test_factory():
    assert set(MINIMAL) == set(kinds.NAMES)


def test_what_hangs_on_a_contact_declares_so():
    contact = records.REGISTRY["contact"]
    assert [(child.name, field) for child, field in records.children(contact)] == [
        ("followup", "contact_id"),
        ("interaction", "contact_id"),
        ("introduction", "contact_id"),
        ("promise", "contact_id"),
    ]
    assert len(contact.on_remove) == 1  # the photo files
