"""The shape of a sync request."""

import uuid
from typing import Literal

from pydantic import Field

from .. import kinds
from ..fields import Schema

MAX_CHANGES = 500


class Change(Schema):
    #: One of the registered record types (pwa/kinds.py).
    kind: Literal[kinds.NAMES]
    id: uuid.UUID
    op: Literal["upsert", "delete"]
    #: The server version this device last saw; null for a record it made itself.
    base_version: int | None = Field(default=None, ge=0)
    fields: dict = Field(default_factory=dict)


class SyncRequest(Schema):
    #: From the previous answer; null pulls everything.
    cursor: str | None = Field(default=None, max_length=40)
    #: Reused on every retry of the same batch, so a retry is answered, not applied twice.
    batch_id: uuid.UUID | None = None
    changes: list[dict] = Field(default_factory=list, max_length=MAX_CHANGES)


class SyncResult(Schema):
    id: str | None
    status: Literal["applied", "duplicate", "conflict", "rejected"]
    version: int | None
    error: dict | None = None
    deleted: bool | None = None
    server: dict | None = None
    conflicts: list[str] | None = None
    mine: dict | None = None


class PulledChange(Schema):
    kind: str
    id: str
    version: int
    deleted: bool
    fields: dict


class SyncResponse(Schema):
    cursor: str
    more: bool
    results: list[SyncResult]
    changes: list[PulledChange]
