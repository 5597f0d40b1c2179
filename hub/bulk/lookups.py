"""What a batch looks up before it writes: keys by `= ANY(array)`, team members named in a
file, and the records the importer may read that the file's source ids name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVarTuple

from sqlalchemy import Select, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY

from hub.models import (
    Account,
    Agreement,
    Complaint,
    Contact,
    Deal,
    ExternalRef,
    Interaction,
    Person,
)
from hub.text import fold
from hub.work import Work

Row = TypeVarTuple("Row")


# The record a source id of each kind names.
REF_MODELS: dict[str, Any] = {
    "account": Account,
    "contact": Contact,
    "deal": Deal,
    "interaction": Interaction,
    "agreement": Agreement,
    "complaint": Complaint,
}


def in_list(work: Work, column: Any, values: Iterable[Any]) -> Any:
    """`column IN values`; on PostgreSQL `= ANY(array)`, one bound array instead of
    thousands of parameters to render and parse for every batch."""
    values = list(values)
    if work.session.get_bind().dialect.name != "postgresql":
        return column.in_(values)
    return column == any_(bindparam(None, values, type_=ARRAY(column.type)))


class People:
    """Team members named in a file (by e-mail, name or handle), looked up once each."""

    def __init__(self, work: Work) -> None:
        self.work = work
        self.cache: dict[str, Person | None] = {}

    def find(self, text: str | None) -> Person | None:
        if not text:
            return None
        key = text.strip().lower()
        if key not in self.cache:
            clause = (
                Person.email == key
                if "@" in key
                else (Person.name_key == fold(text)) | (Person.handle == key.lstrip("@"))
            )
            self.cache[key] = self.work.session.scalars(select(Person).where(clause)).first()
        return self.cache[key]


def known_refs(work: Work, system: str, kind: str, ids: Iterable[str | None]) -> dict[str, int]:
    """The record each source id names, among the records the importer may read.

    An id held only by records on accounts the importer cannot read is unknown to them, as
    if nobody had used it: their file creates a record of its own under it, and the id is
    remembered for that record too (`ExternalRef` is not unique). Changing the hidden
    record would be a write they may not make, and rejecting the row would tell them that
    the id is taken. Where someone can read several records under one id, the one that got
    it first is matched.
    """
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    model = REF_MODELS[kind]
    query = (
        select(ExternalRef.external_id, ExternalRef.entity_id)
        .join(model, model.id == ExternalRef.entity_id)
        .where(
            ExternalRef.system == system,
            ExternalRef.kind == kind,
            in_list(work, ExternalRef.external_id, wanted),
        )
        .order_by(ExternalRef.id)
    )
    found: dict[str, int] = {}
    for external, entity in work.session.execute(readable_only(work, query, model)):
        found.setdefault(external, entity)
    return found


def readable_only(work: Work, query: Select[*Row], model: Any) -> Select[*Row]:
    """`query`, which selects from `model`, narrowed to rows the importer may read."""
    if work.scope.sees_all:
        return query
    if model is not Account:
        query = query.join(Account, Account.id == model.account_id)
    return query.where(work.scope.readable())
