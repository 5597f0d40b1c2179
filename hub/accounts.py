"""Accounts and their contacts: create-or-update, with ownership and visibility rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from hub.account_rules import (
    SEGMENT_COLUMNS,
    Segments,
    account_values,
    managed_refusal,
    name_taken,
    taken_message,
)
from hub.errors import Invalid, NotAllowed, NotFound
from hub.i18n import N_, _, money_text
from hub.models import Account, AccountAlias, Contact, Person
from hub.value_names import value_text
from hub.vocabulary import MAX_NAME, clean_name, name_key, normalise_email, normalise_phone
from hub.work import Work


@dataclass
class Saved:
    """A create-or-update outcome: what was saved and which fields changed (in the
    reader's language: "tier → C")."""

    record: Account | Contact
    created: bool
    changed: list[str] = field(default_factory=list)


class _Changes:
    """What a write changed, each as a text marked with `N_` and its fields: audited in
    English, shown in the reader's language."""

    def __init__(self) -> None:
        self.items: list[tuple[str, dict[str, object]]] = []

    def add(self, text: str, **fields: object) -> None:
        self.items.append((text, fields))

    def __bool__(self) -> bool:
        return bool(self.items)

    def audited(self) -> list[str]:
        return [text.format(**fields) for text, fields in self.items]

    def shown(self) -> list[str]:
        """In the reader's words: a visibility or a status by its name in their language,
        a revenue in their way of writing money."""
        return [_(text, **{**fields, "value": _shown_value(fields)}) for text, fields in self.items]


def _shown_value(fields: dict[str, object]) -> str:
    amount = fields.get("amount")
    if isinstance(amount, Decimal):
        currency = fields.get("currency")
        return money_text(amount, currency if isinstance(currency, str) else None)
    return value_text(str(fields.get("what")), str(fields["value"]))


# "tier → C": an account's or a contact's field and its new value (data as typed; a
# visibility or a status by its name in the reader's language).
_CHANGED = {
    "owner": N_("owner → {value}"),
    "team": N_("team → {value}"),
    "tier": N_("tier → {value}"),
    "visibility": N_("visibility → {value}"),
    "status": N_("status → {value}"),
    "domain": N_("domain → {value}"),
    "channel": N_("channel → {value}"),
    "name": N_("name → {value}"),
    "role": N_("role → {value}"),
    "title": N_("title → {value}"),
    "email": N_("email → {value}"),
    "phone": N_("phone → {value}"),
    "industry": N_("industry → {value}"),
    "country": N_("country → {value}"),
    "region": N_("region → {value}"),
    "size_band": N_("size → {value}"),
    "revenue": N_("revenue → {value}"),
    "lead_source": N_("lead source → {value}"),
    "lead_campaign": N_("campaign → {value}"),
}


def readable_account(work: Work, account_id: int) -> Account:
    account = work.session.get(Account, account_id)
    if account is None or not work.scope.can_read(account):
        raise NotFound(_("There is no account #{id} that you can see.", id=account_id))
    return account


def save_account(
    work: Work,
    *,
    name: str,
    tier: str | None = None,
    owner: Person | None = None,
    domain: str | None = None,
    visibility: str | None = None,
    status: str | None = None,
    alias: str | None = None,
    department: str | None = None,
    channel: str | None = None,
    rename: str | None = None,
    segments: Segments | None = None,
) -> Saved:
    """Create the account called `name`, or update the one that already has that name
    or that alias (an alias is a name the hub knows: a second account under it would
    make every later mention of it ambiguous)."""
    name = clean_name(name)
    key = name_key(name)
    if not key:
        raise Invalid(_("An account needs a name with at least one letter or digit."))
    if len(name) > MAX_NAME or len(key) > MAX_NAME:  # folding can lengthen a name ("ß")
        raise Invalid(_("Account names are limited to {limit} characters.", limit=MAX_NAME))
    wanted = account_values(
        owner_id=owner.id if owner else None,
        tier=tier,
        status=status,
        visibility=visibility,
        department=department,
        domain=domain,
        channel=channel,
        segments=segments,
    )
    account = work.session.scalar(select(Account).where(Account.name_key == key))
    if account is None:
        account = work.session.scalar(
            select(Account)
            .join(AccountAlias, AccountAlias.account_id == Account.id)
            .where(AccountAlias.alias_key == key)
        )
    if account is not None and not work.scope.can_read(account):
        raise NotAllowed(name_taken(name))
    created = account is None
    if account is None:
        owner = owner or work.actor
        account = Account(
            name=name,
            name_key=key,
            owner_id=owner.id,
            department=department or owner.department,
            created_at=work.now,
            updated_at=work.now,
        )
        work.session.add(account)
    changed = _Changes()
    if not created:
        refusal = managed_refusal(work, account, wanted)
        if refusal is not None:
            raise NotAllowed(f"{refusal}.")
        if owner is not None and owner.id != account.owner_id:
            account.owner_id = owner.id
            changed.add(_CHANGED["owner"], value=owner.name)
        if department is not None and department != account.department:
            account.department = department
            changed.add(_CHANGED["team"], value=department)
    for attr in ("tier", "visibility", "status", "domain", "channel"):
        value = wanted[attr]
        if value is not None and getattr(account, attr) != value:
            setattr(account, attr, value)
            if not created:
                changed.add(_CHANGED[attr], value=value, what=attr)
    if wanted.get("revenue") is not None and wanted.get("revenue_currency") is None:
        wanted = {**wanted, "revenue_currency": work.settings.currency}  # the hub's
    _set_segments(account, wanted, changed, created=created)
    if alias:
        _add_alias(work, account, alias, changed)
    if rename and not created:
        _rename(work, account, rename, changed)
    if created or changed:
        account.updated_at = work.now
        work.session.flush()
        work.audit(
            "account.create" if created else "account.update",
            entity="account",
            entity_id=account.id,
            account_id=account.id,
            changed=["created", *changed.audited()] if created else changed.audited(),
        )
    return Saved(account, created, ["created", *changed.shown()] if created else changed.shown())


def _set_segments(
    account: Account, wanted: dict[str, object], changed: _Changes, *, created: bool
) -> None:
    """Give `account` the segmentation `wanted` asks for; a revenue and its currency read
    as one change ("revenue → €2,000,000")."""
    revenue_before = (account.revenue, account.revenue_currency)
    for attr in SEGMENT_COLUMNS:
        value = wanted[attr]
        if value is None or getattr(account, attr) == value:
            continue
        setattr(account, attr, value)
        if not created and attr not in ("revenue", "revenue_currency"):
            changed.add(_CHANGED[attr], value=value, what=attr)
    amount, currency = account.revenue, account.revenue_currency
    if not created and amount is not None and (amount, currency) != revenue_before:
        plain = f"{amount} {currency or ''}".strip()
        changed.add(_CHANGED["revenue"], value=plain, amount=amount, currency=currency)


def _rename(work: Work, account: Account, new_name: str, changed: _Changes) -> None:
    new_name = clean_name(new_name)
    key = name_key(new_name)
    if not key or len(new_name) > MAX_NAME:
        raise Invalid(_("The new name needs a letter or digit and at most 200 characters."))
    if key != account.name_key:
        taken = work.session.scalar(select(Account.id).where(Account.name_key == key))
        alias = work.session.scalar(
            select(AccountAlias.account_id).where(AccountAlias.alias_key == key)
        )
        if taken is not None or (alias is not None and alias != account.id):
            raise Invalid(taken_message(new_name))
        account.name_key = key
    if new_name != account.name:
        changed.add(_CHANGED["name"], value=new_name)
        account.name = new_name


def _add_alias(work: Work, account: Account, alias: str, changed: _Changes) -> None:
    key = name_key(alias)
    if not key or key == account.name_key:
        return
    taken = work.session.scalar(select(AccountAlias).where(AccountAlias.alias_key == key))
    if taken is not None:
        if taken.account_id != account.id:
            raise Invalid(taken_message(alias))
        return
    if work.session.scalar(select(Account.id).where(Account.name_key == key)) is not None:
        raise Invalid(taken_message(alias))
    account.aliases.append(AccountAlias(alias=alias.strip(), alias_key=key))
    changed.add(N_("alias + {value}"), value=alias.strip())


def save_contact(
    work: Work,
    account: Account,
    *,
    name: str,
    role: str | None = None,
    title: str | None = None,
    email: str | None = None,
    phone: str | None = None,
) -> Saved:
    """Create or update the contact `name` at `account` (matched by name, then e-mail)."""
    name = clean_name(name)
    key = name_key(name)
    if not key:
        raise Invalid(_('A contact needs a name, e.g. contact Acme "María López" role:buyer'))
    if len(name) > MAX_NAME or len(key) > MAX_NAME:
        raise Invalid(_("Contact names are limited to {limit} characters.", limit=MAX_NAME))
    email, phone = normalise_email(email), normalise_phone(phone)
    if email is not None and ("@" not in email or email.startswith("@") or email.endswith("@")):
        raise Invalid(_("“{email}” does not look like an e-mail address.", email=email))
    contact = work.session.scalar(
        select(Contact).where(Contact.account_id == account.id, Contact.name_key == key)
    )
    if contact is None and email:
        contact = work.session.scalar(
            select(Contact).where(Contact.account_id == account.id, Contact.email == email)
        )
    created = contact is None
    if contact is None:
        contact = Contact(
            account_id=account.id, name=name, name_key=key, created_at=work.now, updated_at=work.now
        )
        work.session.add(contact)
    changed = _Changes()
    renamed = name if contact.name_key != key else None  # matched by e-mail, named anew
    for attr, value in {
        "name": renamed,
        "role": role,
        "title": title,
        "email": email,
        "phone": phone,
    }.items():
        if value is not None and getattr(contact, attr) != value:
            setattr(contact, attr, value)
            if not created:
                changed.add(_CHANGED[attr], value=value)
    if created or changed:
        contact.name_key = key
        contact.updated_at = work.now
        work.session.flush()
        work.audit(
            "contact.create" if created else "contact.update",
            entity="contact",
            entity_id=contact.id,
            account_id=account.id,
            changed=changed.audited(),
        )
    return Saved(contact, created, changed.shown())
