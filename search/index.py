"""The Meilisearch index: settings, writes (waited for, so the outbox knows they landed),
searches, and the atomic swap used by a full reindex."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

import meilisearch
import requests
from meilisearch._httprequests import HttpRequests
from meilisearch.config import Config
from meilisearch.errors import (
    MeilisearchApiError,
    MeilisearchCommunicationError,
    MeilisearchTimeoutError,
)
from meilisearch.index import Index
from requests.adapters import HTTPAdapter

from search.documents import SETTINGS

INDEX = "records"
TIMEOUT_MS = 60_000


class SearchUnavailable(Exception):
    """Meilisearch could not be reached or refused the request."""


# Connections kept per process: as many as the web server's threads that may search at once.
POOL = 40


class _SessionRequests(HttpRequests):
    """meilisearch's HTTP layer on one shared `requests.Session`. The library sends each
    request with `requests.get`/`post`/..., a new session and TCP connection every time;
    the same verb of a session reuses a kept-alive connection from its pool. Each client
    object keeps its own instance (the library changes its headers per request)."""

    def __init__(self, config: Config, session: requests.Session) -> None:
        super().__init__(config)
        self.session = session

    def send_request(self, http_method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return super().send_request(getattr(self.session, http_method.__name__), *args, **kwargs)


class _Client(meilisearch.Client):
    """A meilisearch client whose every request (its own, its indexes', their tasks')
    goes through one session: connections are reused, not opened per request."""

    def __init__(self, url: str, key: str | None, *, timeout: int) -> None:
        super().__init__(url, key, timeout=timeout)
        self.session = requests.Session()
        # Uncompressed answers: Meilisearch writes a gzip'd answer in pieces, and on a kept-
        # alive connection each search then waits out a delayed ACK (40 ms instead of 1).
        self.session.headers["Accept-Encoding"] = "identity"
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=POOL)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.http = _SessionRequests(self.config, self.session)
        self.task_handler.http = _SessionRequests(self.config, self.session)

    def index(self, uid: str) -> Index:
        index = super().index(uid)
        index.http = _SessionRequests(self.config, self.session)
        index.task_handler.http = _SessionRequests(self.config, self.session)
        return index


class MeiliIndex:
    def __init__(self, *, url: str, key: str | None, uid: str = INDEX, timeout: int = 5) -> None:
        self.client = _Client(url, key, timeout=timeout)
        self.url = url
        self.key = key
        self.uid = uid

    def _apply(self, start: Callable[[], Any], *, tolerate: str = "") -> None:
        """Start a Meilisearch task and wait until it has succeeded."""
        task = guarded(start)
        done = guarded(
            lambda: self.client.wait_for_task(
                task.task_uid, timeout_in_ms=TIMEOUT_MS, interval_in_ms=20
            )
        )
        if done.status != "succeeded" and not (tolerate and tolerate in str(done.error)):
            raise SearchUnavailable(f"Meilisearch task {task.task_uid} {done.status}: {done.error}")

    def ensure(self, uid: str | None = None) -> None:
        """Create the index (if needed) with our settings."""
        uid = uid or self.uid
        self._apply(
            lambda: self.client.create_index(uid, {"primaryKey": "id"}),
            tolerate="index_already_exists",
        )
        self._apply(lambda: self.client.index(uid).update_settings(SETTINGS))

    def upsert(self, documents: list[dict[str, Any]], uid: str | None = None) -> None:
        index = self.client.index(uid or self.uid)
        if documents:
            self._apply(lambda: index.add_documents(documents, primary_key="id"))

    def upsert_batches(self, batches: Iterable[list[dict[str, Any]]], uid: str) -> int:
        """Queue every batch at once (Meilisearch merges queued additions), then wait."""
        index = self.client.index(uid)
        tasks: list[int] = []
        count = 0
        for documents in batches:
            tasks.append(
                guarded(partial(index.add_documents, documents, primary_key="id")).task_uid
            )
            count += len(documents)
        for task_uid in tasks:
            done = guarded(
                partial(
                    self.client.wait_for_task,
                    task_uid,
                    timeout_in_ms=TIMEOUT_MS * 30,
                    interval_in_ms=200,
                )
            )
            if done.status != "succeeded":
                raise SearchUnavailable(f"Meilisearch task {task_uid} {done.status}: {done.error}")
        return count

    def delete(self, ids: Iterable[str]) -> None:
        wanted = ", ".join(json.dumps(i) for i in ids)
        if wanted:
            condition = f"id IN [{wanted}]"
            self._apply(lambda: self.client.index(self.uid).delete_documents(filter=condition))

    def delete_account(self, account_id: int) -> None:
        condition = f"account_id = {int(account_id)}"
        self._apply(lambda: self.client.index(self.uid).delete_documents(filter=condition))

    def search(self, text: str, **params: Any) -> dict[str, Any]:
        return guarded(lambda: self.client.index(self.uid).search(text, params))

    def count(self) -> int:
        return int(guarded(lambda: self.client.index(self.uid).get_stats()).number_of_documents)

    def swap_in(self, fresh: str) -> None:
        """Make index `fresh` the live one in one step, then drop the old contents."""
        self.ensure()
        self._apply(lambda: self.client.swap_indexes([{"indexes": [self.uid, fresh]}]))
        self._apply(lambda: self.client.delete_index(fresh))

    def healthy(self) -> bool:
        try:
            return self.client.health().get("status") == "available"
        except (
            MeilisearchCommunicationError,
            MeilisearchApiError,
            MeilisearchTimeoutError,
            OSError,
        ):
            return False


def guarded(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except (
        MeilisearchCommunicationError,
        MeilisearchApiError,
        MeilisearchTimeoutError,
        OSError,
    ) as error:
        raise SearchUnavailable(str(error)) from error
