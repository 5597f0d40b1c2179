"""Slack ack latency: how fast `relevo serve web` acknowledges `/crm whois` over HTTP.

    python -m benchmarks.slack                 # the demo hub, then a 100k-account hub
    python -m benchmarks.slack --hubs demo     # just the demo hub (a smoke run)

Slack gives an app 3 seconds to acknowledge a slash command. For each hub this starts the
real web server as a subprocess with a local fake Slack Web API, sends signed `/crm whois`
requests exactly as Slack does, and prints one JSON line with the ack latency (request
sent → HTTP 200) and the answer latency (request sent → the card posted to response_url).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from benchmarks.common import drop_schema, emit, fresh_schema, percentiles
from benchmarks.fake_slack import FakeSlack
from benchmarks.generate import SCALES, account_name, load
from benchmarks.slack_requests import SlackSender
from benchmarks.webserver import WebServer
from bot.bootstrap import bootstrap
from bot.config import Config
from bot.demo import load_demo
from hub.db import Database
from hub.models import Account
from hub.settings import Settings

SECRET = "benchmark-signing-secret"
TEAM = "T0BENCH"


def measure(database_url: str, names: list[str], calls: int, label: str, seed: int) -> None:
    fake = FakeSlack(TEAM).start()
    fake.add_user("U0BENCH", "Bench Mark")
    work = Path(tempfile.mkdtemp(prefix="relevo-slack-bench-"))
    server = WebServer(
        {
            "RELEVO_DATABASE_URL": database_url,
            "SLACK_BOT_TOKEN": "xoxb-benchmark",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
            "SLACK_TEAM_IDS": TEAM,
        },
        work / "web.log",
    ).start()
    sender = SlackSender(server.url, SECRET, TEAM)
    r = random.Random(seed)
    try:
        sender.command("U0BENCH", "help", response_url=fake.response_url("warm-up"))
        fake.wait_for("response_url")
        acks, answers = [], []
        for n in range(calls):
            name = f"call{n}"
            started = time.perf_counter()
            answer = sender.command(
                "U0BENCH", f'whois "{r.choice(names)}"', response_url=fake.response_url(name)
            )
            assert answer.status == 200, answer
            acks.append(answer.seconds * 1000)
            while not any(a.get("_name") == name for a in fake.recorded("response_url")):
                time.sleep(0.001)
            answers.append((time.perf_counter() - started) * 1000)
        emit(figure="slack ack latency ms", hub=label, calls=calls, **percentiles(acks))
        emit(figure="slack answer latency ms", hub=label, calls=calls, **percentiles(answers))
    finally:
        server.stop()
        fake.stop()


def demo_hub(calls: int, seed: int) -> None:
    path = Path(tempfile.mkdtemp(prefix="relevo-demo-")) / "demo.db"
    url = f"sqlite:///{path}"
    app = bootstrap(Config(settings=Settings(database_url=url)), migrate=True)
    load_demo(app)
    with app.database.unit_of_work() as session:
        names = list(session.scalars(select(Account.name).where(Account.visibility == "public")))
    app.database.dispose()
    measure(url, names, calls, "demo (SQLite)", seed)


def large_hub(calls: int, seed: int) -> None:
    url, schema = fresh_schema()
    try:
        database = Database(url=url)
        database.upgrade()
        load(database, SCALES["L"], seed=seed)
        with database.unit_of_work() as session:
            accounts = session.scalar(select(func.count()).select_from(Account)) or 0
        database.dispose()
        names = [account_name(n) for n in random.Random(seed).sample(range(1, accounts), 2000)]
        measure(url, names, calls, f"{accounts:,} accounts (PostgreSQL)", seed)
    finally:
        drop_schema(schema)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--hubs", default="demo,large", help="demo, large or both")
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    hubs = {h.strip() for h in args.hubs.split(",")}
    if "demo" in hubs:
        demo_hub(args.calls, args.seed)
    if "large" in hubs:
        large_hub(args.calls, args.seed)


if __name__ == "__main__":
    main()
