"""Web-form leads and inbound e-mail as they arrive: read from a form's fields, a mail
service's webhook or a .eml file, then taken into the hub (`hub.inbound` writes them,
`hub.routing` says where they land) and, for a lead, announced to its owner.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import html2text
from email_reply_parser import EmailReplyParser
from sqlalchemy.exc import IntegrityError

from commands.reply import Field, Reply, Tone
from hub import i18n
from hub.clock import Clock
from hub.db import Database
from hub.errors import Invalid
from hub.i18n import _
from hub.inbound import Assignment, EmailOutcome, LeadOutcome, file_email, file_lead
from hub.settings import Settings
from hub.text import fold, unstorable, visible
from hub.vocabulary import (
    MAX_DOMAIN,
    MAX_EMAIL,
    MAX_NAME,
    MAX_PHONE,
    looks_like_email,
    normalise_email,
)
from hub.work import Workplace
from integrations.notify import Notifier

MAX_SUBJECT = 500


@dataclass(frozen=True)
class Lead:
    email: str
    name: str
    company: str | None = None
    domain: str | None = None
    phone: str | None = None
    title: str | None = None
    message: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)
    form: str = "web"
    # Where the lead came from (utm_source, utm_campaign): a new account's lead source
    # and campaign. Still listed with the other fields in the lead's text.
    source: str | None = None
    campaign: str | None = None

    TRACKING: ClassVar[dict[str, tuple[str, ...]]] = {
        "source": ("utm_source", "source", "lead_source"),
        "campaign": ("utm_campaign", "campaign"),
    }

    ALIASES: ClassVar[dict[str, tuple[str, ...]]] = {
        "email": ("email", "e-mail", "email_address", "mail"),
        "name": ("name", "full_name", "fullname", "your_name"),
        "first_name": ("first_name", "firstname", "first"),
        "last_name": ("last_name", "lastname", "last"),
        "company": ("company", "company_name", "organization", "organisation", "account"),
        "domain": ("domain", "website", "url", "company_website"),
        "phone": ("phone", "phone_number", "telephone", "tel"),
        "title": ("title", "job_title", "position", "role"),
        "message": ("message", "comments", "comment", "text", "body", "enquiry", "inquiry"),
    }

    @classmethod
    def from_fields(cls, raw: Mapping[str, Any], *, form: str) -> Lead:
        """Read a lead from a form's fields, whatever the form calls them."""
        values = {
            fold(str(k)).replace(" ", "_"): " ".join(str(v).split()) if k != "message" else str(v)
            for k, v in raw.items()
            if v is not None and not str(k).startswith("_")
        }
        used: set[str] = set()

        def pick(name: str) -> str | None:
            for alias in cls.ALIASES[name]:
                if values.get(alias):
                    used.add(alias)
                    return values[alias].strip()
            return None

        for key, value in values.items():
            problem = unstorable(key + value)
            if problem is not None:
                raise Invalid(f"The field “{visible(key)}” has {problem}; it cannot be stored.")
        address = normalise_email(pick("email")) or ""
        if not looks_like_email(address) or len(address) > MAX_EMAIL:
            raise Invalid("A lead needs a valid e-mail address (field “email”).")
        name = pick("name") or " ".join(n for n in (pick("first_name"), pick("last_name")) if n)
        domain, phone = pick("domain"), pick("phone")
        if len((domain or "").lower()) > MAX_DOMAIN or len(phone or "") > MAX_PHONE:
            raise Invalid(
                f"A website has at most {MAX_DOMAIN} characters, a phone number {MAX_PHONE}."
            )
        return cls(
            email=address,
            name=name or address,
            company=pick("company"),
            domain=domain,
            phone=phone,
            title=pick("title"),
            message=pick("message"),
            extra={k: v for k, v in values.items() if k not in used and v},
            form=form,
            source=next((values[k] for k in cls.TRACKING["source"] if values.get(k)), None),
            campaign=next((values[k] for k in cls.TRACKING["campaign"] if values.get(k)), None),
        )

    def fields(self) -> dict[str, str]:
        """What assignment rules can look at."""
        base = {
            "email": self.email,
            "domain": self.email.rpartition("@")[2],
            "company": self.company or "",
            "form": self.form,
        }
        return {**self.extra, **base}

    def text(self) -> str:
        lines = [f"Web form “{self.form}”: {self.name} <{self.email}>"]
        if self.company:
            lines[0] += f" from {self.company}"
        if self.message:
            lines.append(self.message.strip())
        # What the sender says of themselves is kept as said; it routes nothing.
        said = {"website": self.domain, "phone": self.phone, "title": self.title}
        lines += [f"{k}: {v}" for k, v in sorted({**self.extra, **said}.items()) if v]
        return "\n".join(lines)


LEAD_NOTICE = "lead"  # the notice kind; its key is the lead's interaction id


def lead_notice(
    account: str, name: str, email: str | None, text: str, form: str | None = None
) -> Reply:
    """What a lead's owner is told of a new web lead (at once, or after quiet hours)."""
    fields = [Field(_("E-mail"), email)] if email else []
    fields += [Field(_("Form"), form)] if form else []
    return Reply(
        title=_("New web lead for {account}: {name}", account=account, name=name),
        text=text,
        fields=tuple(fields),
        tone=Tone.INFO,
        locale=i18n.current(),
    )


@dataclass(kw_only=True)
class _Intake:
    """What every intake files into: the hub's database, its settings and its clock."""

    database: Database
    settings: Settings
    clock: Clock

    @property
    def workplace(self) -> Workplace:
        return Workplace(self.database, self.settings, self.clock)


@dataclass(kw_only=True)
class LeadIntake(_Intake):
    notifier: Notifier
    assignment: Assignment = field(default_factory=Assignment)

    def receive(self, lead: Lead) -> LeadOutcome:
        """Match or create the account and contact, log a `web` interaction, notify."""
        with self.database.unit_of_work() as session:
            outcome = file_lead(self.workplace, session, lead, self.assignment)
        with i18n.reading_in(outcome.owner_locale or self.settings.locale):
            reply = lead_notice(
                outcome.account, lead.name, lead.email, lead.message or "", lead.form
            )
        self.notifier.notify_person(
            outcome.owner_id, reply, kind=LEAD_NOTICE, key=str(outcome.interaction_id)
        )
        return outcome


# -- e-mail ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboundMessage:
    sender: str
    sender_name: str | None
    subject: str
    text: str
    message_id: str

    @classmethod
    def build(
        cls,
        *,
        sender: str,
        subject: str | None,
        text: str | None,
        html: str | None,
        message_id: str | None,
    ) -> InboundMessage:
        for value in (sender, subject, text, html, message_id):
            problem = unstorable(value or "")
            if problem is not None:
                raise Invalid(f"This e-mail has {problem}; it cannot be stored.")
        name, address = email.utils.parseaddr(sender or "")
        address = normalise_email(address) or ""
        if "@" not in address:
            raise Invalid("An e-mail needs a sender address (field “from”).")
        if len(address) > MAX_EMAIL or len(name) > MAX_NAME:
            raise Invalid("The sender's address or name is too long to be real.")
        body = (text or "").strip()
        if not body and html:
            converter = html2text.HTML2Text()
            converter.ignore_images = True
            converter.body_width = 0
            body = converter.handle(html).strip()
        body = trim_quoted(body)
        subject = " ".join((subject or "").split())[:MAX_SUBJECT] or "(no subject)"
        message_id = (message_id or "").strip().strip("<>")
        if not message_id:
            digest = hashlib.sha256(f"{address}\n{subject}\n{body}".encode()).hexdigest()
            message_id = f"sha256:{digest}"
        return cls(address, name or None, subject, body, message_id[:300])


def trim_quoted(text: str) -> str:
    """The new part of a reply: quoted history ("On ... wrote:", "> ...") and signatures go."""
    if not text:
        return text
    return EmailReplyParser.parse_reply(text.replace("\r\n", "\n")).strip() or text.strip()


def _first(payload: Mapping[str, Any], *names: str) -> Any:
    lowered = {str(k).lower(): v for k, v in payload.items()}
    for name in names:
        value = lowered.get(name.lower())
        if value:
            return value
    return None


def _header(payload: Mapping[str, Any], name: str) -> str | None:
    headers = _first(payload, "headers", "Headers")
    if isinstance(headers, list):  # Postmark: [{"Name": ..., "Value": ...}]
        for item in headers:
            if isinstance(item, Mapping) and str(item.get("Name", "")).lower() == name.lower():
                return str(item.get("Value") or "") or None
    if isinstance(headers, Mapping):
        return _first(headers, name)
    if isinstance(headers, str):  # SendGrid: the raw header block
        found = re.search(rf"^{re.escape(name)}:\s*(.+)$", headers, re.I | re.M)
        return found.group(1).strip() if found else None
    return None


def _text(payload: Mapping[str, Any], *names: str) -> str | None:
    """The first of `names` present, as text (a number is fine, a list or object is not)."""
    value = _first(payload, *names)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise Invalid(f"The e-mail's “{names[0]}” must be text.")


def message_from_payload(payload: Mapping[str, Any]) -> InboundMessage:
    """The inbound-mail webhook body (Postmark, SendGrid, Mailgun or plain shape)."""
    sender = _text(payload, "from", "sender")
    full = _first(payload, "FromFull")
    if isinstance(full, Mapping) and full.get("Email"):
        name, address = _text(full, "Name") or "", _text(full, "Email") or ""
        sender = email.utils.formataddr((name, address))
    header_id = _header(payload, "Message-ID")
    return InboundMessage.build(
        sender=sender or "",
        subject=_text(payload, "subject"),
        text=_text(payload, "text", "TextBody", "body-plain", "plain"),
        html=_text(payload, "html", "HtmlBody", "body-html"),
        message_id=_text(payload, "message_id", "message-id", "MessageID", "Message-Id")
        or (str(header_id) if header_id is not None else None),
    )


def parse_eml(data: bytes) -> InboundMessage:
    """An RFC 5322 message (a .eml file)."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return InboundMessage.build(
        sender=str(message.get("From") or ""),
        subject=str(message.get("Subject") or ""),
        text=plain.get_content() if plain is not None else None,
        html=html.get_content() if html is not None else None,
        message_id=str(message.get("Message-ID") or ""),
    )


@dataclass(kw_only=True)
class EmailIntake(_Intake):
    def receive(self, message: InboundMessage, *, channel: str = "email") -> EmailOutcome:
        """Log the message on its sender's account, or leave it in triage; once per id."""
        try:
            with self.database.unit_of_work() as session:
                return file_email(self.workplace, session, message, channel)
        except IntegrityError:
            # The same message arrived twice at the same moment: the other one won.
            return EmailOutcome("duplicate")
