"""Drains the search outbox into Meilisearch, in order, with retries.

Rows are taken oldest first in batches; on PostgreSQL with FOR UPDATE SKIP LOCKED, so two
indexers never take the same rows. A batch is marked done only after Meilisearch has
applied it; if Meilisearch is down, the rows stay and the indexer backs off and retries,
so nothing written to the hub is ever lost to search.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import func, select, update

from hub.db import Database
from hub.models import SearchOutbox
from search.documents import accounts_documents, doc_id, documents_for
from search.index import MeiliIndex, SearchUnavailable

log = logging.getLogger(__name__)
BATCH = 500
MAX_BACKOFF = 30.0


class Indexer:
    def __init__(self, *, database: Database, index: MeiliIndex, batch: int = BATCH) -> None:
        self.database = database
        self.index = index
        self.batch = batch

    def drain_once(self) -> int:
        """Apply one batch of pending outbox rows; returns how many rows were applied.

        Raises `SearchUnavailable` (after counting the attempt) when Meilisearch is away.
        """
        failure: SearchUnavailable | None = None
        with self.database.unit_of_work() as session:
            pending = (
                select(SearchOutbox)
                .where(SearchOutbox.processed_at.is_(None))
                .order_by(SearchOutbox.id)
                .limit(self.batch)
            )
            if not self.database.is_sqlite:
                pending = pending.with_for_update(skip_locked=True)
            rows = session.scalars(pending).all()
            if not rows:
                return 0
            # The last operation per record wins; order between records does not matter
            # because each document is rebuilt from the hub as it is now.
            latest: dict[tuple[str, int], str] = {}
            for row in rows:
                latest[(row.entity, row.entity_id)] = row.op
            by_kind: dict[str, set[int]] = defaultdict(set)
            deletes: list[str] = []
            deleted_accounts: list[int] = []
            for (kind, record_id), op in latest.items():
                if op == "delete":
                    deletes.append(doc_id(kind, record_id))
                    if kind == "account":
                        deleted_accounts.append(record_id)
                else:
                    by_kind[kind].add(record_id)
            documents = []
            for kind, ids in by_kind.items():
                if kind == "account":
                    docs, missing = accounts_documents(session, ids)
                    documents.extend(docs)
                    deleted_accounts.extend(missing)
                    deletes.extend(doc_id("account", i) for i in missing)
                else:
                    docs, missing = documents_for(session, kind, ids)
                    documents.extend(docs)
                    deletes.extend(doc_id(kind, i) for i in missing)
            try:
                self.index.upsert(documents)
                self.index.delete(deletes)
                for account_id in deleted_accounts:
                    self.index.delete_account(account_id)
            except SearchUnavailable as error:
                failure = error
                session.execute(
                    update(SearchOutbox)
                    .where(SearchOutbox.id.in_([r.id for r in rows]))
                    .values(attempts=SearchOutbox.attempts + 1)
                )
            else:
                now = datetime.now(UTC)
                for row in rows:
                    row.processed_at = now
        if failure is not None:
            raise failure
        return len(rows)

    def drain(self) -> int:
        """Apply every pending row now (tests, `relevo reindex`); returns the count."""
        total = 0
        while applied := self.drain_once():
            total += applied
        return total

    def pending(self) -> int:
        with self.database.unit_of_work() as session:
            return (
                session.scalar(
                    select(func.count())
                    .select_from(SearchOutbox)
                    .where(SearchOutbox.processed_at.is_(None))
                )
                or 0
            )

    def run_forever(
        self, *, idle: float = 0.5, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        """The `relevo serve indexer` loop: drain, back off while Meilisearch is away.

        The index (and its settings) is ensured inside the loop, not before it, so an
        indexer started while Meilisearch is down waits for it instead of exiting.
        """
        backoff = idle
        ensured = False
        while True:
            try:
                if not ensured:
                    self.index.ensure()
                    ensured = True
                applied = self.drain_once()
                backoff = idle
                if not applied:
                    sleep(idle)
            except SearchUnavailable as error:
                log.warning("search unavailable, retrying in %.1fs: %s", backoff, error)
                sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
