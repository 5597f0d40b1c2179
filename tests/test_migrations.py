"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from hub.models import Base


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
