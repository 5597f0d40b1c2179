"""A customer's personal data: `relevo export person EMAIL` lists everything the hub holds
about them, and `relevo forget contact EMAIL` erases it from every table and from search,
leaving a tombstone in the audit log and the account's history counted as before."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from conftest import Team
from sqlalchemy import inspect, text
from test_search import searching_team

from bot.schedule import build_courier
from hub.clock import FixedClock
from hub.text import fold
from integrations.intake import EmailIntake, InboundMessage, Lead, LeadIntake
from integrations.webhooks import Dispatcher, subscribe
from search.index import MeiliIndex
from search.indexer import Indexer

EMAIL = "maria@acme.com"
NAME = "María López"
PHONE = "+34 600 123 456"
# Her own words: an e-mail logged on Acme, one left in triage, a web form.
OWN_WORDS = ("purple giraffe clause", "tangerine submarine", "forty velvet seats")
ADMIN = "Sofía Navarro"


def plant(team: Team, clock: FixedClock) -> None:
    """María López's data in every place the hub keeps text, and others' data beside it."""
    app = team.app
    team.add(ADMIN, role="admin", department="Operations")
    subscribe(
        app.database, event="interaction.logged", url="https://hooks.example/in", now=clock.now()
    )
    subscribe(
        app.database, event="complaint.opened", url="https://hooks.example/c", now=clock.now()
    )
    email = EmailIntake(database=app.database, settings=app.settings, clock=clock)
    # Before she is a contact, her e-mail waits in triage.
    email.receive(
        InboundMessage.build(
            sender=f"{NAME} <{EMAIL}>",
            subject="Question",
            text=f"Is the {OWN_WORDS[1]} plan still on?",
            html=None,
            message_id="first@mail.acme.com",
        )
    )
    for line in (
        'account "Acme Corp" tier:A domain:acme.com',
        f'contact "Acme Corp" "{NAME}" role:"decision maker" title:CFO email:{EMAIL}',
        f'contact "Acme Corp" "{NAME}" phone:"{PHONE}"',
        'contact "Acme Corp" "Pedro Gil" role:buyer email:pedro@acme.com',
        f'log "Acme Corp" call Renewal: maria lopez asked for the quarterly plan, call her on '
        f'{PHONE} with "{NAME}"',
        'log "Acme Corp" meeting Quarterly review with the board with "Pedro Gil"',
        f'agree "Acme Corp" Send {NAME} the signed contract due 2026-12-01',
        f'complaint "Acme Corp" {EMAIL} gets every invoice twice severity:high',
        f'deal "Acme Corp" Renewal for {NAME} amount:1000',
        f'remind tomorrow call {NAME} back about "Acme Corp"',
        f'account "{NAME} Consulting" tier:C',
        f'contact "{NAME} Consulting" "{NAME}" email:{EMAIL} role:owner',
    ):
        assert "✗" not in team.run(line, by="Ana García"), line
    team.run("resolve 1 Told Maria Lopez it is fixed", by="Ana García")
    team.run(
        f'handover "Acme Corp" to @luis until 2026-12-20 {NAME} prefers mornings', by="Ana García"
    )
    email.receive(
        InboundMessage.build(
            sender=f"{NAME} <{EMAIL}>",
            subject="Re: renewal",
            text=f"We accept the {OWN_WORDS[0]}.",
            html=None,
            message_id="second@mail.acme.com",
        )
    )
    LeadIntake(
        database=app.database, settings=app.settings, clock=clock, notifier=build_courier(app)
    ).receive(
        Lead.from_fields(
            {"email": EMAIL, "name": NAME, "company": "Acme Corp", "message": OWN_WORDS[2]},
            form="website",
        )
    )
    Dispatcher(database=app.database, clock=clock).fan_out()


def residue(team: Team) -> list[tuple[str, str, str]]:
    """Every (table, column, value) in the database that holds her address, name, phone or
    words: all tables, all columns, read from the schema itself, not from our models."""
    wanted = [fold(NAME), *(fold(w) for w in OWN_WORDS)]
    digits = re.sub(r"\D", "", PHONE)
    found = []
    engine = team.app.database.engine
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            rows = connection.execute(text(f'SELECT * FROM "{table}"')).mappings()
            for row in rows:
                for column, value in row.items():
                    if value is None:
                        continue
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", "ignore")
                    shown = value if isinstance(value, str) else json.dumps(value, default=str)
                    if (
                        EMAIL in shown.lower()
                        or any(w in fold(shown) for w in wanted)
                        or digits in re.sub(r"\D", "", shown)
                    ):
                        found.append((table, column, shown[:120]))
    return found


def index_residue(index: MeiliIndex) -> list[str]:
    documents = index.client.index(index.uid).get_documents({"limit": 10_000}).results
    assert documents
    hits = []
    for document in documents:
        shown = json.dumps(dict(document), ensure_ascii=False)
        if (
            EMAIL in shown.lower()
            or fold(NAME) in fold(shown)
            or any(fold(w) in fold(shown) for w in OWN_WORDS)
        ):
            hits.append(shown[:160])
    return hits


def relevo(team: Team, *args: str, answer: str = "") -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**os.environ, "RELEVO_DATABASE_URL": team.app.settings.database_url},
        input=answer,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stdout + done.stderr
    return done


def test_export_person_lists_everything_held_about_them(team: Team, clock: FixedClock) -> None:
    plant(team, clock)
    refused = relevo(team, "export", "person", EMAIL, "--as", "Carmen Vidal")
    assert refused.returncode == 2 and "Only an admin" in refused.stderr
    assert refused.stdout == ""
    done = relevo(team, "export", "person", EMAIL, "--as", ADMIN)
    assert done.returncode == 0, done.stderr
    export = json.loads(done.stdout)
    assert export["email"] == EMAIL
    contacts = {(c["account"], c["name"], c["phone"]) for c in export["contacts"]}
    assert contacts == {("Acme Corp", NAME, PHONE), (f"{NAME} Consulting", NAME, None)}
    texts = {i["text"].split("\n")[0][:30] for i in export["interactions"]}
    assert len(export["interactions"]) == 3
    assert any("maria lopez asked" in i["text"] for i in export["interactions"])
    assert any(OWN_WORDS[0] in i["text"] and i["their_own_words"] for i in export["interactions"])
    assert any(OWN_WORDS[2] in i["text"] and i["their_own_words"] for i in export["interactions"])
    assert not any("Quarterly review" in t for t in texts)
    assert [a["text"] for a in export["agreements"]] == [f"Send {NAME} the signed contract"]
    assert [c["resolution"] for c in export["complaints"]] == ["Told Maria Lopez it is fixed"]
    assert [d["title"] for d in export["deals"]] == [f"Renewal for {NAME}"]
    assert [t["text"] for t in export["tasks"]] == [f"call {NAME} back"]
    assert [h["note"] for h in export["handovers"]] == [f"{NAME} prefers mornings"]
    assert [a["name"] for a in export["accounts"]] == [f"{NAME} Consulting"]
    assert [m["text"] for m in export["triage"]] == [f"Is the {OWN_WORDS[1]} plan still on?"]
    assert [m["subject"] for m in export["inbound_emails"]] == ["Re: renewal"]
    events = export["webhook_events"]
    assert {e["event"] for e in events} == {"interaction.logged", "complaint.opened"}
    assert all(
        e["deliveries"] and e["deliveries"][0]["url"].startswith("https://hooks") for e in events
    )
    assert len(events) == 4  # three interactions with her, one complaint naming her address
    contact_ids = {c["id"] for c in export["contacts"]}
    assert {
        a["entity_id"] for a in export["audit_events"] if a["entity"] == "contact"
    } == contact_ids
    assert "Pedro Gil" not in done.stdout
    tombstone = team.scalar("select detail from audit_event where action = 'person.export'")
    assert EMAIL not in str(tombstone) and "López" not in str(tombstone)


def test_forget_erases_them_from_every_table_and_the_index(
    team: Team, clock: FixedClock, meili_index: MeiliIndex
) -> None:
    indexer: Indexer = searching_team(team, meili_index, clock)
    plant(team, clock)
    indexer.drain()
    assert index_residue(meili_index)
    before = team.scalar("select count(*) from interaction")
    acme = team.run('whois "Acme Corp"', by="Luis Pérez")
    assert NAME in acme and "Pedro Gil" in acme

    refused = relevo(team, "forget", "contact", EMAIL, "--yes", "--as", "Carmen Vidal")
    assert refused.returncode == 2 and "Only an admin" in refused.stderr
    declined = relevo(team, "forget", "contact", EMAIL, "--as", ADMIN, answer="n\n")
    assert declined.returncode == 1 and "Nothing was changed." in declined.stdout
    assert f"{NAME} (contact #1, Acme Corp, decision maker)" in declined.stdout
    assert len(residue(team)) > 10

    done = relevo(team, "forget", "contact", EMAIL, "--as", ADMIN, answer="y\n")
    assert done.returncode == 0, done.stderr
    assert f"Forgot {EMAIL}." in done.stdout
    assert residue(team) == []
    indexer.drain()
    assert index_residue(meili_index) == []

    # The tombstones: who forgot which contact ids, when, and nothing about her.
    with team.app.database.engine.connect() as connection:
        tombstones = connection.execute(
            text(
                "select entity_id, actor_id, detail from audit_event "
                "where action = 'contact.forget' order by entity_id"
            )
        ).all()
    admin = team.scalar("select id from person where name = :n", n=ADMIN)
    assert [(t.entity_id, t.actor_id) for t in tombstones] == [(1, admin), (3, admin)]
    # The account's history is still counted; her own words are gone, the team's notes stay.
    assert team.scalar("select count(*) from interaction") == before
    assert team.scalar("select count(*) from interaction where text = '[erased]'") == 2
    assert team.scalar("select count(*) from interaction where contact_id is not null") == 1
    acme = team.run('whois "Acme Corp"', by="Luis Pérez")
    assert "Pedro Gil" in acme and "Quarterly review with the board" in acme
    assert team.scalar("select text from interaction where kind = 'call'") == (
        "Renewal: [forgotten] asked for the quarterly plan, call her on [forgotten]"
    )
    assert team.scalar("select resolution from complaint") == "Told [forgotten] it is fixed"
    assert (
        team.scalar("select status from inbound_email where message_id = 'first@mail.acme.com'")
        == "forgotten"
    )
    assert team.scalar("select count(*) from webhook_delivery") == 5
    assert "[forgotten] Consulting" in team.run("find consulting", by="Luis Pérez")
    # Forgetting twice finds nothing more to forget.
    again = relevo(team, "forget", "contact", EMAIL, "--yes", "--as", ADMIN)
    assert again.returncode == 2 and "No contact" in again.stderr


def test_forget_keeps_the_duplicate_check_for_her_past_messages(
    team: Team, clock: FixedClock
) -> None:
    plant(team, clock)
    assert relevo(team, "forget", "contact", EMAIL, "--yes", "--as", ADMIN).returncode == 0
    email = EmailIntake(database=team.app.database, settings=team.app.settings, clock=clock)
    redelivered = email.receive(
        InboundMessage.build(
            sender=f"{NAME} <{EMAIL}>",
            subject="Re: renewal",
            text=f"We accept the {OWN_WORDS[0]}.",
            html=None,
            message_id="second@mail.acme.com",
        )
    )
    assert redelivered.status == "duplicate"
    assert residue(team) == []


def test_redaction_finds_names_however_they_are_written() -> None:
    from hub.privacy import Subject

    subject = Subject(email=EMAIL, names=(NAME,), phones=(PHONE,))
    assert (
        subject.redact("MARIA  LÓPEZ said; maría-lópez wrote to MARIA@ACME.COM, +34 600-123-456")
        == "[forgotten] said; [forgotten] wrote to [forgotten], [forgotten]"
    )
    untouched = "María called; López Hermanos; mariano lopezz; 600 123"
    assert subject.redact(untouched) == untouched
