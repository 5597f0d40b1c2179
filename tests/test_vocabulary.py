"""One vocabulary at every door: a domain typed in chat, imported from a CSV file or arriving
with a web lead is stored and matched as the same `acme.com`; one set of account rules for
a `/crm account` line and an import row alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Team
from sqlalchemy import text
from test_import_export import importer

from bot.schedule import build_courier
from hub.errors import Invalid
from hub.inbound import Assignment
from hub.models import Tier
from hub.vocabulary import (
    check_choice,
    choices,
    email_domain,
    fitting,
    normalise_domain,
    normalise_email,
    normalise_phone,
)
from integrations.intake import Lead, LeadIntake

URL = "https://www.Acme.com/path"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (URL, "acme.com"),
        ("acme.com", "acme.com"),
        ("ACME.COM.", "acme.com"),
        ("http://acme.com:8080/?q=1#top", "acme.com"),
        ("  www.acme.com/pricing  ", "acme.com"),
        ("https://user@shop.acme.co.uk/", "shop.acme.co.uk"),
        ("wwwacme.com", "wwwacme.com"),
        ("https://", None),
        ("", None),
        (None, None),
    ],
)
def test_a_domain_is_normalised_one_way(typed: str | None, stored: str | None) -> None:
    assert normalise_domain(typed) == stored


def test_addresses_phones_names_and_choices_have_one_spelling() -> None:
    assert normalise_email("  Bill@Initrode.Example ") == "bill@initrode.example"
    assert email_domain("someone@www.Acme.com") == "acme.com"
    assert normalise_phone(" +34  600 000 000 ") == "+34 600 000 000"
    assert normalise_phone("   ") is None
    assert fitting("ß" * 150, 200) == "ß" * 100  # its key, "ss" each, fits too
    assert choices(Tier) == "A/B/C"
    check_choice("tier", "A", Tier)
    with pytest.raises(Invalid, match="tier must be one of A/B/C, not “D”"):
        check_choice("tier", "D", Tier)


def account(team: Team, name: str) -> tuple[object, ...]:
    with team.app.database.engine.connect() as connection:
        row = connection.execute(
            text("SELECT id, domain, channel FROM account WHERE name = :name"), {"name": name}
        ).one()
    return tuple(row)


def intake(team: Team) -> LeadIntake:
    return LeadIntake(
        database=team.app.database,
        settings=team.app.settings,
        clock=team.app.runner.clock,
        notifier=build_courier(team.app),
        assignment=Assignment(pool=("@luis",)),
    )


def test_a_url_typed_in_chat_is_stored_as_its_domain_and_web_leads_find_it(team: Team) -> None:
    out = team.reply(f"/crm account Acme domain:{URL}", by="Ana García")
    assert "Acme" in out.title
    acme_id, domain, _channel = account(team, "Acme")
    assert domain == "acme.com"
    # A lead from the company's domain lands on the account typed in chat, whatever
    # website the form says (what a sender says of themselves routes nothing).
    lead = intake(team).receive(
        Lead.from_fields(
            {"email": "someone@acme.com", "name": "Sam One", "website": URL}, form="web"
        )
    )
    assert (lead.account_id, lead.new_account, lead.owner) == (acme_id, False, "Ana García")
    # Typed again, differently, it is the same domain: no change to report.
    again = team.reply("account Acme domain:acme.com/", by="Ana García")
    assert "domain" not in again.text


def test_a_url_in_a_csv_is_stored_as_its_domain_and_matches_chat_and_leads(
    team: Team, tmp_path: Path
) -> None:
    team.run("account Acme", by="Ana García")
    path = tmp_path / "accounts.csv"
    path.write_text(f"name,domain\nAcme,{URL}\nInitech,https://www.Initech.example/\n")
    summary = importer(team.app).run("accounts", path)
    assert (summary.created, summary.updated, len(summary.rejected)) == (1, 1, 0)
    acme_id, domain, _channel = account(team, "Acme")
    assert domain == "acme.com"
    assert account(team, "Initech")[1] == "initech.example"
    # A second file naming the account by its website finds it, not a new one.
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(f"name,email,account domain\nSam One,sam@acme.com,{URL}\n")
    assert importer(team.app).run("contacts", contacts).created == 1
    assert team.scalar("SELECT account_id FROM contact WHERE email = 'sam@acme.com'") == acme_id
    # A web lead from the domain lands on it too.
    lead = intake(team).receive(Lead.from_fields({"email": "pat@ACME.com"}, form="web"))
    assert (lead.account_id, lead.new_account) == (acme_id, False)


def test_a_web_lead_makes_an_account_chat_and_csv_then_find(team: Team, tmp_path: Path) -> None:
    lead = intake(team).receive(
        Lead.from_fields(
            {"email": "someone@www.Acme.com", "company": "Acme", "website": URL}, form="web"
        )
    )
    assert lead.new_account
    assert account(team, lead.account)[1] == "acme.com"
    typed = team.reply(f'/crm account "{lead.account}" domain:{URL}', by="Carmen Vidal")
    assert "domain" not in typed.text  # the same domain: nothing changed
    path = tmp_path / "accounts.csv"
    path.write_text(f"name,domain,tier\nAcme Industries,{URL},A\n")
    summary = importer(team.app, "Luis Pérez").run("accounts", path)
    assert (summary.created, summary.updated, len(summary.rejected)) == (0, 1, 0)
    assert team.scalar("SELECT tier FROM account WHERE id = :id", id=lead.account_id) == "A"


def test_an_import_row_follows_the_channel_rule_of_a_command(team: Team, tmp_path: Path) -> None:
    team.run("account Acme", by="Ana García")
    acme_id = account(team, "Acme")[0]
    # In chat, only the owner (their cover, a manager) may move the account's channel.
    refused = team.run("account Acme channel:#elsewhere", by="Luis Pérez")
    assert "Only the owner of Acme" in refused
    path = tmp_path / "accounts.csv"
    path.write_text("name,channel,tier\nAcme,#elsewhere,A\n")
    summary = importer(team.app, "Luis Pérez").run("accounts", path)
    assert summary.rejected == [
        (
            2,
            "Only the owner of Acme, their cover or a manager can change its owner, "
            "visibility, team or channel",
        )
    ]
    assert account(team, "Acme") == (acme_id, None, None)
    assert team.scalar("SELECT tier FROM account WHERE id = :id", id=acme_id) == "B"
    # The owner's own file moves it, as their command would.
    summary = importer(team.app, "Ana García").run("accounts", path)
    assert (summary.updated, summary.rejected) == (1, [])
    assert account(team, "Acme") == (acme_id, None, "#elsewhere")
