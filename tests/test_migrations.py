"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Connection, create_engine, text

from hub.db import alembic_config
from hub.models import Account, Base, Person


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    # Search indexes of one database only live in migrations, not in the models:
    # pg_trgm indexes (0002) and the SQLite FTS5 tables (0003).
    search_only = [
        d
        for d in diff
        if (d[0] == "remove_index" and d[1].name.endswith("_trgm"))
        or (d[0] == "remove_table" and d[1].name.startswith("text_fts"))
    ]
    assert [d for d in diff if d not in search_only] == []


def migrate(url: str, step: Callable[[Config, str], None], revision: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        step(config, revision)
    engine.dispose()


def _ana(connection: Connection, now: datetime) -> int:
    """A person written at an older schema: a Core statement naming its columns, since
    the model has columns that schema lacks (person.muted, 0016)."""
    person = Person.__table__
    return int(
        connection.execute(
            person.insert()
            .values(name="Ana García", name_key="ana garcia", handle="ana", created_at=now)
            .returning(person.c.id)
        ).scalar_one()
    )


def test_domains_stored_as_typed_are_normalised_and_queued_for_search(database_url: str) -> None:
    migrate(database_url, command.downgrade, "0012")  # no data yet
    engine = create_engine(database_url)
    typed = {
        "Acme": "https://acme.com/",
        "Initech": "http://www.initech.example/about",
        "Globex": "globex.example",
        "Hooli": None,
    }
    now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    with engine.begin() as connection:
        owner = _ana(connection, now)
        for name, domain in typed.items():
            connection.execute(
                Account.__table__.insert().values(
                    name=name,
                    name_key=name.lower(),
                    domain=domain,
                    owner_id=owner,
                    created_at=now,
                    updated_at=now,
                )
            )
    migrate(database_url, command.upgrade, "head")
    with engine.connect() as connection:
        stored = dict(connection.execute(text("SELECT name, domain FROM account")).all())
        queued = connection.execute(
            text(
                "SELECT a.name FROM search_outbox o JOIN account a ON a.id = o.entity_id "
                "WHERE o.entity = 'account' AND o.op = 'upsert' ORDER BY a.name"
            )
        ).scalars()
        assert list(queued) == ["Acme", "Initech"]
    engine.dispose()
    assert stored == {
        "Acme": "acme.com",
        "Initech": "initech.example",
        "Globex": "globex.example",
        "Hooli": None,
    }


def test_agreements_recorded_before_0014_are_open_and_stay_searchable(database_url: str) -> None:
    migrate(database_url, command.downgrade, "0013")
    engine = create_engine(database_url)
    now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    with engine.begin() as connection:
        owner_id = _ana(connection, now)
        account_id = connection.execute(
            Account.__table__.insert()
            .values(name="Acme", name_key="acme", owner_id=owner_id, created_at=now, updated_at=now)
            .returning(Account.__table__.c.id)
        ).scalar_one()
        connection.execute(
            text(
                "INSERT INTO agreement (account_id, author_id, text, due_on, created_at) "
                "VALUES (:a, :p, 'Send the quote', '2026-11-20', '2026-11-24 09:00:00')"
            ),
            {"a": account_id, "p": owner_id},
        )
    migrate(database_url, command.upgrade, "head")
    with engine.begin() as connection:
        row = connection.execute(
            text("SELECT state, closed_at, closed_by_id, reason FROM agreement")
        ).one()
        assert tuple(row) == ("open", None, None, None)
        if engine.dialect.name == "sqlite":
            # The table was rebuilt: its full-text triggers (0003) must still be there.
            connection.execute(
                text(
                    "INSERT INTO agreement (account_id, author_id, text, created_at, state) "
                    "VALUES (:a, :p, 'Ship the pilot kit', '2026-11-24 09:00:00', 'open')"
                ),
                {"a": account_id, "p": owner_id},
            )
            connection.execute(text("UPDATE agreement SET text = 'Send the revised quote'"))
            bodies = connection.execute(text("SELECT body FROM text_fts ORDER BY body")).scalars()
            assert list(bodies) == ["Send the revised quote", "Send the revised quote"]
    engine.dispose()
