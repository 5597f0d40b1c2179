"""Search for commands: Meilisearch when configured, the database otherwise or meanwhile.

Access rules are part of the Meilisearch query (a filter on the account fields every
document carries), never applied by dropping hits afterwards, so counts and pages are
right. When Meilisearch is down, the database answers and the reply says so.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from sqlalchemy import select

from hub.access import AccessScope
from hub.i18n import N_, _
from hub.models import Account
from hub.vocabulary import phone_query
from hub.work import Work
from search.fallback import DatabaseSearch
from search.index import MeiliIndex, SearchUnavailable
from search.results import OWN_STATUS, Hit, Query, Results

log = logging.getLogger(__name__)
INCOMPLETE = N_("Search is catching up, so results may be incomplete.")
MARK_START, MARK_END = "‹", "›"


def _quote(value: str) -> str:
    """A string literal in Meilisearch's filter syntax (JSON escaping is compatible)."""
    return json.dumps(value, ensure_ascii=False)


def access_filter(scope: AccessScope) -> str | None:
    """The SPEC's visibility rules as a Meilisearch filter (None: sees everything)."""
    if scope.sees_all:
        return None
    rules = ['visibility = "public"']
    if scope.department:
        rules.append(f'(visibility = "team" AND department = {_quote(scope.department)})')
    owners = sorted({scope.person_id, *scope.answered_for})
    rules.append(f"owner_id IN [{', '.join(str(o) for o in owners)}]")
    if scope.handed_account_ids:
        handed = ", ".join(str(a) for a in sorted(scope.handed_account_ids))
        rules.append(f"account_id IN [{handed}]")
    return " OR ".join(rules)


def segment_filters(query: Query) -> dict[str, str]:
    """The segment a `find` asks for, by the documents' attribute (search/documents.py)."""
    wanted = {
        "industry": query.industry,
        "country": query.country,
        "size_band": query.size,
        "source": query.source,
    }
    return {attribute: value for attribute, value in wanted.items() if value}


def query_filter(scope: AccessScope, query: Query, types: list[str] | None = None) -> list[str]:
    filters = [f for f in (access_filter(scope),) if f]
    if query.type:
        filters.append(f"type = {_quote(query.type)}")
    if types:
        filters.append(f"type IN [{', '.join(_quote(t) for t in types)}]")
    if query.owner_id is not None:
        filters.append(f"owner_id = {int(query.owner_id)}")
    if query.tier:
        filters.append(f"tier = {_quote(query.tier)}")
    if query.status:
        # A document's `state` is its record's own status (search/documents.py).
        status, own = _quote(query.status.lower()), ", ".join(map(_quote, OWN_STATUS))
        filters.append(
            f"(type IN [{own}] AND state = {status}) "
            f"OR (type NOT IN [{own}] AND account_status = {status})"
        )
    if query.stage:
        filters.append(f'type = "deal" AND state = {_quote(query.stage.lower())}')
    for attribute, value in segment_filters(query).items():
        filters.append(f"{attribute} = {_quote(value)}")
    return [f"({f})" for f in filters]


class Search:
    def __init__(self, *, index: MeiliIndex | None = None) -> None:
        self.index = index
        self.database = DatabaseSearch()

    def find(self, work: Work, query: Query) -> Results:
        if self.index is None:
            return self.database.search(work, query)
        # Without words, a listing (find type:account): in order of name, page by page.
        order = {} if query.text.strip() else {"sort": ["title:asc"]}
        try:
            found = self.index.search(
                phone_query(query.text) or query.text,
                filter=" AND ".join(query_filter(work.scope, query)) or None,
                hitsPerPage=query.limit,
                page=query.page,
                **order,
                attributesToHighlight=["title", "text", "account_name"],
                attributesToCrop=["text"],
                cropLength=18,
                highlightPreTag=MARK_START,
                highlightPostTag=MARK_END,
            )
        except SearchUnavailable as error:
            log.warning("search unavailable, using the database: %s", error)
            results = self.database.search(work, query)
            return Results(results.hits, results.total, results.accounts_shown, (_(INCOMPLETE),))
        hits = [_hit(doc) for doc in found["hits"]]
        # The index learns of a visibility change only when the indexer drains the
        # outbox: each hit's account is read again under the access rule (one query, by
        # id), so a change is in force at once and no stale document is ever shown.
        accounts = _accounts(work, hits)
        readable = {account.id for account in accounts}
        shown = [hit for hit in hits if hit.account_id in readable]
        total = int(found.get("totalHits", len(hits))) - (len(hits) - len(shown))
        return Results(shown, total, accounts)

    def accounts_like(self, work: Work, text: str, *, limit: int = 8) -> list[Account]:
        """Accounts whose name, alias, domain or contacts look like `text` (typos allowed)."""
        if self.index is None:
            return self.database.accounts_like(work, text, limit=limit)
        if not text.strip():
            return []
        try:
            found = self.index.search(
                text,
                filter=" AND ".join(
                    query_filter(work.scope, Query(text), types=["account", "contact"])
                ),
                limit=limit * 3,
                attributesToRetrieve=["account_id"],
            )
        except SearchUnavailable:
            return self.database.accounts_like(work, text, limit=limit)
        ordered: list[int] = []
        for doc in found["hits"]:
            if doc["account_id"] not in ordered:
                ordered.append(doc["account_id"])
        accounts = {a.id: a for a in _load(work, ordered[:limit])}
        return [accounts[i] for i in ordered[:limit] if i in accounts]


def _hit(doc: dict[str, Any]) -> Hit:
    shown = doc.get("_formatted", doc)
    snippet = shown.get("text") or ""
    title = shown.get("title") or doc["title"]
    if doc["type"] in ("interaction", "agreement", "complaint"):
        title = doc["account_name"]
    return Hit(
        doc["type"], doc["record_id"], title, snippet, doc["account_id"], doc["account_name"]
    )


def _load(work: Work, ids: list[int]) -> list[Account]:
    if not ids:
        return []
    return list(
        work.session.scalars(
            select(Account).where(Account.id.in_(ids), work.scope.readable())
        ).unique()
    )


def _accounts(work: Work, hits: list[Hit]) -> list[Account]:
    return _load(work, sorted({h.account_id for h in hits}))
