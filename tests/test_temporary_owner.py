"""A temporary owner works the account but cannot pass it on, open it up or keep it
(README, "Access rules"): console transcripts and an import, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import EPOCH, Team

from hub.clock import FixedClock
from hub.people import find_by_name
from integrations.csv_import import Importer

ZEPHYR = '"Zephyr Secret"'
# What only the owner, their cover or a manager may do: hand the account over (for good,
# which would make the period permanent, or on to someone else) and change its owner,
# visibility, team or linked channel.
MANAGING = (
    f"handover {ZEPHYR} to @marta",
    f"handover {ZEPHYR} to @luis until friday",
    f"account {ZEPHYR} visibility:public",
    f"account {ZEPHYR} owner:@marta",
    f"account {ZEPHYR} team:Service",
    f"account {ZEPHYR} channel:#service",
)
# A period of the account itself, or of its owner's whole book.
PERIODS = (f"handover {ZEPHYR} to @marta until tomorrow", "handover @ana to @marta until tomorrow")


def ownership(team: Team) -> tuple[object, ...]:
    """Who owns Zephyr Secret and who may read it, and every handover of it so far."""
    account = (
        "SELECT owner_id || visibility || department || coalesce(channel, '') FROM account "
        "WHERE name = 'Zephyr Secret'"
    )
    handovers = "SELECT count(*) || '/' || count(until_on) FROM handover"
    return team.scalar(account), team.scalar(handovers)


@pytest.mark.parametrize("period", PERIODS)
def test_a_temporary_owner_works_the_account_but_cannot_keep_it_pass_it_on_or_open_it(
    team: Team, clock: FixedClock, period: str
) -> None:
    team.run(f"account {ZEPHYR} tier:A visibility:private", by="Ana García")
    assert "Handed 1 account to Marta Ruiz until tomorrow" in team.run(period, by="Ana García")
    marta = {
        f"log {ZEPHYR} call Board approved the final price": "Logged call",
        f"deal {ZEPHYR} Renewal amount:999000": "Deal D1 opened",
        f"remind tomorrow call Quentin about {ZEPHYR}": "Follow-up F1",
        f"account {ZEPHYR} tier:B": "tier → B",
    }
    for line, done in marta.items():
        assert done in team.run(line, by="Marta Ruiz"), line

    held = ownership(team)
    for line in MANAGING:
        out = team.run(line, by="Marta Ruiz")
        assert "Only the owner" in out and "Nothing was saved" in out, (line, out)
        assert ownership(team) == held, line
    out = team.run(f"handover {ZEPHYR} to @marta", by="Marta Ruiz")
    assert "Zephyr Secret is yours for a period: to work it, not to hand it on." in out
    # Those who manage it still may, during the period.
    assert "channel → #zephyr" in team.run(f"account {ZEPHYR} channel:#zephyr", by="Ana García")

    # The period ends as agreed: Zephyr Secret is Ana's and hidden from Marta again.
    clock.set(EPOCH + timedelta(days=2))
    assert "No account or contact called" in team.run(f"whois {ZEPHYR}", by="Marta Ruiz")
    card = team.run(f"whois {ZEPHYR}", by="Carmen Vidal")
    assert card.splitlines()[1].split() == ["Owner:", "Ana", "García"]
    out = team.run(f"handover {ZEPHYR} to @marta", by="Carmen Vidal")
    assert "Handed 1 account to Marta Ruiz for good" in out


def test_an_import_by_a_temporary_owner_changes_what_they_may_and_nothing_else(
    team: Team, tmp_path
) -> None:
    team.run(f"account {ZEPHYR} tier:A visibility:private", by="Ana García")
    team.run(f"handover {ZEPHYR} to @marta until tomorrow", by="Ana García")
    held = ownership(team)
    rows = tmp_path / "accounts.csv"
    rows.write_text(
        "name,tier,visibility,owner\n"
        "Zephyr Secret,B,,\n"
        "Zephyr Secret,,public,\n"
        "Zephyr Secret,,,Marta Ruiz\n",
        encoding="utf-8",
    )
    with team.app.database.unit_of_work() as session:
        marta = find_by_name(session, "Marta Ruiz")
        assert marta is not None
        marta_id = marta.id
    app = team.app
    summary = Importer(
        database=app.database, settings=app.settings, clock=app.runner.clock, actor_id=marta_id
    ).run("accounts", rows)
    assert (summary.updated, [line for line, _ in summary.rejected]) == (1, [3, 4])
    for _line, reason in summary.rejected:
        assert reason == (
            "Only the owner of Zephyr Secret, their cover or a manager can change its owner, "
            "visibility, team or channel"
        )
    assert team.scalar("SELECT tier FROM account") == "B"
    assert ownership(team) == held
