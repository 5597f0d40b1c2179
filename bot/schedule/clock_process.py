"""`relevo serve clock`: APScheduler runs a pass every few minutes, on the leader only.

Two jobs: `lead` (re)claims leadership, `pass` runs a courier pass when this process
leads. Both run once at start, so a clock that starts late makes up what is still within
the grace period. Nothing about the jobs needs storing: what is due is computed from the
hub and the delivery ledger on every pass, which is how jobs "survive" restarts.
"""

from __future__ import annotations

import logging
import signal
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from bot.schedule.courier import Courier, Result
from hub import deliveries, receipts
from hub.clock import Clock
from hub.db import Database
from hub.leadership import Leadership, Lease, leadership_for

log = logging.getLogger(__name__)


class ClockProcess:
    def __init__(
        self,
        *,
        database: Database,
        courier: Courier,
        clock: Clock,
        interval: float,
        leadership: Leadership | None = None,
        on_pass: Callable[[list[Result]], None] | None = None,
    ) -> None:
        self.courier = courier
        self.clock = clock
        self.interval = interval
        self.holder = f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}"
        self.leadership = leadership or leadership_for(
            database.engine, holder=self.holder, now=clock.now
        )
        self.lead_every = max(min(interval, 10.0), 0.05)
        if isinstance(self.leadership, Lease):  # a dead leader's lease lapses after ~30 s
            self.leadership.ttl = timedelta(seconds=max(3 * self.lead_every, 30))
        self.on_pass = on_pass
        self.leading = False
        self.passes = 0
        self.scheduler = BackgroundScheduler(timezone=UTC)
        self._stopped = threading.Event()
        self._lead_lock = threading.Lock()
        self._checked = False

    def lead(self) -> None:
        with self._lead_lock:
            try:
                leading = self.leadership.try_acquire()
            except Exception:
                log.exception("clock: could not check leadership")
                leading = False
            if leading != self.leading or not self._checked:
                log.warning("clock %s %s", self.holder, "leads" if leading else "waits")
            self.leading, self._checked = leading, True

    def tick(self) -> None:
        if not self.leading:
            self.lead()
        if not self.leading:
            return
        if self.passes == 0:
            self.report_unconfirmed()
        results = self.courier.run_pass(self.clock.now())
        with self.courier.database.unit_of_work() as session:
            receipts.forget_old(session, now=self.clock.now())
        self.passes += 1
        for result in results:
            log.info("%s %s %s: %s", result.kind, result.label, result.period, result.outcome)
        if self.on_pass is not None:
            self.on_pass(results)

    def report_unconfirmed(self) -> None:
        """Tell the operator, once per leadership, about messages a clock claimed but never
        confirmed (it died mid-send): they are not sent again, as never twice is the
        promise, so a person should check whether they arrived."""
        with self.courier.database.unit_of_work() as session:
            stuck = deliveries.stale_pending(
                session, now=self.clock.now(), older_than=timedelta(minutes=10)
            )
            for delivery in stuck:
                log.warning(
                    "unconfirmed: %s to %s for %s was claimed at %s and never confirmed sent",
                    delivery.kind,
                    delivery.recipient,
                    delivery.period,
                    delivery.created_at.isoformat(timespec="minutes"),
                )

    def start(self) -> None:
        now = datetime.now(UTC)
        self.scheduler.add_job(
            self.lead, "interval", seconds=self.lead_every, next_run_time=now, id="lead"
        )
        self.scheduler.add_job(
            self.tick,
            "interval",
            seconds=self.interval,
            next_run_time=now + timedelta(milliseconds=50),
            id="pass",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(max(self.interval, 1)),
        )
        self.scheduler.start()

    def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        with self._lead_lock:
            if self.leading:
                self.leadership.release()
                self.leading = False
        self._stopped.set()

    def serve_forever(self) -> None:
        """Run until SIGINT or SIGTERM."""
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: self._stopped.set())
        self.start()
        log.warning("clock %s started; a pass every %g s", self.holder, self.interval)
        self._stopped.wait()
        self.stop()
