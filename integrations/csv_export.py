"""`relevo export`: every record of a kind the acting person may see, as CSV or JSON lines.

Reads of non-public accounts are audited once per account, as any other read is.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from hub import bulk
from hub.clock import Clock
from hub.db import Database
from hub.models import (
    Account,
    Agreement,
    AuditEvent,
    Complaint,
    Contact,
    Deal,
    Interaction,
    Person,
    Visibility,
)
from hub.settings import Settings
from hub.work import Work, Workplace
from integrations.columns import FileRefused

EXPORT_COLUMNS = {
    "accounts": [
        "id",
        "name",
        "domain",
        "tier",
        "status",
        "visibility",
        "department",
        "owner",
        "industry",
        "country",
        "region",
        "size",
        "revenue",
        "revenue_currency",
        "lead_source",
        "lead_campaign",
    ],
    "contacts": ["id", "account", "account_domain", "name", "email", "phone", "title", "role"],
    "deals": [
        "id",
        "account",
        "account_domain",
        "title",
        "amount",
        "currency",
        "stage",
        "close_on",
        "source",
        "campaign",
    ],
    "interactions": [
        "id",
        "account",
        "account_domain",
        "kind",
        "occurred_at",
        "contact_email",
        "author",
        "text",
    ],
    "agreements": ["id", "account", "account_domain", "text", "due_on", "author", "created_at"],
    "complaints": [
        "id",
        "account",
        "account_domain",
        "text",
        "severity",
        "status",
        "opened_at",
        "resolved_at",
        "resolution",
        "author",
    ],
}


# `--locale es`: the headers a Spanish spreadsheet writes (each one import reads back as
# the same field), `;` between columns and decimal commas, as Excel in Spain expects.
# Values (stages, kinds, severities...) and dates (ISO 8601) stay as in `en`.
_ACCOUNT_ES = {"account": "Cuenta", "account_domain": "Dominio de la cuenta"}
EXPORT_HEADERS_ES = {
    "accounts": {
        "id": "ID",
        "name": "Nombre",
        "domain": "Dominio",
        "tier": "Nivel",
        "status": "Estado",
        "visibility": "Visibilidad",
        "department": "Departamento",
        "owner": "Propietario",
        "industry": "Sector",
        "country": "País",
        "region": "Región",
        "size": "Empleados",
        "revenue": "Facturación",
        "revenue_currency": "Moneda de facturación",
        "lead_source": "Origen",
        "lead_campaign": "Campaña",
    },
    "contacts": {
        "id": "ID",
        **_ACCOUNT_ES,
        "name": "Nombre",
        "email": "Correo electrónico",
        "phone": "Teléfono",
        "title": "Cargo",
        "role": "Rol",
    },
    "deals": {
        "id": "ID",
        **_ACCOUNT_ES,
        "title": "Título",
        "amount": "Importe",
        "currency": "Moneda",
        "stage": "Etapa",
        "close_on": "Fecha de cierre",
        "source": "Origen",
        "campaign": "Campaña",
    },
    "interactions": {
        "id": "ID",
        **_ACCOUNT_ES,
        "kind": "Tipo",
        "occurred_at": "Fecha",
        "contact_email": "Correo del contacto",
        "author": "Autor",
        "text": "Texto",
    },
    "agreements": {
        "id": "ID",
        **_ACCOUNT_ES,
        "text": "Texto",
        "due_on": "Vencimiento",
        "author": "Autor",
        "created_at": "Fecha de creación",
    },
    "complaints": {
        "id": "ID",
        **_ACCOUNT_ES,
        "text": "Texto",
        "severity": "Gravedad",
        "status": "Estado",
        "opened_at": "Fecha de apertura",
        "resolved_at": "Fecha de resolución",
        "resolution": "Resolución",
        "author": "Autor",
    },
}
LOCALES = ("en", "es")


def _decimal(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def _person_ref(person: Person) -> str:
    return person.email or person.name


def _export_rows(work: Work, kind: str) -> Iterator[tuple[Account, dict[str, Any]]]:
    readable = work.scope.readable()
    session = work.session
    if kind == "accounts":
        owner = aliased(Person)
        query: Any = (
            select(Account, owner).join(owner, owner.id == Account.owner_id).where(readable)
        )
        for account, person in _stream(session, query.order_by(Account.id)):
            yield (
                account,
                {
                    "id": account.id,
                    "name": account.name,
                    "domain": account.domain,
                    "tier": account.tier,
                    "status": account.status,
                    "visibility": account.visibility,
                    "department": account.department,
                    "owner": _person_ref(person),
                    "industry": account.industry,
                    "country": account.country,
                    "region": account.region,
                    "size": account.size_band,
                    "revenue": _decimal(account.revenue),
                    "revenue_currency": account.revenue_currency,
                    "lead_source": account.lead_source,
                    "lead_campaign": account.lead_campaign,
                },
            )
    elif kind == "contacts":
        query = select(Contact, Account).join(Account, Account.id == Contact.account_id)
        for contact, account in _stream(session, query.where(readable).order_by(Contact.id)):
            yield (
                account,
                {
                    "id": contact.id,
                    "account": account.name,
                    "account_domain": account.domain,
                    "name": contact.name,
                    "email": contact.email,
                    "phone": contact.phone,
                    "title": contact.title,
                    "role": contact.role,
                },
            )
    elif kind == "deals":
        query = select(Deal, Account).join(Account, Account.id == Deal.account_id)
        for deal, account in _stream(session, query.where(readable).order_by(Deal.id)):
            yield (
                account,
                {
                    "id": deal.id,
                    "account": account.name,
                    "account_domain": account.domain,
                    "title": deal.title,
                    "amount": str(deal.amount) if deal.amount is not None else None,
                    "currency": deal.currency,
                    "stage": deal.stage,
                    "close_on": deal.close_on.isoformat() if deal.close_on else None,
                    "source": deal.source,
                    "campaign": deal.campaign,
                },
            )
    elif kind == "agreements":
        author = aliased(Person)
        query = (
            select(Agreement, Account, author)
            .join(Account, Account.id == Agreement.account_id)
            .join(author, author.id == Agreement.author_id)
        )
        for agreement, account, person in _stream(
            session, query.where(readable).order_by(Agreement.id)
        ):
            yield (
                account,
                {
                    "id": agreement.id,
                    "account": account.name,
                    "account_domain": account.domain,
                    "text": agreement.text,
                    "due_on": agreement.due_on.isoformat() if agreement.due_on else None,
                    "author": _person_ref(person),
                    "created_at": agreement.created_at.isoformat(),
                },
            )
    elif kind == "complaints":
        author = aliased(Person)
        query = (
            select(Complaint, Account, author)
            .join(Account, Account.id == Complaint.account_id)
            .join(author, author.id == Complaint.author_id)
        )
        for complaint, account, person in _stream(
            session, query.where(readable).order_by(Complaint.id)
        ):
            yield (
                account,
                {
                    "id": complaint.id,
                    "account": account.name,
                    "account_domain": account.domain,
                    "text": complaint.text,
                    "severity": complaint.severity,
                    "status": complaint.status,
                    "opened_at": complaint.opened_at.isoformat(),
                    "resolved_at": complaint.resolved_at.isoformat()
                    if complaint.resolved_at
                    else None,
                    "resolution": complaint.resolution,
                    "author": _person_ref(person),
                },
            )
    else:
        author = aliased(Person)
        query = (
            select(Interaction, Account, author, Contact.email)
            .join(Account, Account.id == Interaction.account_id)
            .join(author, author.id == Interaction.author_id)
            .outerjoin(Contact, Contact.id == Interaction.contact_id)
        )
        rows = _stream(session, query.where(readable).order_by(Interaction.id))
        for interaction, account, person, email in rows:
            yield (
                account,
                {
                    "id": interaction.id,
                    "account": account.name,
                    "account_domain": account.domain,
                    "kind": interaction.kind,
                    "occurred_at": interaction.occurred_at.isoformat(),
                    "contact_email": email,
                    "author": _person_ref(person),
                    "text": interaction.text,
                },
            )


def _stream(session: Session, query: Any) -> Iterator[Any]:
    yield from session.execute(query.execution_options(yield_per=2000))


def export(work: Work, kind: str, out: TextIO, *, fmt: str = "csv", locale: str = "en") -> int:
    """Write every `kind` record the acting person may see; returns how many. A CSV in
    locale `es` has Spanish headers, `;` and decimal commas (the caller writes the BOM).

    Reads of non-public accounts are audited, once per account, like any other read.
    """
    if kind not in EXPORT_COLUMNS:
        raise FileRefused(f"export {kind}? Use one of {', '.join(EXPORT_COLUMNS)}.")
    if locale not in LOCALES:
        raise FileRefused(f"export --locale {locale}? Use one of {', '.join(LOCALES)}.")
    columns = EXPORT_COLUMNS[kind]
    spanish = locale == "es" and fmt == "csv"
    writer = csv.DictWriter(
        out, fieldnames=columns, lineterminator="\n", delimiter=";" if spanish else ","
    )
    if spanish:
        writer.writerow(EXPORT_HEADERS_ES[kind])
    elif fmt == "csv":
        writer.writeheader()
    hidden: set[int] = set()
    count = 0
    for account, row in _export_rows(work, kind):
        if account.visibility != Visibility.PUBLIC:
            hidden.add(account.id)
        for money in ("amount", "revenue"):
            if spanish and row.get(money) is not None:
                row[money] = str(row[money]).replace(".", ",")
        if fmt == "csv":
            writer.writerow(row)
        else:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    bulk.insert_rows(
        work,
        AuditEvent,
        [
            {
                "at": work.now,
                "actor_id": work.actor.id,
                "action": "read",
                "entity": "account",
                "entity_id": account_id,
                "account_id": account_id,
                "detail": {"how": f"export {kind}"},
            }
            for account_id in sorted(hidden)
        ],
    )
    return count


def export_to(
    database: Database,
    settings: Settings,
    clock: Clock,
    *,
    actor_id: int,
    kind: str,
    path: Path | None,
    fmt: str,
    locale: str = "en",
) -> int:
    """Export to `path` (or standard output). A Spanish CSV starts with a UTF-8 BOM: without
    one, Excel in Spain reads the file as Windows-1252 ("MarÃ­a")."""
    bom = locale == "es" and fmt == "csv"
    with Workplace(database, settings, clock).open(actor_id, source="console") as work:
        if path is None:
            if bom:
                sys.stdout.write("\ufeff")
            return export(work, kind, sys.stdout, fmt=fmt, locale=locale)
        tmp = path.with_name(path.name + ".part")
        encoding = "utf-8-sig" if bom else "utf-8"
        with tmp.open("w", encoding=encoding, newline="") as out:
            count = export(work, kind, out, fmt=fmt, locale=locale)
        os.replace(tmp, path)
        return count
