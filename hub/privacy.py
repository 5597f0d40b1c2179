"""A customer's personal data: everything held about an e-mail address, and erasing it.

`export_person` gathers every record that holds the address or names its contacts;
`forget_contact` erases them. Both are for admins only: they read and change every
account, whatever its visibility.

What forget removes and what it keeps:
- The contact rows with that address (name, e-mail, phone, role, title) are deleted, and
  with them their search documents (the outbox queues the deletes) and the ids other
  CRMs gave them (`external_ref`).
- The person's own words are erased whole: e-mails they sent (logged or in triage) and
  the interactions the intakes logged from their e-mails and web forms keep their date,
  kind and account but say "[erased]". The inbound e-mail keeps its Message-ID, so the
  same message delivered again is still a duplicate and is not logged anew.
- The team's own records (interactions logged with them, agreements, complaints, deals,
  tasks, handover notes) are the account's history and stay, counted as before, with the
  contact unlinked and their name, e-mail address and phone replaced by "[forgotten]"
  wherever the text has them. A first name alone is not replaced: "María" may be
  someone else.
- Audit rows about the contact keep who did what when, without the values changed;
  webhook event payloads lose the contact and the erased texts. What was already
  delivered to a webhook's receiver is theirs to erase.
- Team members (`person`) are not contacts and are never touched, even with the same
  address.
- One audit row per contact is the tombstone: "contact #12 forgotten" by whom and when,
  with no personal data in it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from hub.errors import NotAllowed, NotFound
from hub.models import (
    Account,
    AccountAlias,
    Agreement,
    AuditEvent,
    Change,
    Complaint,
    Contact,
    Deal,
    Delivery,
    EventOutbox,
    ExternalRef,
    Handover,
    InboundEmail,
    Interaction,
    Person,
    Role,
    Task,
    WebhookDelivery,
    WebhookSubscription,
)
from hub.people import find_by_name
from hub.text import fold
from hub.work import Work, Workplace

FORGOTTEN = "[forgotten]"
ERASED = "[erased]"
# Sources under which the intakes log a person's own e-mails and web forms.
OWN_WORDS = ("web", "email", "eml")
# Free text that may name a person, table by table (the search scans them all).
TEXT_COLUMNS: dict[type[Any], tuple[str, ...]] = {
    Account: ("name",),
    AccountAlias: ("alias",),
    Interaction: ("text",),
    Agreement: ("text", "reason"),
    Complaint: ("text", "resolution"),
    Deal: ("title", "lost_reason"),
    Task: ("text",),
    Handover: ("note",),
    InboundEmail: ("sender", "sender_name", "subject", "text"),
    Delivery: ("error",),
    WebhookDelivery: ("last_error",),
}
JSON_COLUMNS: dict[type[Any], str] = {
    AuditEvent: "detail",
    EventOutbox: "payload",
    Change: "rows",  # the journal's copies of records, for undo and restore
}
MIN_NAME = 4  # shorter names ("Al") would match inside too much unrelated text
MIN_PHONE_DIGITS = 6


def require_admin(session: Session, name: str) -> Person:
    """The admin called `name`; anyone else is refused."""
    person = find_by_name(session, name)
    if person is None or person.role != Role.ADMIN or not person.active:
        raise NotAllowed(
            f"Only an admin can export or forget a person's data, and {name} is not one "
            "(relevo people set NAME --role admin)."
        )
    return person


def admin_work(workplace: Workplace, session: Session, name: str) -> Work:
    """A unit of work acting as the admin called `name` (from the command line)."""
    return workplace.within(session, require_admin(session, name), source="cli")


_ASCII_FOLD = str.maketrans(
    {chr(c): (chr(c).lower() if chr(c).isalnum() else " ") for c in range(128)}
)


def _fold_char(ch: str) -> str:
    """One character folded like `hub.text.fold`, always to one character."""
    bare = "".join(
        c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
    ).casefold()
    return bare[0] if bare and bare[0].isalnum() else " "


def _folded(text: str) -> str:
    """`text` folded character by character, so positions in it are positions in `text`
    (plain ASCII, most text, takes the fast path)."""
    if text.isascii():
        return text.translate(_ASCII_FOLD)
    return "".join(_fold_char(c) for c in text)


@dataclass(frozen=True)
class Subject:
    """Who is being looked for: an address, the names and phones it is known under."""

    email: str
    names: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()

    @cached_property
    def _patterns(self) -> tuple[re.Pattern[str] | None, list[re.Pattern[str]]]:
        """Names match folded text (any case, accents, spacing or punctuation between the
        words); the address and phone numbers match the text as written."""
        folded = [
            r"(?<!\w)" + r"\s+".join(re.escape(t) for t in fold(n).split()) + r"(?!\w)"
            for n in self.names
            if len(fold(n)) >= MIN_NAME
        ]
        names = re.compile("|".join(folded)) if folded else None
        raw = [re.compile(re.escape(self.email), re.IGNORECASE)]
        for phone in self.phones:
            digits = re.sub(r"\D", "", phone)
            if len(digits) >= MIN_PHONE_DIGITS:
                raw.append(re.compile(r"\+?" + r"[\s\-.()/]*".join(digits)))
        return names, raw

    def spans(self, text: str) -> list[tuple[int, int]]:
        names, raw = self._patterns
        found = [m.span() for pattern in raw for m in pattern.finditer(text)]
        if names is not None:
            found += [m.span() for m in names.finditer(_folded(text))]
        return sorted(found)

    def mentioned_in(self, value: Any) -> bool:
        return any(self.spans(text) for text in _strings(value))

    def redact(self, text: str) -> str:
        """`text` with every mention of the subject replaced by "[forgotten]"."""
        merged: list[list[int]] = []
        for start, end in self.spans(text):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        for start, end in reversed(merged):
            text = text[:start] + FORGOTTEN + text[end:]
        return text

    def redact_json(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, list):
            return [self.redact_json(v) for v in value]
        if isinstance(value, dict):
            return {k: self.redact_json(v) for k, v in value.items()}
        return value


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


@dataclass
class Holdings:
    """Everything the hub holds about one address, found by `gather`."""

    subject: Subject
    contacts: list[Contact]
    team_member: Person | None
    own_messages: set[int]  # interactions that are the person's own e-mails and forms
    inbound: list[InboundEmail]  # e-mails they sent
    mentions: dict[type[Any], list[Any]] = field(default_factory=dict)

    @property
    def contact_ids(self) -> set[int]:
        return {c.id for c in self.contacts}

    def found(self) -> bool:
        return bool(self.contacts or self.inbound or any(self.mentions.values()))


def gather(session: Session, email: str) -> Holdings:
    """Find every record holding `email`, its contacts' names or phones, or their words."""
    email = email.strip().lower()
    if "@" not in email:
        raise NotFound(f"“{email}” is not an e-mail address.")
    contacts = list(
        session.scalars(
            select(Contact).where(func.lower(Contact.email) == email).order_by(Contact.id)
        )
    )
    inbound = list(
        session.scalars(
            select(InboundEmail)
            .where(func.lower(InboundEmail.sender) == email)
            .order_by(InboundEmail.id)
        )
    )
    names = {c.name for c in contacts} | {m.sender_name for m in inbound if m.sender_name}
    phones = {c.phone for c in contacts if c.phone}
    subject = Subject(email=email, names=tuple(sorted(names)), phones=tuple(sorted(phones)))
    ids = {c.id for c in contacts}
    own = {m.interaction_id for m in inbound if m.interaction_id is not None}
    if ids:
        own |= set(
            session.scalars(
                select(Interaction.id).where(
                    Interaction.contact_id.in_(ids), Interaction.source.in_(OWN_WORDS)
                )
            )
        )
    holdings = Holdings(
        subject=subject,
        contacts=contacts,
        team_member=session.scalar(select(Person).where(func.lower(Person.email) == email)),
        own_messages=own,
        inbound=inbound,
    )
    linked: dict[type[Any], Callable[[Any], bool]] = {
        Interaction: lambda r: r.contact_id in ids or r.id in own,
        AuditEvent: lambda r: r.entity == "contact" and r.entity_id in ids,
        Change: lambda r: _journal_links(r.rows, ids, own),
    }
    for model, columns in {**TEXT_COLUMNS, **{m: (c,) for m, c in JSON_COLUMNS.items()}}.items():
        holdings.mentions[model] = _scan(session, model, columns, subject, linked.get(model))
    holdings.mentions[ExternalRef] = (
        list(
            session.scalars(
                select(ExternalRef).where(
                    ExternalRef.kind == "contact", ExternalRef.entity_id.in_(ids)
                )
            )
        )
        if ids
        else []
    )
    return holdings


def _scan(
    session: Session,
    model: Any,
    columns: tuple[str, ...],
    subject: Subject,
    linked: Callable[[Any], bool] | None,
) -> list[Any]:
    """The rows of `model` that mention the subject or are linked to it.

    Every row's text is read (streamed): a person's name may carry accents, case or
    spacing that no SQL LIKE would match, and forgetting must not miss one. It is an
    admin's occasional command, so a full pass over the text is acceptable.
    """
    wanted = [model.id, *(getattr(model, c) for c in columns)]
    extra = {
        Interaction: [Interaction.contact_id, Interaction.source],
        AuditEvent: [AuditEvent.entity, AuditEvent.entity_id],
    }.get(model, [])
    ids = []
    for row in session.execute(
        select(*wanted, *extra).order_by(model.id).execution_options(yield_per=2000)
    ):
        if (linked is not None and linked(row)) or any(
            subject.mentioned_in(getattr(row, c)) for c in columns
        ):
            ids.append(row.id)
    found: list[Any] = []
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        found += session.scalars(
            select(model).where(model.id.in_(chunk)).order_by(model.id)
        ).unique()
    return found


# -- export -----------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(record: Any) -> dict[str, Any]:
    """A record's columns as JSON values."""
    return {
        column.key: _plain(getattr(record, column.key))
        for column in record.__table__.columns
        if column.key not in ("name_key", "alias_key", "secret")
    }


SECTIONS: dict[str, type[Any]] = {
    "interactions": Interaction,
    "agreements": Agreement,
    "complaints": Complaint,
    "deals": Deal,
    "tasks": Task,
    "handovers": Handover,
    "accounts": Account,
    "account_aliases": AccountAlias,
    "deliveries": Delivery,
    "audit_events": AuditEvent,
    "external_refs": ExternalRef,
}


def export_person(work: Work, email: str) -> dict[str, Any]:
    """Everything held about `email`, as one JSON document (audited, without the data)."""
    holdings = gather(work.session, email)
    if not holdings.found() and holdings.team_member is None:
        raise NotFound(f"Nothing in the hub holds {holdings.subject.email}.")
    session = work.session
    named = {c.account_id for c in holdings.contacts} | {
        r.account_id
        for rows in holdings.mentions.values()
        for r in rows
        if hasattr(r, "account_id")
    }
    accounts = dict(
        session.execute(select(Account.id, Account.name).where(Account.id.in_(named)))
        .tuples()
        .all()
    )

    def with_account(record: Any) -> dict[str, Any]:
        row = _row(record)
        if "account_id" in row and row["account_id"] in accounts:
            row["account"] = accounts[row["account_id"]]
        return row

    inbound = holdings.mentions[InboundEmail]
    events = holdings.mentions[EventOutbox]
    deliveries = (
        session.execute(
            select(WebhookDelivery, WebhookSubscription.url)
            .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
            .where(WebhookDelivery.event_id.in_([e.id for e in events]))
        ).all()
        if events
        else []
    )
    sent: dict[int, list[dict[str, Any]]] = {}
    for delivery, url in deliveries:
        sent.setdefault(delivery.event_id, []).append({**_row(delivery), "url": url})
    document: dict[str, Any] = {
        "email": holdings.subject.email,
        "exported_at": work.now.isoformat(),
        "exported_by": work.actor.name,
        "names": list(holdings.subject.names),
        "contacts": [with_account(c) for c in holdings.contacts],
        "team_member": _row(holdings.team_member) if holdings.team_member else None,
        "inbound_emails": [_row(m) for m in inbound if m.status != "triage"],
        "triage": [_row(m) for m in inbound if m.status == "triage"],
        "webhook_events": [{**_row(e), "deliveries": sent.get(e.id, [])} for e in events],
    }
    for section, model in SECTIONS.items():
        document[section] = [with_account(r) for r in holdings.mentions.get(model, [])]
    for row in document["interactions"]:
        row["with_contact"] = row["contact_id"] in holdings.contact_ids
        row["their_own_words"] = row["id"] in holdings.own_messages
    work.audit(
        "person.export",
        entity="contact",
        entity_id=None,
        contacts=sorted(holdings.contact_ids),
        records=sum(len(v) for k, v in document.items() if isinstance(v, list)),
    )
    return document


# -- forget -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Forgotten:
    """What a forget did, in counts and ids only (safe to print and to keep)."""

    contacts: tuple[int, ...]
    erased_messages: int
    redacted: dict[str, int]
    team_member_kept: bool

    def lines(self) -> list[str]:
        ids = ", ".join(f"#{i}" for i in self.contacts) or "none"
        out = [f"Contacts deleted: {ids}.", f"Messages erased: {self.erased_messages}."]
        changed = ", ".join(f"{n} {table}" for table, n in sorted(self.redacted.items()) if n)
        out.append(f"Records redacted: {changed or 'none'}.")
        if self.team_member_kept:
            out.append("A team member has this address too; team members are not forgotten.")
        return out


def describe(holdings: Holdings) -> list[str]:
    """What forgetting would change, for the confirmation prompt."""
    lines = [
        f"{c.name} (contact #{c.id}, {c.account.name}" + (f", {c.role})" if c.role else ")")
        for c in holdings.contacts
    ]
    lines.append(f"{len(holdings.inbound)} e-mails from {holdings.subject.email}")
    touched = sum(
        len(rows) for model, rows in holdings.mentions.items() if model is not ExternalRef
    )
    lines.append(f"{touched} records that mention them or were written with them")
    return lines


def forget_contact(work: Work, email: str) -> Forgotten:
    """Erase the person with this address from the hub (and, through the outbox, the
    search index); see the module's docstring for what is removed and what is kept."""
    sqlite = work.session.get_bind().dialect.name == "sqlite"
    if sqlite:
        # Freed pages are zeroed rather than left with the old bytes in the file.
        work.session.execute(text("PRAGMA secure_delete = ON"))
    holdings = gather(work.session, email)
    if not holdings.found():
        raise NotFound(f"No contact, message or record holds {holdings.subject.email}.")
    subject, ids, own = holdings.subject, holdings.contact_ids, holdings.own_messages
    redacted: dict[str, int] = {}

    def count(model: Any) -> None:
        redacted[model.__tablename__] = redacted.get(model.__tablename__, 0) + 1

    erased = 0
    for record in holdings.mentions[Interaction]:
        if record.id in own:
            record.text = ERASED
            erased += 1
        else:
            record.text = subject.redact(record.text)
            count(Interaction)
        if record.contact_id in ids:
            record.contact_id = None
    for message in holdings.mentions[InboundEmail]:
        if (message.sender or "").lower() == subject.email:
            message.sender, message.sender_name = "", None
            message.subject, message.text, message.status = "", "", "forgotten"
            if subject.email in message.message_id.lower():
                message.message_id = f"forgotten-{message.id}"
            erased += 1
        else:
            _redact_columns(message, TEXT_COLUMNS[InboundEmail], subject)
            count(InboundEmail)
    for alias in holdings.mentions[AccountAlias]:
        work.session.delete(alias)
        count(AccountAlias)
    for account in holdings.mentions[Account]:
        account.name = f"{subject.redact(account.name)} (#{account.id})"
        account.name_key = fold(account.name)
        account.updated_at = work.now
        count(Account)
    for model in (Agreement, Complaint, Deal, Task, Handover, Delivery, WebhookDelivery):
        for record in holdings.mentions[model]:
            _redact_columns(record, TEXT_COLUMNS[model], subject)
            count(model)
    for audit in holdings.mentions[AuditEvent]:
        gone = audit.entity == "contact" and audit.entity_id in ids
        audit.detail = {} if gone else subject.redact_json(audit.detail)
        count(AuditEvent)
    for event in holdings.mentions[EventOutbox]:
        event.payload = subject.redact_json(_without(event.payload, ids, own))
        count(EventOutbox)
    for change in holdings.mentions[Change]:
        change.rows = subject.redact_json(_journal_without(change.rows, ids, own))
        change.summary = subject.redact(change.summary)
        count(Change)
    for ref in holdings.mentions[ExternalRef]:
        work.session.delete(ref)
    work.session.flush()
    for contact in holdings.contacts:
        work.session.delete(contact)
        work.audit(
            "contact.forget", entity="contact", entity_id=contact.id, account_id=contact.account_id
        )
    if sqlite:
        # The full-text index (0003) keeps replaced texts in old segments until merged.
        work.session.flush()
        work.session.execute(text("INSERT INTO text_fts(text_fts) VALUES ('optimize')"))
    return Forgotten(
        contacts=tuple(sorted(ids)),
        erased_messages=erased,
        redacted=redacted,
        team_member_kept=holdings.team_member is not None,
    )


def _redact_columns(record: Any, columns: tuple[str, ...], subject: Subject) -> None:
    for column in columns:
        value = getattr(record, column)
        if isinstance(value, str):
            setattr(record, column, subject.redact(value))


def _journal_links(rows: list[Any], contacts: set[int], own: set[int]) -> bool:
    """Whether a change's rows hold a forgotten contact, or the person's own message."""
    return any(
        (entry["table"] == "contact" and contacts.intersection(entry["ids"]))
        or (entry["table"] == "interaction" and own.intersection(entry["ids"]))
        or any(side and side.get("contact_id") in contacts for side in _sides(entry))
        for entry in rows
    )


def _journal_without(rows: list[Any], contacts: set[int], own: set[int]) -> list[Any]:
    """A change's rows without the forgotten contacts (undo cannot bring them back) and
    with the person's own messages erased."""
    kept = []
    for entry in rows:
        if entry["table"] == "contact" and contacts.intersection(entry["ids"]):
            continue
        before, after = (
            None
            if side is None
            else {
                key: None
                if key == "contact_id" and value in contacts
                else ERASED
                if key == "text"
                and entry["table"] == "interaction"
                and own.intersection(entry["ids"])
                else value
                for key, value in side.items()
            }
            for side in _sides(entry)
        )
        kept.append({**entry, "before": before, "after": after})
    return kept


def _sides(entry: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    return entry["before"], entry["after"]


def _without(value: Any, contacts: set[int], own: set[int]) -> Any:
    """A webhook payload without the forgotten contacts and the person's own words."""
    if isinstance(value, list):
        return [_without(v, contacts, own) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key == "contact" and isinstance(item, dict) and item.get("id") in contacts:
            out[key] = None
        elif key == "interaction" and isinstance(item, dict) and item.get("id") in own:
            out[key] = {**_without(item, contacts, own), "text": ERASED}
        else:
            out[key] = _without(item, contacts, own)
    return out
