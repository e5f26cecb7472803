"""The PostgreSQL suite needs nothing prepared: a URL naming a database that does not exist yet
still gets its scratch database (made through the server's maintenance database)."""

import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from .conftest import PG_URL, _scratch_postgres


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL: set HALLWAY_TEST_DATABASE_URL")
def test_a_url_naming_a_missing_database_still_gets_a_scratch_database():
    missing = make_url(PG_URL).set(database=f"newcomer_{uuid.uuid4().hex[:8]}")
    scratch = _scratch_postgres(missing.render_as_string(hide_password=False))
    url = next(scratch)["url"]
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT current_database()")).scalar() in url
    finally:
        engine.dispose()
        scratch.close()
    gone = create_engine(make_url(PG_URL).set(database="postgres"))
    with gone.connect() as conn:
        named = make_url(url).database
        count = conn.execute(
            text("SELECT count(*) FROM pg_database WHERE datname = :n"), {"n": named}
        )
        assert count.scalar() == 0
    gone.dispose()
