"""Search in the database itself, for when no Meilisearch is configured.

Accounts and contacts match on their folded names (accent- and case-insensitive),
e-mails and domains; interactions, agreements and complaints on their text. Access rules
are part of every query, so counts never include what the person may not see.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    and_,
    column,
    false,
    func,
    literal,
    or_,
    select,
    table,
    text,
    true,
    union,
    union_all,
)
from sqlalchemy.sql import Select

from hub.lookup import closest_account_names
from hub.models import (
    Account,
    AccountAlias,
    AccountName,
    Agreement,
    Complaint,
    Contact,
    Deal,
    Interaction,
)
from hub.text import fold
from hub.vocabulary import phone_query
from hub.work import Work
from search.results import Hit, Query, Results

SNIPPET = 90
TYPO = 0.5  # trigram similarity of a name with one or two typos to the real one


class DatabaseSearch:
    def accounts_like(self, work: Work, text: str, *, limit: int = 8) -> list[Account]:
        """Visible accounts whose names look like `text`, typos allowed."""
        key = fold(text)
        if not key:
            return []
        if work.session.get_bind().dialect.name == "postgresql":
            typed = literal(key)
            # `%` is pg_trgm's similarity operator and uses the trigram index (0002). Its
            # threshold is raised for this transaction only: the default 0.3 lets names
            # that merely share common words through, thousands of them in a large hub.
            work.session.execute(
                select(func.set_config("pg_trgm.similarity_threshold", str(TYPO), True))
            )
            score = func.greatest(
                func.similarity(Account.name_key, typed),
                func.word_similarity(typed, Account.name_key),
            )
            # Two index lookups in a union: under an OR the planner scans the table.
            close = union(
                select(AccountName.account_id).where(AccountName.name_key.op("%")(typed)),
                select(AccountName.account_id).where(typed.op("<%")(AccountName.name_key)),
            ).subquery()
            return list(
                work.session.scalars(
                    select(Account)
                    .where(Account.id.in_(select(close.c.account_id)), work.scope.readable())
                    .order_by(score.desc(), Account.name_key)
                    .limit(limit)
                ).unique()
            )
        names = closest_account_names(work, text, limit=limit)
        found = work.session.scalars(
            select(Account).where(Account.name.in_(names), work.scope.readable())
        ).unique()
        by_name = {a.name: a for a in found}
        return [by_name[n] for n in names if n in by_name]

    def search(self, work: Work, query: Query) -> Results:
        filters: list[ColumnElement[bool]] = [work.scope.readable()]
        if query.owner_id is not None:
            filters.append(Account.owner_id == query.owner_id)
        if query.tier:
            filters.append(Account.tier == query.tier)
        phone = phone_query(query.text)
        keys, words = ([phone], [phone]) if phone else _terms(query.text)
        sqlite = work.session.get_bind().dialect.name == "sqlite"
        parts = [
            part.where(*filters, *_own_filters(kind, query))
            for kind, part in _parts(keys, words, fts=sqlite, phone=phone).items()
            if query.type in (None, kind) and (query.stage is None or kind == "deal")
        ]
        if not parts:
            return Results([], 0)
        everything = union_all(*parts).subquery()
        total = work.session.scalar(select(func.count()).select_from(everything)) or 0
        rows = work.session.execute(
            select(everything)
            .order_by(everything.c.rank, everything.c.title, everything.c.id.desc())
            .limit(query.limit)
            .offset(query.offset)
        ).all()
        hits = [
            Hit(
                r.kind, r.id, r.title, _snippet(r.snippet or "", keys), r.account_id, r.account_name
            )
            for r in rows
        ]
        shown = {h.account_id for h in hits}
        accounts = (
            list(work.session.scalars(select(Account).where(Account.id.in_(shown))).unique())
            if shown
            else []
        )
        return Results(hits, total, accounts)


# The status column `status:` filters, per kind of record (search.results.OWN_STATUS);
# the others' is their account's.
STATUS_OF: dict[str, Any] = {
    "account": Account.status,
    "complaint": Complaint.status,
    "agreement": Agreement.state,
}


def _own_filters(kind: str, query: Query) -> list[ColumnElement[bool]]:
    """`status:` and `stage:` on the record itself, the segment on its account (a deal's
    own source), as Meilisearch reads them."""
    filters = []
    if query.status:
        filters.append(STATUS_OF.get(kind, Account.status) == query.status.lower())
    if query.stage:
        filters.append(Deal.stage == query.stage.lower())
    if query.industry:
        filters.append(Account.industry == query.industry)
    if query.country:
        filters.append(Account.country == query.country)
    if query.size:
        filters.append(Account.size_band == query.size)
    if query.source:
        source = Deal.source if kind == "deal" else Account.lead_source
        filters.append(source == query.source)
    return filters


def _row(kind: str, rank: int, *columns: Any) -> Select[Any]:
    """A SELECT with the columns every part of the union shares, labelled alike."""
    labels = ("id", "title", "snippet", "account_id", "account_name")
    return select(
        literal(kind).label("kind"),
        *(column.label(label) for column, label in zip(columns, labels, strict=True)),
        literal(rank).label("rank"),
    )


def _parts(
    keys: list[str], words: list[str], *, fts: bool, phone: str | None = None
) -> dict[str, Select[Any]]:
    """One SELECT per kind of record, each joined to its account; `phone`, the digits of
    a phone number searched for, also matches contacts' numbers however they are spelt."""
    alias_match = select(AccountAlias.account_id).where(_all(AccountAlias.alias_key, keys))
    named = select(AccountName.account_id).where(_all(AccountName.name_key, keys))
    return {
        "account": _row(
            "account", 0, Account.id, Account.name, Account.domain, Account.id, Account.name
        ).where(
            or_(
                Account.id.in_(named),
                Account.id.in_(alias_match),
                _all(func.coalesce(Account.domain, ""), words),
            )
        ),
        "contact": _row(
            "contact",
            1,
            Contact.id,
            Contact.name,
            func.coalesce(Contact.role, Contact.email, ""),
            Contact.account_id,
            Account.name,
        )
        .join_from(Contact, Account, Contact.account_id == Account.id)
        .where(
            or_(
                _all(Contact.name_key, keys),
                _all(func.coalesce(Contact.email, ""), words),
                _digits(Contact.phone).contains(phone, autoescape=True) if phone else false(),
            )
        ),
        "complaint": _text_part("complaint", Complaint, words, 2, fts=fts),
        "agreement": _text_part("agreement", Agreement, words, 3, fts=fts),
        "deal": _row("deal", 3, Deal.id, Account.name, Deal.title, Deal.account_id, Account.name)
        .join_from(Deal, Account, Deal.account_id == Account.id)
        .where(_all(func.lower(Deal.title), words)),
        "interaction": _text_part("interaction", Interaction, words, 4, fts=fts),
    }


def _digits(column: Any) -> Any:
    """A phone number's digits in SQL, as `hub.vocabulary.phone_digits` reads them (a
    leading "00" left: the digits looked for are matched anywhere in the number)."""
    for mark in (" ", "+", "-", ".", "(", ")", "/"):
        column = func.replace(column, mark, "")
    return func.coalesce(column, "")


_TERM = re.compile(r'"([^"]+)"|(\S+)')


def _terms(typed: str) -> tuple[list[str], list[str]]:
    """The name keys and the lower-cased words to match, every one required. A phrase in
    double quotes is one term, matched as written (as Meilisearch does)."""
    keys: list[str] = []
    words: list[str] = []
    for phrase, word in _TERM.findall(typed):
        term = " ".join(phrase.split()) if phrase else word.strip('"')
        if not term:
            continue
        keys += [fold(term)] if phrase else fold(term).split()
        words.append(term.lower())
    return [k for k in keys if k], words


def _all(column: Any, words: list[str]) -> ColumnElement[bool]:
    return and_(*[column.contains(w, autoescape=True) for w in words]) if words else true()


FTS_CODE = {"interaction": 1, "agreement": 2, "complaint": 3}  # migration 0003
FTS = table("text_fts", column("rowid", Integer), column("body", String))


def _text_part(kind: str, model: Any, words: list[str], rank: int, *, fts: bool) -> Select[Any]:
    """Records whose text has every word; on SQLite words of 3+ letters use the FTS5 index."""
    part = _row(kind, rank, model.id, Account.name, model.text, model.account_id, Account.name)
    part = part.join_from(model, Account, model.account_id == Account.id)
    indexed = [w for w in words if len(w) >= 3] if fts else []
    if indexed:
        phrase = " AND ".join('"' + w.replace('"', '""') + '"' for w in indexed)
        code = FTS_CODE[kind]
        matching = select((FTS.c.rowid - code) / 4).where(
            text("text_fts MATCH :phrase").bindparams(phrase=phrase), FTS.c.rowid % 4 == code
        )
        part = part.where(model.id.in_(matching))
    return part.where(_all(func.lower(model.text), [w for w in words if w not in indexed]))


def _snippet(text: str, words: list[str]) -> str:
    text = " ".join(text.split())
    if len(text) <= SNIPPET:
        return text
    folded = fold(text)
    position = min((folded.find(w) for w in words if folded.find(w) >= 0), default=0)
    start = max(position - 30, 0)
    return ("…" if start else "") + text[start : start + SNIPPET] + "…"
