"""Segmentation through CSV (issue 22): the headers HubSpot, Salesforce, Zoho CRM and
Pipedrive write for a company's industry, country, region, size, revenue and source are
read into the account; contacts of the same exports import as before; a deal's source and
campaign come along; and an import, `relevo export` and a re-import leave it unchanged."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from conftest import FixedClock, Team, build_app
from sqlalchemy import text
from test_import_export import _export, importer, totals

from hub.people import ensure_person, update_person

# Each CRM's companies/accounts export: its real header names, in its order.
ACCOUNTS = {
    "hubspot": (
        "Record ID,Company name,Company Domain Name,Company owner,Create Date,Industry,City,"
        "State/Region,Country/Region,Number of Employees,Annual Revenue,Original Source\n"
        "5301142877,Acme Corp,acme.com,Ana García,2025-03-04 09:12,COMPUTER_SOFTWARE,Madrid,"
        "Madrid,Spain,250,12000000,ORGANIC_SEARCH\n"
    ),
    "salesforce": (
        '"Id","Name","Type","Website","Industry","AnnualRevenue","NumberOfEmployees",'
        '"AccountSource","OwnerId","BillingCity","BillingState","BillingCountry","CreatedDate"\n'
        '"0015g00000QbDxAAAV","Stark Industries","Customer - Direct","https://www.stark.example/",'
        '"Electronics","450000000","12000","Partner Referral","0055g00000A1bCdAAB","New York",'
        '"NY","USA","2024-02-11T10:15:00.000Z"\n'
    ),
    "zoho": (
        "Record Id,Account Owner,Account Name,Phone,Website,Account Type,Industry,Employees,"
        "Annual Revenue,Billing City,Billing State,Billing Country,Account Source,Created Time\n"
        "zcrm_4876876000000231001,Luis Pérez,Bodegas Rioja,+34 941 000 000,bodegasrioja.example,"
        "Customer,Food & Beverage,45,3500000,Logroño,La Rioja,España,Trade Show,"
        "2025-01-20 10:00:00\n"
    ),
    "pipedrive": (
        "Organization - ID,Organization - Name,Organization - Owner,Organization - Address,"
        "Organization - Country of Address,Organization - State/County of Address,"
        "Organization - Industry,Organization - Number of employees,"
        "Organization - Annual revenue,Organization - Website\n"
        '17,Lisboa Tech,Ana García,"Av. da Liberdade 1, Lisboa, Portugal",Portugal,Lisboa,'
        "Information Technology,8,750000,lisboatech.example\n"
    ),
}

# Their contacts/people exports, linked to those accounts as each CRM links them.
CONTACTS = {
    "hubspot": (
        "Record ID,First Name,Last Name,Email,Phone Number,Job Title,Contact owner,"
        "Associated Company,Associated Company IDs (Primary),Lifecycle Stage,Country/Region\n"
        "901,María,López,maria.lopez@acme.com,+34 600 111 222,Head of Procurement,Ana García,"
        "Acme Corp,5301142877,Customer,Spain\n"
    ),
    "salesforce": (
        '"Id","AccountId","FirstName","LastName","Email","Phone","Title","LeadSource","OwnerId"\n'
        '"0035g00000AbCdEAAV","0015g00000QbDxAAAV","Pepper","Potts","pepper@stark.example",'
        '"+1 212 555 0100","CEO","Web","0055g00000A1bCdAAB"\n'
    ),
    "zoho": (
        "Record Id,Contact Owner,Lead Source,First Name,Last Name,Account Name,Email,Title,Phone,"
        "Mobile,Mailing City,Mailing Country\n"
        "zcrm_4876876000000232001,Luis Pérez,Trade Show,Elena,Ruiz,Bodegas Rioja,"
        "elena@bodegasrioja.example,Gerente,+34 941 000 001,,Logroño,España\n"
    ),
    "pipedrive": (
        "Person - ID,Person - Name,Person - Organization,Person - Email - Work,"
        "Person - Phone - Work,Person - Job title,Person - Owner\n"
        "31,João Silva,Lisboa Tech,joao@lisboatech.example,+351 210 000 000,CTO,Ana García\n"
    ),
}

SEGMENTS = (
    "SELECT industry, country, region, size_band, revenue, lead_source FROM account "
    "WHERE name = :name"
)
EXPECTED = {
    "Acme Corp": ("computer software", "ES", "Madrid", "201-1000", 12000000, "organic search"),
    "Stark Industries": ("electronics", "US", "NY", "5000+", 450000000, "partner referral"),
    "Bodegas Rioja": ("food & beverage", "ES", "La Rioja", "11-50", 3500000, "trade show"),
    "Lisboa Tech": ("information technology", "PT", "Lisboa", "1-10", 750000, None),
}
CONTACT_OF = {
    "Acme Corp": "María López — Head of Procurement · maria.lopez@acme.com",
    "Stark Industries": "Pepper Potts — CEO · pepper@stark.example",
    "Bodegas Rioja": "Elena Ruiz — Gerente · elena@bodegasrioja.example",
    "Lisboa Tech": "João Silva — CTO · joao@lisboatech.example",
}


def flat(text: str) -> str:
    return " ".join(text.split())


def _segments(team: Team, name: str) -> tuple[object, ...]:
    with team.app.database.engine.connect() as connection:
        row = connection.execute(text(SEGMENTS), {"name": name}).one()
    return (*row[:4], None if row[4] is None else Decimal(row[4]), row[5])


def _import_all(team: Team, tmp_path: Path) -> None:
    run = importer(team.app)
    for crm in ACCOUNTS:
        companies = tmp_path / f"{crm}-accounts.csv"
        companies.write_text(ACCOUNTS[crm], encoding="utf-8")
        people = tmp_path / f"{crm}-contacts.csv"
        people.write_text(CONTACTS[crm], encoding="utf-8")
        accounts = run.run("accounts", companies)
        assert (accounts.system, totals(accounts)) == (crm, (1, 0, 0, 0)), accounts.lines()
        contacts = run.run("contacts", people)
        assert (contacts.system, totals(contacts)) == (crm, (1, 0, 0, 0)), contacts.lines()


def test_the_four_crms_exports_bring_the_segment_and_their_contacts(
    team: Team, tmp_path: Path
) -> None:
    _import_all(team, tmp_path)
    for name, expected in EXPECTED.items():
        industry, country, region, size, revenue, source = expected
        assert _segments(team, name) == (
            industry,
            country,
            region,
            size,
            Decimal(revenue),
            source,
        ), name
        card = flat(team.run(f'whois "{name}"', by="Ana García"))
        assert CONTACT_OF[name] in card
    acme = flat(team.run('whois "Acme Corp"', by="Ana García"))
    assert (
        "Segment: computer software · Madrid, Spain · 201-1000 employees · 12,000,000 a year · "
        "source: organic search"
    ) in acme
    assert "Owner: Luis Pérez" in flat(team.run('whois "Bodegas Rioja"', by="Ana García"))
    found = flat(team.run("find type:account country:ES", by="Ana García"))
    assert "2 results" in found and "Acme Corp" in found and "Bodegas Rioja" in found


def test_the_city_is_the_region_when_there_is_no_state(team: Team, tmp_path: Path) -> None:
    path = tmp_path / "companies.csv"
    path.write_text(
        "Record ID,Company name,City,Country/Region,Number of Employees\n"
        "1,Nordic Oy,Helsinki,Finland,1 200\n",
        encoding="utf-8",
    )
    assert totals(importer(team.app).run("accounts", path)) == (1, 0, 0, 0)
    assert _segments(team, "Nordic Oy")[1:4] == ("FI", "Helsinki", "1001-5000")


def test_an_unknown_country_or_size_rejects_the_row_and_keeps_the_others(
    team: Team, tmp_path: Path
) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text(
        "Name,Country,Employees\nGood Co,es,12\nNowhere Co,Atlantis,5\nVague Co,ES,a few\n",
        encoding="utf-8",
    )
    summary = importer(team.app).run("accounts", path)
    assert totals(summary) == (1, 0, 0, 2)
    assert summary.rejected[0][0] == 3 and "Atlantis" in summary.rejected[0][1]
    assert summary.rejected[1][0] == 4 and "a few" in summary.rejected[1][1]


def test_deals_bring_their_source_and_campaign(team: Team, tmp_path: Path) -> None:
    _import_all(team, tmp_path)
    opportunities = tmp_path / "opportunities.csv"
    opportunities.write_text(
        '"Id","AccountId","Name","StageName","Amount","CloseDate","LeadSource",'
        '"Primary Campaign Source"\n'
        '"0065g00000XyZaAAAV","0015g00000QbDxAAAV","Stark arc reactor","Negotiation/Review",'
        '"250000","2026-12-31","Web","Spring Webinar"\n',
        encoding="utf-8",
    )
    pipedrive = tmp_path / "pipedrive-deals.csv"
    pipedrive.write_text(
        "Deal - ID,Deal - Title,Deal - Value,Deal - Currency,Deal - Organization,"
        "Deal - Stage,Deal - Source channel\n"
        "5,Lisboa rollout,12000,EUR,Lisboa Tech,qualified,LinkedIn\n",
        encoding="utf-8",
    )
    run = importer(team.app)
    assert totals(run.run("deals", opportunities)) == (1, 0, 0, 0)
    assert totals(run.run("deals", pipedrive)) == (1, 0, 0, 0)
    assert team.scalar("SELECT source FROM deal WHERE title = 'Stark arc reactor'") == "web"
    assert (
        team.scalar("SELECT campaign FROM deal WHERE title = 'Stark arc reactor'")
        == "Spring Webinar"
    )
    assert team.scalar("SELECT source FROM deal WHERE title = 'Lisboa rollout'") == "linkedin"
    found = flat(team.run("find type:deal source:LinkedIn", by="Ana García"))
    assert "1 result" in found and "Lisboa rollout" in found


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [{k: v for k, v in row.items() if k != "id"} for row in csv.DictReader(handle)]


def test_import_export_and_reimport_leave_the_segment_unchanged(
    team: Team, tmp_path: Path, clock: FixedClock
) -> None:
    _import_all(team, tmp_path)
    team.run("deal acme corp Renewal amount:48k source:web campaign:spring", by="Ana García")
    exported = {kind: tmp_path / f"relevo-{kind}.csv" for kind in ("accounts", "deals")}
    for kind, path in exported.items():
        assert _export(team.app, kind, path, "Ana García") == {"accounts": 4, "deals": 1}[kind]
    rows = {row["name"]: row for row in _rows(exported["accounts"])}
    assert rows["Bodegas Rioja"] | {"owner": ""} == {
        "name": "Bodegas Rioja",
        "domain": "bodegasrioja.example",
        "tier": "B",
        "status": "active",
        "visibility": "public",
        "department": "Sales",
        "owner": "",
        "industry": "food & beverage",
        "country": "ES",
        "region": "La Rioja",
        "size": "11-50",
        "revenue": "3500000.00",
        "revenue_currency": "",
        "lead_source": "trade show",
        "lead_campaign": "",
    }
    deal = _rows(exported["deals"])[0]
    assert (deal["source"], deal["campaign"]) == ("web", "spring")

    # Back into the same hub: every row matched, nothing changed.
    before = {name: _segments(team, name) for name in EXPECTED}
    for kind, path in exported.items():
        assert totals(importer(team.app).run(kind, path)) == (
            0,
            0,
            4 if kind == "accounts" else 1,
            0,
        )
    assert {name: _segments(team, name) for name in EXPECTED} == before

    # Into an empty hub, then out again: the same file.
    other = build_app(f"sqlite:///{tmp_path / 'other.db'}", clock)
    other.database.upgrade()
    with other.database.unit_of_work() as session:
        for name in ("Ana García", "Luis Pérez"):
            update_person(ensure_person(session, name=name, now=clock.now()), department="Sales")
    for kind, path in exported.items():
        assert importer(other).run(kind, path).created == (4 if kind == "accounts" else 1)
    for kind, path in exported.items():
        again = tmp_path / f"again-{kind}.csv"
        _export(other, kind, again, "Ana García")
        assert _rows(again) == _rows(path)
    other.database.dispose()
