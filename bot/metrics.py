"""`GET /metrics` on `relevo serve web`: the Prometheus text format, for operators.

What is counted in the process (commands by verb and outcome, their latency, HTTP acks,
rate-limit refusals) is defined in commands/metrics.py; what other processes do (the
indexer's backlog, the clock's deliveries) is read from the hub's database at scrape time,
in two cheap statements. With several web workers, prometheus_client's multi-process mode
sums every worker's files, so any worker answers for all of them.

Access: with RELEVO_METRICS_TOKEN set, a scrape must send `Authorization: Bearer <token>`
(401 otherwise); without it, only loopback clients are served (404 for anyone else).
"""

from __future__ import annotations

import glob
import hmac
import ipaddress
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.bootstrap import App
from commands.metrics import ACK_SECONDS
from hub import deliveries, outbox
from hub.db import Database

log = logging.getLogger(__name__)
MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"
DELIVERY_STATES = (deliveries.PENDING, deliveries.SENT, deliveries.FAILED, deliveries.EMPTY)


class HubCollector:
    """Figures read from the hub's database at each scrape, whichever process made them."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "relevo_hub_database_up", "Whether the scrape could read the hub's database."
        )
        try:
            with self.database.unit_of_work() as session:
                pending, oldest = outbox.backlog(session)
                tally = deliveries.tally(session)
        except (OperationalError, InterfaceError) as error:
            log.warning("metrics: the hub's database is unavailable: %s", type(error).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield GaugeMetricFamily(
            "relevo_search_outbox_pending",
            "Hub changes not yet applied to the search index.",
            value=pending,
        )
        age = (datetime.now(UTC) - oldest).total_seconds() if oldest is not None else 0.0
        yield GaugeMetricFamily(
            "relevo_search_outbox_oldest_seconds",
            "Age of the oldest change waiting for the search index (0: none waits).",
            value=max(age, 0.0),
        )
        states = GaugeMetricFamily(
            "relevo_deliveries",
            "Scheduled messages in the delivery ledger, by status (failed: given up).",
            labels=["status"],
        )
        for state in DELIVERY_STATES:
            states.add_metric([state], tally.by_status.get(state, 0))
        yield states
        yield CounterMetricFamily(
            "relevo_delivery_retries",
            "Tries of scheduled messages beyond each one's first.",
            value=tally.retries,
        )


class _ProcessMetrics:
    """This process's own instruments (prometheus_client's default registry)."""

    def collect(self) -> Iterable[Metric]:
        return REGISTRY.collect()


def registry(database: Database) -> CollectorRegistry:
    """What a scrape shows: every worker's instruments (or this process's), and the hub's."""
    shown = CollectorRegistry()
    if os.environ.get(MULTIPROC_DIR):
        multiprocess.MultiProcessCollector(shown)
    else:
        shown.register(_ProcessMetrics())
    shown.register(HubCollector(database))
    return shown


def allowed(request: Request, token: str | None) -> bool:
    """A token is required when configured; without one, only loopback clients."""
    if token:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode(), token.encode()
        )
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def routes(app: App) -> list[BaseRoute]:
    token = app.config.metrics_token
    shown = registry(app.database)

    async def metrics(request: Request) -> Response:
        if not allowed(request, token):
            if token:
                return Response("a metrics token is required", 401, {"WWW-Authenticate": "Bearer"})
            return Response("not found", 404)
        body = await run_in_threadpool(generate_latest, shown)
        return Response(body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    return [Route("/metrics", metrics, methods=["GET"])]


class AckTimer:
    """Times every HTTP request to its response, by the route's path (never the URL as
    sent, which may carry anything): for Slack and Discord, the acknowledgement."""

    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            ACK_SECONDS.labels(route=self._route(scope)).observe(time.perf_counter() - started)

    def _route(self, scope: Scope) -> str:
        for route in self.routes:
            match, _child = route.matches(scope)
            if match != Match.NONE:
                return str(getattr(route, "path", "other"))
        return "other"


@contextmanager
def worker_files(workers: int) -> Iterator[None]:
    """Multi-process mode for `workers` processes, set up before they start: the
    operator's PROMETHEUS_MULTIPROC_DIR cleared of a previous run's files, else (several
    workers) a fresh directory of our own, removed when the server stops.

    A worker that dies leaves its files, and its counts stay in the sums, as counters
    must. `multiprocess.mark_process_dead` is not needed: it only drops live gauges,
    and our gauges are read from the database at scrape time."""
    chosen = os.environ.get(MULTIPROC_DIR)
    if chosen:
        os.makedirs(chosen, exist_ok=True)
        for stale in glob.glob(os.path.join(chosen, "*.db")):
            os.remove(stale)
        yield
        return
    if workers <= 1:
        yield  # one process: its metrics stay in memory
        return
    own = tempfile.mkdtemp(prefix="relevo-metrics-")
    os.environ[MULTIPROC_DIR] = own
    try:
        yield
    finally:
        os.environ.pop(MULTIPROC_DIR, None)
        shutil.rmtree(own, ignore_errors=True)
