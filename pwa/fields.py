"""Field types shared by the API's schemas, each with its limits."""

import re
from typing import Annotated
from zoneinfo import available_timezones

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TIMEZONES = frozenset(available_timezones())


def _email(value: str) -> str:
    if value and not EMAIL_RE.match(value):
        raise ValueError("not an email address")
    return value


def _web_url(value: str) -> str:
    if value and not re.match(r"^https?://[^\s/?#]+", value, re.IGNORECASE):
        raise ValueError("must be an http:// or https:// URL")
    return value


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text; refuse it on every database alike.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def _timezone(value: str) -> str:
    if value not in TIMEZONES:
        raise ValueError("not an IANA time zone name such as Europe/Berlin")
    return value


def _clock(value: str) -> str:
    hours, _, minutes = value.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60):
        raise ValueError("must be a time of day as HH:MM")
    return f"{int(hours):02d}:{int(minutes):02d}"


def text(max_length, min_length=0):
    """A string stripped of surrounding space, between min_length and max_length characters."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(_no_nul),
    ]


Name = text(200, min_length=1)
Short = text(200)
Email = Annotated[text(320), AfterValidator(_email)]
Phone = text(50)
WebUrl = Annotated[text(2048), AfterValidator(_web_url)]
Note = text(2000)
LongText = text(10000)
Timezone = Annotated[str, AfterValidator(_timezone)]
Clock = Annotated[str, AfterValidator(_clock)]


class Schema(BaseModel):
    """An API body: unknown fields are refused, never dropped silently."""

    model_config = ConfigDict(extra="forbid")
