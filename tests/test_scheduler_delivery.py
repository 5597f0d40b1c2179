"""Exactly once: concurrent clocks, restarts within and after grace, retries, pacing."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import build_app
from scheduling import Hub, Recorder, courier
from sqlalchemy import create_engine, select

from bot.bootstrap import App
from bot.schedule.clock_process import ClockProcess
from bot.schedule.dispatch import Pacer
from bot.schedule.transport import RetryAfter, Undeliverable
from hub import deliveries
from hub.clock import FixedClock
from hub.leadership import AdvisoryLock, Lease
from hub.models import RequestReceipt

MADRID = ZoneInfo("Europe/Madrid")
MONDAY_0905 = datetime(2026, 11, 23, 9, 5, tzinfo=MADRID)


@pytest.fixture
def hub(app: App) -> Hub:
    hub = Hub(app)
    for name in ("Ana García", "Luis Pérez", "Marta Ruiz"):
        person = hub.person(name)
        hub.task("Overdue call", assignee=person, due=datetime(2026, 11, 20, tzinfo=UTC))
    hub.subscribe("#sales", cadence="weekly", tz="Europe/Madrid", by=1)
    hub.subscribe("#ops", cadence="daily", tz="Europe/Madrid", by=1)
    return hub


def other_app(app: App, clock: FixedClock) -> App:
    """A second process's view of the same hub: its own engine and connections."""
    return build_app(app.settings.database_url, clock)


EXPECTED = ["#ops", "#sales", "dm:Ana García", "dm:Luis Pérez", "dm:Marta Ruiz"]


def test_two_passes_at_once_send_each_message_once(app: App, hub: Hub) -> None:
    recorder = Recorder()
    second = other_app(app, FixedClock(at=MONDAY_0905))
    couriers = [courier(app, recorder), courier(second, recorder)]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def run(n: int) -> None:
        start.wait()
        outcomes.extend(r.outcome for r in couriers[n].run_pass(MONDAY_0905))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    second.database.dispose()
    assert sorted(s.where for s in recorder.sent) == EXPECTED
    # Each message is sent by one pass; the other pass skips it, unless it read who is
    # due after the first had already delivered (then it does not list it at all).
    assert outcomes.count("sent") == 5
    assert set(outcomes) <= {"sent", "skipped"}
    assert len(hub.ledger()) == 5


def test_two_clocks_started_together_deliver_once(app: App, hub: Hub) -> None:
    recorder = Recorder()
    clocks = []
    for n in range(2):
        side = app if n == 0 else other_app(app, FixedClock(at=MONDAY_0905))
        clocks.append(
            ClockProcess(
                database=side.database,
                courier=courier(side, recorder),
                clock=FixedClock(at=MONDAY_0905),
                interval=0.2,
            )
        )
    for clock in clocks:
        clock.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and sum(c.passes for c in clocks) < 4:
        time.sleep(0.05)
    for clock in clocks:
        clock.stop()
    clocks[1].courier.database.dispose()
    assert sum(c.passes for c in clocks) >= 4
    assert [c.passes > 0 for c in clocks].count(True) == 1  # one leader
    assert sorted(s.where for s in recorder.sent) == EXPECTED
    assert sorted(s[3] for s in hub.ledger()) == ["sent"] * 5


def run_clock_once(app: App, recorder: Recorder, now: datetime) -> ClockProcess:
    """Start a clock at `now`, let it make its start-up pass and one more, and stop it."""
    clock = ClockProcess(
        database=app.database,
        courier=courier(app, recorder),
        clock=FixedClock(at=now),
        interval=0.1,
    )
    clock.start()
    deadline = time.monotonic() + 20
    while clock.passes < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    clock.stop()
    assert clock.passes >= 2
    return clock


def test_a_message_claimed_but_never_confirmed_is_reported_not_resent(
    app: App, hub: Hub, caplog: pytest.LogCaptureFixture
) -> None:
    with app.database.unit_of_work() as session:  # a clock died between claim and send
        deliveries.claim(
            session,
            kind="nudge",
            recipient=f"person:{hub.person_id('Ana García')}",
            period="2026-11-23",
            now=MONDAY_0905 - timedelta(hours=1),
        )
    recorder = Recorder()
    with caplog.at_level(logging.WARNING, logger="bot.schedule.clock_process"):
        run_clock_once(app, recorder, MONDAY_0905)
    assert "unconfirmed: nudge to person:" in caplog.text and "2026-11-23" in caplog.text
    assert caplog.text.count("unconfirmed:") == 1  # once, not on every pass
    assert "dm:Ana García" not in {s.where for s in recorder.sent}  # never twice
    assert "dm:Luis Pérez" in {s.where for s in recorder.sent}


def test_the_clock_forgets_request_receipts_after_two_days(app: App, hub: Hub) -> None:
    ana = hub.person_id("Ana García")
    with app.database.unit_of_work() as session:
        for key, age in (("old", timedelta(days=3)), ("recent", timedelta(hours=5))):
            session.add(
                RequestReceipt(
                    platform="slack", key=key, person_id=ana, created_at=MONDAY_0905 - age
                )
            )
    run_clock_once(app, Recorder(), MONDAY_0905)
    with app.database.unit_of_work() as session:
        assert session.scalars(select(RequestReceipt.key)).all() == ["recent"]


def test_a_clock_down_at_nine_on_monday_makes_up_within_grace_once(app: App, hub: Hub) -> None:
    recorder = Recorder()
    run_clock_once(app, recorder, datetime(2026, 11, 23, 8, 50, tzinfo=MADRID))
    assert recorder.sent == []
    # Down from 08:50 to 11:30; grace is three hours after 09:00.
    run_clock_once(app, recorder, datetime(2026, 11, 23, 11, 30, tzinfo=MADRID))
    run_clock_once(app, recorder, datetime(2026, 11, 23, 11, 45, tzinfo=MADRID))
    assert recorder.to("#sales") and len(recorder.to("#sales")) == 1
    assert sorted(s.where for s in recorder.sent) == EXPECTED


def test_a_clock_back_after_grace_does_not_post_the_missed_digest(app: App, hub: Hub) -> None:
    recorder = Recorder()
    run_clock_once(app, recorder, datetime(2026, 11, 23, 8, 50, tzinfo=MADRID))
    run_clock_once(app, recorder, datetime(2026, 11, 23, 12, 1, tzinfo=MADRID))
    run_clock_once(app, recorder, datetime(2026, 11, 27, 9, 30, tzinfo=MADRID))  # Friday
    assert recorder.to("#sales") == []
    assert len(recorder.to("#ops")) == 1  # Friday's daily digest, in its own slot
    assert recorder.to("#ops")[0].reply.title.startswith("Daily pipeline digest")


class Flaky:
    """Fails `failures` times (with `error`), then records."""

    def __init__(self, failures: int, error: Exception) -> None:
        self.failures = failures
        self.error = error
        self.recorder = Recorder()
        self.calls = 0

    def send_dm(self, *args: object) -> None:
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error
        self.recorder.send_dm(*args)  # type: ignore[arg-type]

    post_channel = send_dm


def test_failed_sends_are_retried_with_backoff_then_recorded_failed(app: App) -> None:
    hub = Hub(app)
    ana = hub.person("Ana García")
    hub.task("Overdue call", assignee=ana, due=datetime(2026, 11, 20, tzinfo=UTC))
    slept: list[float] = []
    flaky = Flaky(2, ConnectionError("platform down"))
    results = courier(app, flaky, sleep=slept.append, backoff=1.0).nudges(MONDAY_0905)
    assert [r.outcome for r in results] == ["sent"]
    assert slept == [1.0, 2.0]
    assert hub.ledger() == [("nudge", f"person:{ana}", "2026-11-23", "sent", 3)]

    tuesday = MONDAY_0905 + timedelta(days=1)
    down = Flaky(99, ConnectionError("platform down"))
    results = courier(app, down, sleep=slept.append, backoff=1.0).nudges(tuesday)
    assert [r.outcome for r in results] == ["failed"]
    _, _, period, status, attempts = hub.ledger()[-1]
    assert (period, status, attempts, down.calls) == ("2026-11-24", "failed", 3, 3)
    # Failed is final: a later pass does not try again.
    assert courier(app, down).nudges(tuesday + timedelta(minutes=5)) == []
    assert down.calls == 3


def test_retry_after_is_honoured(app: App) -> None:
    hub = Hub(app)
    ana = hub.person("Ana García")
    hub.task("Overdue call", assignee=ana, due=datetime(2026, 11, 20, tzinfo=UTC))
    slept: list[float] = []
    limited = Flaky(1, RetryAfter(7))
    results = courier(app, limited, sleep=slept.append, backoff=1.0).nudges(MONDAY_0905)
    assert [r.outcome for r in results] == ["sent"]
    assert slept == [pytest.approx(7, abs=0.5)]


def test_rate_limits_are_waited_out_without_using_up_attempts(app: App) -> None:
    hub = Hub(app)
    ana = hub.person("Ana García")
    hub.task("Overdue call", assignee=ana, due=datetime(2026, 11, 20, tzinfo=UTC))
    busy = Flaky(5, RetryAfter(0.01))  # more 429s in a row than there are attempts
    results = courier(app, busy, sleep=lambda _s: None).nudges(MONDAY_0905)
    assert [r.outcome for r in results] == ["sent"]
    assert hub.ledger() == [("nudge", f"person:{ana}", "2026-11-23", "sent", 1)]


def test_a_refusal_no_retry_can_mend_fails_at_once(app: App) -> None:
    hub = Hub(app)
    ana = hub.person("Ana García")
    hub.task("Overdue call", assignee=ana, due=datetime(2026, 11, 20, tzinfo=UTC))
    slept: list[float] = []
    gone = Flaky(99, Undeliverable("Slack said account_inactive"))
    results = courier(app, gone, sleep=slept.append, backoff=1.0).nudges(MONDAY_0905)
    assert [r.outcome for r in results] == ["failed"]
    assert (gone.calls, slept) == (1, [])
    assert hub.ledger() == [("nudge", f"person:{ana}", "2026-11-23", "failed", 1)]


def test_sends_are_paced_per_channel_and_per_platform() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 3))
        now[0] += seconds

    pacer = Pacer(
        channel_interval=1.0, platform_interval=0.1, sleep=sleep, monotonic=lambda: now[0]
    )
    pacer.wait("slack", "channel:#sales")
    pacer.wait("slack", "channel:#sales")  # same channel: a second later
    pacer.wait("slack", "dm:U1")  # another lane: only the platform's spacing
    pacer.wait("discord", "dm:U1")  # another platform: no wait
    pacer.hold("slack", 5)
    pacer.wait("slack", "dm:U2")
    assert slept == [1.0, 0.1, 5.0]


def test_sqlite_lease_passes_to_a_second_clock_when_the_leader_stops_renewing(
    sqlite_template: str, tmp_path: Path
) -> None:
    path = tmp_path / "hub.db"
    shutil.copy(sqlite_template, path)
    engine = create_engine(f"sqlite:///{path}")
    clock = FixedClock(at=MONDAY_0905)
    first = Lease(engine=engine, holder="a", now=clock.now)
    second = Lease(engine=engine, holder="b", now=clock.now)
    assert first.try_acquire() and not second.try_acquire()
    clock.set(MONDAY_0905 + timedelta(seconds=30))
    assert first.try_acquire() and not second.try_acquire()  # renewed
    clock.set(MONDAY_0905 + timedelta(seconds=91))  # the leader died 61 s ago
    assert second.try_acquire() and not first.try_acquire()
    second.release()
    assert first.try_acquire()
    engine.dispose()


HOLD_LOCK = textwrap.dedent(
    """
    import sys, time
    from sqlalchemy import create_engine, select
    from hub.leadership import AdvisoryLock
    lock = AdvisoryLock(engine=create_engine(sys.argv[1]))
    assert lock.try_acquire()
    print("leading", flush=True)
    time.sleep(600)
    """
)


def test_postgres_leader_killed_hands_over_to_the_waiting_clock(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    leader = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, postgres_url],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert leader.stdout is not None and leader.stdout.readline().strip() == "leading"
        waiting = AdvisoryLock(engine=engine)
        assert not waiting.try_acquire()
        leader.kill()
        leader.wait(10)
        deadline = time.monotonic() + 10
        while not waiting.try_acquire():
            assert time.monotonic() < deadline, "the lock was not freed"
            time.sleep(0.1)
        assert waiting.try_acquire()  # still leading
        waiting.release()
    finally:
        leader.kill()
        engine.dispose()
