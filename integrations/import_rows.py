"""One row of an import, its fields already named (`integrations.columns`), as a hub row:
the values other CRMs write for stages, kinds, severities and statuses, their dates and
amounts, and the limits of each field. A row that cannot be one is `Rejected`, with why.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from hub.account_rules import Segments, segment_values
from hub.bulk import (
    AccountLink,
    AccountRow,
    AgreementRow,
    ComplaintRow,
    ContactRow,
    DealRow,
    InteractionRow,
)
from hub.errors import HubError
from hub.interactions import MAX_TEXT
from hub.models import AccountStatus, InteractionKind, Severity, Stage, Tier, Visibility
from hub.segments import free_text, source_name
from hub.text import fold
from hub.vocabulary import (
    MAX_DOMAIN,
    MAX_EMAIL,
    MAX_NAME,
    MAX_PHONE,
    choices,
    is_choice,
    looks_like_email,
    normalise_email,
)

# Values are compared folded; the Spanish words are what Spanish spreadsheets and the
# Spanish editions of HubSpot and Salesforce write.
SEVERITIES = {
    "urgent": Severity.CRITICAL,
    "baja": Severity.LOW,
    "media": Severity.MEDIUM,
    "alta": Severity.HIGH,
    "critica": Severity.CRITICAL,
    "urgente": Severity.CRITICAL,
    **{s.value: s for s in Severity},
}


COMPLAINT_STATUS = {
    "open": "open",
    "new": "open",
    "working": "open",
    "escalated": "open",
    "on hold": "open",
    "resolved": "resolved",
    "closed": "resolved",
    "abierta": "open",
    "nueva": "open",
    "en curso": "open",
    "resuelta": "resolved",
    "cerrada": "resolved",
}


# Stages of HubSpot's default pipeline and Salesforce's default opportunity stages.
STAGES = {
    "appointment scheduled": Stage.LEAD,
    "prospecting": Stage.LEAD,
    "new": Stage.LEAD,
    "qualified to buy": Stage.QUALIFIED,
    "qualification": Stage.QUALIFIED,
    "needs analysis": Stage.QUALIFIED,
    "value proposition": Stage.QUALIFIED,
    "id decision makers": Stage.QUALIFIED,
    "decision maker bought in": Stage.QUALIFIED,
    "perception analysis": Stage.QUALIFIED,
    "presentation scheduled": Stage.PROPOSAL,
    "proposal price quote": Stage.PROPOSAL,
    "contract sent": Stage.NEGOTIATION,
    "negotiation review": Stage.NEGOTIATION,
    "closed won": Stage.WON,
    "closedwon": Stage.WON,
    "closed lost": Stage.LOST,
    "closedlost": Stage.LOST,
    "cliente potencial": Stage.LEAD,
    "cita programada": Stage.LEAD,
    "calificado para comprar": Stage.QUALIFIED,
    "cualificada": Stage.QUALIFIED,
    "calificada": Stage.QUALIFIED,
    "propuesta": Stage.PROPOSAL,
    "presentacion programada": Stage.PROPOSAL,
    "negociacion": Stage.NEGOTIATION,
    "contrato enviado": Stage.NEGOTIATION,
    "ganada": Stage.WON,
    "cierre ganado": Stage.WON,
    "perdida": Stage.LOST,
    "cierre perdido": Stage.LOST,
    **{s.value: s for s in Stage},
}


ACTIVITY_KINDS = {
    "task": InteractionKind.NOTE,
    "event": InteractionKind.MEETING,
    "list email": InteractionKind.EMAIL,
    "logged email": InteractionKind.EMAIL,
    "notes": InteractionKind.NOTE,
    "llamada": InteractionKind.CALL,
    "correo": InteractionKind.EMAIL,
    "correo electronico": InteractionKind.EMAIL,
    "reunion": InteractionKind.MEETING,
    "visita": InteractionKind.VISIT,
    "nota": InteractionKind.NOTE,
    "tarea": InteractionKind.NOTE,
    **{k.value: k for k in InteractionKind},
}


LIMITS = {
    "name": MAX_NAME,
    "title": 120,
    "role": 120,
    "email": MAX_EMAIL,
    "phone": MAX_PHONE,
    "domain": MAX_DOMAIN,
    "department": 60,
    "channel": 120,
}


T = TypeVar("T")


class Rejected(ValueError):
    """A row that cannot be imported; the message says why."""


def _limited(field: str, value: str | None) -> str | None:
    limit = LIMITS.get(field)
    if value is not None and limit is not None and len(value) > limit:
        raise Rejected(f"{field} is longer than {limit} characters")
    return value


def _long_text(text: str, *, limit: int = MAX_TEXT, what: str = "text") -> str:
    """Free text as it is, or the row is rejected: it is never cut short silently."""
    if len(text) > limit:
        raise Rejected(f"{what} is {len(text):,} characters long; the limit is {limit:,}")
    return text


def _choice(field: str, value: str | None, kinds: type[Any]) -> str | None:
    if value is None:
        return None
    value = value.upper() if kinds is Tier else value.lower()
    if not is_choice(value, kinds):
        raise Rejected(f"{field} “{value}” is not one of {choices(kinds)}")
    return value


def _email(value: str | None) -> str | None:
    if value is None:
        return None
    value = normalise_email(value) or ""
    if not looks_like_email(value):
        raise Rejected(f"“{value}” is not an e-mail address")
    return _limited("email", value)


def _link(fields: Mapping[str, str | None]) -> AccountLink:
    link = AccountLink(
        ref=fields.get("account_ref"),
        domain=fields.get("account_domain"),
        name=fields.get("account"),
    )
    if not (link.ref or link.domain or link.name):
        raise Rejected("no account named (account, company or account id column)")
    return link


def _segments(fields: Mapping[str, str | None], *, spanish: bool) -> Segments:
    """An account row's segmentation, checked as a `/crm account` line is (an unknown
    country or a size that is no number rejects the row); the city when no region."""
    get = fields.get
    currency = get("revenue_currency")
    if currency and not re.fullmatch(r"[A-Za-z]{3}", currency):
        raise Rejected(f"revenue currency “{currency}” is not a 3-letter code")
    segments = Segments(
        industry=get("industry"),
        country=get("country"),
        region=get("region") or get("city"),
        size=get("size"),
        revenue=_amount(get("revenue"), spanish=spanish, what="revenue"),
        revenue_currency=currency,
        source=get("lead_source"),
        campaign=get("lead_campaign"),
    )
    _checked(segment_values, segments)
    return segments


def _checked(read: Callable[[T], object], value: T) -> Any:
    """`read(value)`, a hub refusal (`Invalid`) as the row's rejection."""
    try:
        return read(value)
    except HubError as error:
        raise Rejected(str(error)) from None


def parse_date(value: str | None, *, spanish: bool = False) -> date | None:
    if value is None:
        return None
    moment = parse_moment(value, UTC, spanish=spanish)
    return moment.date() if moment else None


DATE_FORMATS = ("%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d")
# A Spanish file writes the day first, as Excel in Spain saves dates (31/12/2026 10:00).
DATE_FORMATS_ES = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
)


def parse_moment(
    value: str | None, tz: ZoneInfo | Any, *, spanish: bool = False
) -> datetime | None:
    """ISO 8601 (our export, HubSpot) or US dates (Salesforce reports), day first in a
    Spanish file; naive = local."""
    if value is None:
        return None
    text = value.strip().replace("Z", "+00:00")
    moment: datetime | None = None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        for pattern in DATE_FORMATS_ES if spanish else DATE_FORMATS:
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
    if moment is None:
        raise Rejected(f"“{value}” is not a date (use 2026-11-24 or 2026-11-24T10:00)")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(UTC)


def _amount(value: str | None, *, spanish: bool = False, what: str = "amount") -> Decimal | None:
    """An amount: `1,250,000.50`; in a Spanish file `1.250.000,50` (a lone `.` with other
    than three digits after it, `48000.5`, is still a decimal point there)."""
    if value is None:
        return None
    number = value
    if spanish and "," in number:
        number = number.replace(".", "").replace(",", ".")
    elif spanish and "." in number:
        part = number.rpartition(".")[2]
        if number.count(".") > 1 or len(re.sub(r"\D", "", part)) == 3:
            number = number.replace(".", "")
    text = re.sub(r"[^\d.\-]", "", number.replace(",", ""))
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise Rejected(f"{what} “{value}” is not a number") from None
    if amount < 0:
        raise Rejected(f"{what} is negative")
    return amount


def to_row(
    kind: str, fields: Mapping[str, str | None], tz: ZoneInfo, *, spanish: bool = False
) -> Any:
    """The hub row for one CSV row (fields already mapped), or `Rejected`. A `spanish`
    file writes decimal commas and the day first; its stages, kinds and severities may be
    Spanish words."""
    get = fields.get
    if kind == "accounts":
        name = _limited("name", get("name"))
        if not name or not fold(name):
            raise Rejected("no account name")
        return AccountRow(
            segments=_segments(fields, spanish=spanish),
            name=name,
            domain=_limited("domain", get("domain")),
            tier=_choice("tier", get("tier"), Tier),
            status=_choice("status", get("status"), AccountStatus),
            visibility=_choice("visibility", get("visibility"), Visibility),
            department=_limited("department", get("department")),
            channel=_limited("channel", get("channel")),
            owner=get("owner"),
            ref=get("ref"),
        )
    if kind == "contacts":
        email = _email(get("email"))
        name = (
            get("name") or " ".join(n for n in (get("first_name"), get("last_name")) if n) or email
        )
        if not name or not fold(name):
            raise Rejected("no contact name or e-mail")
        return ContactRow(
            account=_link(fields),
            name=_limited("name", name) or name,
            email=email,
            phone=_limited("phone", get("phone")),
            title=_limited("title", get("title")),
            role=_limited("role", get("role")),
            ref=get("ref"),
        )
    if kind == "deals":
        title = get("title")
        if not title:
            raise Rejected("no deal title")
        stage = get("stage")
        mapped = STAGES.get(fold(stage)) if stage else None
        if stage and mapped is None:
            raise Rejected(f"stage “{stage}” is unknown (use {choices(Stage)})")
        currency = get("currency")
        if currency and not re.fullmatch(r"[A-Za-z]{3}", currency):
            raise Rejected(f"currency “{currency}” is not a 3-letter code")
        return DealRow(
            account=_link(fields),
            title=_long_text(title, limit=300, what="title"),
            amount=_amount(get("amount"), spanish=spanish),
            currency=currency.upper() if currency else None,
            stage=mapped,
            close_on=parse_date(get("close_on"), spanish=spanish),
            source=_checked(source_name, get("source")),
            campaign=_checked(lambda text: free_text("campaign", text), get("campaign")),
            ref=get("ref"),
        )
    if kind == "agreements":
        text = fields.get("text")
        if not text:
            raise Rejected("no text")
        return AgreementRow(
            account=_link(fields),
            text=_long_text(text),
            due_on=parse_date(get("due_on"), spanish=spanish),
            created_at=parse_moment(get("created_at"), tz, spanish=spanish),
            author=get("author"),
            ref=get("ref"),
        )
    if kind == "complaints":
        text = " — ".join(t for t in (get("subject"), fields.get("text")) if t)
        if not text:
            raise Rejected("no text")
        severity, status = get("severity"), get("status")
        if severity and fold(severity) not in SEVERITIES:
            raise Rejected(f"severity “{severity}” is unknown (use {choices(Severity)})")
        if status and fold(status) not in COMPLAINT_STATUS:
            raise Rejected(f"status “{status}” is unknown (use open/resolved)")
        return ComplaintRow(
            account=_link(fields),
            text=_long_text(text),
            severity=SEVERITIES[fold(severity)] if severity else None,
            status=COMPLAINT_STATUS[fold(status)] if status else None,
            opened_at=parse_moment(get("opened_at"), tz, spanish=spanish),
            resolved_at=parse_moment(get("resolved_at"), tz, spanish=spanish),
            resolution=fields.get("resolution"),
            author=get("author"),
            ref=get("ref"),
        )
    kind_text = get("kind")
    interaction_kind = ACTIVITY_KINDS.get(fold(kind_text)) if kind_text else InteractionKind.NOTE
    if interaction_kind is None:
        raise Rejected(f"kind “{kind_text}” is unknown (use {choices(InteractionKind)})")
    text = " — ".join(t for t in (get("subject"), fields.get("text")) if t)
    if not text:
        raise Rejected("no text")
    occurred = parse_moment(get("occurred_at"), tz, spanish=spanish)
    if occurred is None:
        raise Rejected("no date")
    return InteractionRow(
        account=_link(fields),
        kind=interaction_kind,
        text=_long_text(text),
        occurred_at=occurred,
        contact_email=_email(get("contact_email")),
        author=get("author"),
        ref=get("ref"),
    )
