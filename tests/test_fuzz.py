"""The API under schemathesis: examples generated from the served OpenAPI document, sent as an
anonymous caller, with an API token and with a browser session (and its CSRF header); no answer
may be a 5xx or break its documented schema."""

import contextlib

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from pwa.auth import service as accounts
from pwa.db import db

from .conftest import FAST_HASH, PASSWORD

#: Examples per operation, each sent by the three callers.
EXAMPLES = 8


def callers(app, number):
    """Three callers of a fresh account: anonymous, an API token, and a browser session with its
    CSRF header (fresh for every operation: signing out everywhere or deleting the account are
    operations too)."""
    email = f"fuzz{number}@example.com"
    user = accounts.register(email, PASSWORD, "Fuzz", FAST_HASH)
    token = accounts.create_token(user, "fuzz")
    db.session.commit()
    client = app.test_client()
    me = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD}).get_json()
    # Called over WSGI, schemathesis reads the bytes as sent and, unlike an HTTP client, does not
    # undo compression: ask for none.
    plain = {"Accept-Encoding": "identity"}
    return {
        "anonymous": {"headers": plain},
        "token": {"headers": {**plain, "Authorization": f"Bearer {token}"}},
        "session": {
            "headers": {**plain, "X-CSRF-Token": me["csrf_token"]},
            "cookies": {"hallway_session": client.get_cookie("hallway_session").value},
        },
    }


def test_no_server_error_and_every_answer_as_documented(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures, sent = [], []
    for number, result in enumerate(schema.get_all_operations()):
        with contextlib.suppress(Exception, BaseExceptionGroup):  # recorded; on to the next
            fuzz(result.ok(), callers(app, number), failures, sent)
    assert len(sent) > 1000, "the fuzzer hardly ran"
    assert not failures, "\n".join(failures)


def fuzz(operation, callers, failures, sent):
    """Send one operation's generated examples as every caller; record what fails."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def examples(case):
        for who, credentials in callers.items():
            try:  # under TESTING a crash in a view propagates here: a failure like a 500
                response = case.call(**credentials)
                sent.append(response.status_code)
                case.validate_response(
                    response, checks=(not_a_server_error, response_schema_conformance)
                )
            except (Exception, BaseExceptionGroup) as e:  # schemathesis raises a group
                found = getattr(e, "exceptions", [e])
                what = "; ".join(f"{type(x).__name__}: {x}".splitlines()[0] for x in found)
                failures.append(f"{operation.label} as {who} ({case.body!r:.80}): {what}")
                raise

    examples()
