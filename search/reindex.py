"""`relevo reindex`: rebuild the search index from the hub, then swap it in atomically.

Searches keep using the old index until the new one is complete; the swap is one
Meilisearch task, so nobody ever searches a half-built index. Outbox rows written before
the rebuild started are covered by it; rows written during it stay for the indexer.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update

from hub.db import Database
from hub.models import SearchOutbox
from hub.progress import Progress
from hub.progress import terminal_bar as progress_bar
from search.documents import all_documents, count_records
from search.index import MeiliIndex


def reindex(database: Database, index: MeiliIndex, *, progress: Progress | None = None) -> int:
    """Rebuild every document; returns how many were indexed."""
    fresh = f"{index.uid}_rebuild_{int(time.time() * 1000)}"
    index.ensure(fresh)
    with database.unit_of_work() as session:
        high_water = session.scalar(select(func.max(SearchOutbox.id))) or 0
        total = count_records(session)
        sent = 0

        def reported() -> Iterator[list[dict[str, Any]]]:
            nonlocal sent
            for batch in all_documents(session):
                sent += len(batch)
                if progress:
                    progress(sent, total)
                yield batch

        done = index.upsert_batches(reported(), uid=fresh)
    index.swap_in(fresh)
    with database.unit_of_work() as session:
        session.execute(
            update(SearchOutbox)
            .where(SearchOutbox.id <= high_water, SearchOutbox.processed_at.is_(None))
            .values(processed_at=datetime.now(UTC))
        )
    return done


def terminal_bar(done: int, total: int) -> None:
    """The shared progress bar (`hub.progress`), counting records."""
    progress_bar(done, total, counts=True)
