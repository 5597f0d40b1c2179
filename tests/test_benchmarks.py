"""The benchmarks keep working (a smoke run at scale S; no timing is asserted)."""

from __future__ import annotations

import importlib
import json

import pytest

from benchmarks import hub, report, scheduler, slack
from hub.reports import REPORTS


def test_hub_benchmark_smoke(postgres_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    hub.main(["--scale", "S", "--calls", "5"])
    figures = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    measured = {f["figure"]: f for f in figures if "calls" in f}
    assert set(measured) == {
        "whois exact",
        "whois typo",
        "timeline first page",
        "whois @person (largest book)",
        "mine",
        "log",
        "agree",
        "complaint",
        "handover 200-account book until friday",
        "handover 200-account book for good",
        "find",
    }
    assert all(f["crashes"] == 0 and f["statements"] > 0 for f in measured.values())
    assert figures[-1]["figure"] == "peak RSS"


def test_report_benchmark_smoke(postgres_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    report.main(["--scale", "S", "--calls", "2"])
    figures = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    measured = [f for f in figures if "calls" in f]
    assert {f["figure"] for f in measured} == {
        line for what in REPORTS for line in (f"report {what}", f"report {what} this year")
    }
    assert all(f["crashes"] == 0 and f["statements"] > 0 for f in measured)


def test_slack_benchmark_smoke(capsys: pytest.CaptureFixture[str]) -> None:
    slack.main(["--hubs", "demo", "--calls", "5"])
    figures = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [f["figure"] for f in figures] == ["slack ack latency ms", "slack answer latency ms"]
    assert all(f["calls"] == 5 and f["p50"] > 0 for f in figures)


def test_scheduler_benchmark_smoke(postgres_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    scheduler.main(["--scale", "S", "--runs", "1"])
    figures = {f["figure"]: f for f in map(json.loads, capsys.readouterr().out.splitlines())}
    assert set(figures) == {"load", "all nudges", "digest", "digest chart"}
    nudges, digest = figures["all nudges"], figures["digest"]
    # 50 people, three of them away with a cover: everyone else is due, and has something.
    assert nudges["people_due"] == 47 and nudges["nudges"] == 47 and nudges["items"] > 0
    assert nudges["statements"] <= 10  # batched: not one query per person
    assert digest["open_deals"] > 0 and digest["statements"] <= 15
    assert figures["digest chart"]["png_bytes"] > 5_000


def test_import_benchmark_smoke(postgres_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    importlib.import_module("benchmarks.import").main(["--accounts", "300", "--contacts", "900"])
    figures = {f["figure"]: f for f in map(json.loads, capsys.readouterr().out.splitlines())}
    assert figures["import accounts"]["created"] == 300
    assert figures["import contacts"]["created"] == 900
    assert figures["re-import contacts"]["unchanged"] == 900
    assert figures["re-import accounts"]["created"] == 0
    total = figures["import accounts + contacts"]
    assert total["rows"] == 1200 and total["seconds"] > 0
