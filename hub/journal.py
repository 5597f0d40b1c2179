"""The change journal: what each `/crm` write changed in the hub, row by row.

`start(session)` listens to a unit of work; `close(work, summary=...)` writes one
`Change` holding, for every row the write inserted, updated or deleted, what it held
before and after. `revert` puts those rows back as they were, but only while they still
hold what the write left (nobody changed them since), so an undo never overwrites a
colleague's later work. A deleted record waits in its `delete` change for `restore`.

Rows are captured where they change, so no service has to remember to journal: a flush
reads each dirty or deleted row as the database holds it before it is written and notes
the new ones; a set-based UPDATE or DELETE (a whole book handed over) has the rows it is
about to touch read first. The state after is read once, when the write ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, ColumnElement, Table, event, inspect, select, true, update
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.types import TypeDecorator

from hub.errors import Conflict
from hub.i18n import _
from hub.models import Account, Base, Change, Interaction
from hub.work import Work

# What a write can change that undo puts back. Receipts, the audit trail, the outboxes
# and deliveries are records of what happened, not state: they stay.
JOURNALED = frozenset(
    {
        "account",
        "account_alias",
        "contact",
        "interaction",
        "agreement",
        "complaint",
        "deal",
        "deal_stage_change",
        "task",
        "absence",
        "handover",
        "subscription",
        "inbound_email",
    }
)
# Columns the hub moves by itself (optimistic-lock versions, "last touched" times): never
# compared before an undo and never put back by one (the last contact is counted again).
VOLATILE = frozenset({"version", "updated_at", "last_contact_at"})
_KEY = "relevo.journal"
_Row = dict[str, Any]
_RowKey = tuple[str, int]


@dataclass
class _Recorder:
    """The rows one write touched, each as it was before the write (None: it is new)."""

    before: dict[_RowKey, _Row | None] = field(default_factory=dict)
    # The columns read of each table: None for whole rows; a set-based UPDATE reads only
    # the columns it sets (a whole book is hundreds of rows).
    columns: dict[str, set[str] | None] = field(default_factory=dict)
    # What a set-based UPDATE wrote, when it wrote plain values: no need to read it back.
    assigned: dict[_RowKey, _Row] = field(default_factory=dict)
    action: str = "write"

    def whole(self, table: str) -> None:
        self.columns[table] = None

    def partly(self, table: str, names: set[str]) -> None:
        if table not in self.columns:
            self.columns[table] = set(names)
        elif (known := self.columns[table]) is not None:
            known |= names

    record: str | None = None


# The execution option of a set-based statement whose changes its caller tells the
# journal itself (`updated`), from what the statement returns.
TOLD = {"relevo_journal_told": True}


def start(session: Session) -> None:
    """Journal what this unit of work changes from now on."""
    session.info[_KEY] = _Recorder()


def updated(
    session: Session,
    model: type[Any],
    ids: Iterable[int],
    *,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> None:
    """Tell the journal that rows `ids` of `model` went from `before` to `after` (a
    set-based UPDATE run with `TOLD`, whose rows are not read again)."""
    recorder = _recorder(session)
    if recorder is None:
        return
    table = inspect(model).local_table
    assert isinstance(table, Table)
    id_name = _id_column(table).name
    for number in ids:
        key = (table.name, number)
        if key not in recorder.before:
            recorder.before[key] = {id_name: number, **before}
            recorder.assigned[key] = {id_name: number, **after}
    recorder.partly(table.name, {id_name, *before})


def mark_deleted(session: Session, record: str) -> None:
    """Say that this write deletes `record` ("N9"), so that `restore N9` can find it."""
    recorder = _recorder(session)
    if recorder is not None:
        recorder.action, recorder.record = "delete", record


def close(work: Work, *, summary: str) -> Change | None:
    """Stop journaling and keep what the write changed; None when it changed nothing."""
    session = work.session
    if _recorder(session) is None:
        return None
    session.flush()
    recorder: _Recorder = session.info.pop(_KEY)
    entries = list(_entries(session, recorder))
    if not entries:
        return None
    change = Change(
        person_id=work.actor.id,
        at=work.now,
        action=recorder.action,
        record=recorder.record,
        summary=summary,
        rows=entries,
    )
    session.add(change)
    session.flush()
    return change


def revert(work: Work, change: Change) -> None:
    """Put back every row `change` wrote, as it was; refused (nothing changed) when one
    of them has been changed since."""
    session = work.session
    session.flush()
    for entry in change.rows:
        _check_unchanged(session, entry, change)
    models = {
        mapper.local_table.name: mapper.class_
        for mapper in Base.registry.mappers
        if isinstance(mapper.local_table, Table)
    }
    order = {table.name: i for i, table in enumerate(Base.metadata.sorted_tables)}
    rows = list(change.rows)
    # What the write added goes first (children before parents), so nothing it added
    # stands in the way of what comes back; then what it removed comes back (parents
    # before children); then the rows it changed take their old values, which may point
    # at a row that just came back.
    inserted = sorted((e for e in rows if e["before"] is None), key=lambda e: -order[e["table"]])
    deleted = sorted((e for e in rows if e["after"] is None), key=lambda e: order[e["table"]])
    for entry in inserted:
        row = session.get(models[entry["table"]], entry["ids"][0])
        if row is not None:
            session.delete(row)
            session.flush()
    for entry in deleted:
        model = models[entry["table"]]
        values = _decoded(entry["table"], entry["before"])
        session.add(model(**{_attribute(model, name): v for name, v in values.items()}))
        session.flush()
    touched_interactions = set()
    for entry in rows:
        if entry["before"] is not None and entry["after"] is not None:
            model = models[entry["table"]]
            old = _decoded(entry["table"], entry["before"])
            for number in entry["ids"]:
                row = session.get(model, number)
                for name, value in old.items():
                    setattr(row, _attribute(model, name), value)
                if isinstance(row, Interaction):
                    touched_interactions.add(row.account_id)
    session.flush()
    recount_last_contact(session, _interaction_accounts(rows) | touched_interactions)
    change.undone_at = work.now
    change.undone_by_id = work.actor.id


def recount_last_contact(session: Session, account_ids: Iterable[int]) -> None:
    """Accounts' last contact counted again from their interactions (one was removed)."""
    wanted = sorted(set(account_ids))
    if not wanted:
        return
    latest = (
        select(Interaction.occurred_at)
        .where(Interaction.account_id == Account.id)
        .order_by(Interaction.occurred_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    session.execute(
        update(Account).where(Account.id.in_(wanted)).values(last_contact_at=latest),
        execution_options={"synchronize_session": False},
    )


def _recorder(session: Session) -> _Recorder | None:
    return session.info.get(_KEY)


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _id_column(table: Table) -> Column[Any]:
    (column,) = table.primary_key.columns
    return column


def _read(session: Session, table: Table, clause: ColumnElement[bool]) -> list[_Row]:
    """Rows as the database holds them (Core, so no flush and no ORM events)."""
    result = session.connection().execute(select(table).where(clause))
    return [dict(row) for row in result.mappings()]


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    recorder = _recorder(session)
    if recorder is None:
        return
    for obj in [*session.dirty, *session.deleted]:
        state = inspect(obj)
        table = state.mapper.local_table
        if not isinstance(table, Table) or table.name not in JOURNALED or state.key is None:
            continue
        key = (table.name, state.key[1][0])
        known = recorder.before.get(key)
        if obj in session.dirty and not session.is_modified(obj):
            continue
        if key in recorder.before and (known is None or len(known) == len(table.c)):
            recorder.assigned.pop(key, None)  # it changes again: read at the end
            continue
        rows = _read(session, table, _id_column(table) == key[1])
        # A row a set-based UPDATE read in part is read whole, with what it held first.
        recorder.before[key] = {**rows[0], **(known or {})} if rows else known
        recorder.whole(table.name)
        recorder.assigned.pop(key, None)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    recorder = _recorder(session)
    if recorder is None:
        return
    for obj in session.new:
        state = inspect(obj)
        mapper = state.mapper
        table = mapper.local_table
        if isinstance(table, Table) and table.name in JOURNALED:
            (number,) = mapper.primary_key_from_instance(obj)
            key = (table.name, number)
            recorder.before.setdefault(key, None)
            recorder.whole(table.name)
            # What was inserted is what the object holds, when it holds every column:
            # no need to read it back.
            row = {}
            attributes = _attributes(mapper.class_)
            for column in table.c:
                attribute = attributes[column.name]
                if attribute in state.dict:
                    row[column.name] = state.dict[attribute]
                elif column.server_default is None and column.default is None:
                    row[column.name] = None  # left out of the INSERT: NULL
            if len(row) == len(table.c):
                recorder.assigned[key] = row


@event.listens_for(Session, "do_orm_execute")
def _set_based(state: ORMExecuteState) -> None:
    recorder = _recorder(state.session)
    if recorder is None or not (state.is_update or state.is_delete):
        return
    if state.execution_options.get("relevo_journal_told"):
        return  # its caller tells the journal what it changed
    table = getattr(state.statement, "table", None)
    if not isinstance(table, Table) or table.name not in JOURNALED:
        return
    clause = getattr(state.statement, "whereclause", None)
    id_column = _id_column(table)
    # The columns it sets (SQLAlchemy keeps them in `_values`; a DELETE has none). A
    # statement that only moves what the hub moves by itself is nothing to undo.
    values = getattr(state.statement, "_values", None) if state.is_update else None
    names = {getattr(key, "key", str(key)) for key in values} if values else None
    if names is not None and not names - VOLATILE:
        return
    wanted = (
        [id_column, *(table.c[n] for n in sorted(names - VOLATILE))]
        if names is not None and names <= set(table.c.keys())
        else None
    )
    read = select(*wanted) if wanted else select(table)
    result = state.session.connection().execute(
        read.where(clause if clause is not None else true())
    )
    constants = {
        getattr(key, "key", str(key)): value.value
        for key, value in (values or {}).items()
        if isinstance(value, BindParameter) and getattr(key, "key", str(key)) not in VOLATILE
    }
    for row in result.mappings():
        key = (table.name, row[id_column.name])
        recorder.before.setdefault(key, dict(row))
        if wanted and len(constants) == len(wanted) - 1:
            recorder.assigned[key] = {**dict(row), **constants}
        else:
            recorder.assigned.pop(key, None)
    if wanted:
        recorder.partly(table.name, {column.name for column in wanted})
    else:
        recorder.whole(table.name)


def _entries(session: Session, recorder: _Recorder) -> Iterable[_Row]:
    """What the touched rows held before and after: a row added or removed whole, the
    changed columns of an updated one; updates alike (a book's owners) are one entry."""
    unknown: dict[str, list[int]] = {}
    for key in recorder.before:
        if key not in recorder.assigned:
            unknown.setdefault(key[0], []).append(key[1])
    after: dict[_RowKey, _Row] = dict(recorder.assigned)
    for name, numbers in unknown.items():
        table = _table(name)
        id_column = _id_column(table)
        names = recorder.columns.get(name)
        read = select(*(table.c[n] for n in sorted(names))) if names else select(table)
        for row in session.connection().execute(read.where(id_column.in_(numbers))).mappings():
            after[(name, row[id_column.name])] = dict(row)
    updates: dict[tuple[str, tuple[Any, ...], tuple[Any, ...]], list[int]] = {}
    for key, old in recorder.before.items():
        new = after.get(key)
        if old is None and new is None:
            continue
        if old is None or new is None:
            yield {
                "table": key[0],
                "ids": [key[1]],
                "before": _encoded(old),
                "after": _encoded(new),
            }
            continue
        changed = [
            c for c in old if c in new and c not in VOLATILE and _plain(old[c]) != _plain(new[c])
        ]
        if changed:
            before = tuple((c, _plain(old[c])) for c in sorted(changed))
            wrote = tuple((c, _plain(new[c])) for c in sorted(changed))
            updates.setdefault((key[0], before, wrote), []).append(key[1])
    for (name, before, wrote), numbers in updates.items():
        yield {"table": name, "ids": numbers, "before": dict(before), "after": dict(wrote)}


def _check_unchanged(session: Session, entry: Mapping[str, Any], change: Change) -> None:
    table = _table(entry["table"])
    rows = _read(session, table, _id_column(table).in_(entry["ids"]))
    wrote = entry["after"]
    if wrote is None:
        still = not rows
    else:
        now = [_encoded(row) or {} for row in rows]
        still = len(now) == len(entry["ids"]) and all(
            row[c] == v for row in now for c, v in wrote.items() if c not in VOLATILE
        )
    if not still:
        raise Conflict(
            _(
                "I can't undo “{change}”: it has been changed since "
                "(by you or a colleague). Change it back with edit, or ask a manager.",
                change=change.summary,
            )
        )


def _plain(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).isoformat()  # one spelling, whatever zone it came in
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 5000 and 5000.00 are one amount
    return value


def _encoded(row: Mapping[str, Any] | None) -> _Row | None:
    return None if row is None else {name: _plain(value) for name, value in row.items()}


def _decoded(table_name: str, values: Mapping[str, Any]) -> _Row:
    """Stored values back into what each column takes (dates, times, amounts)."""
    table = _table(table_name)
    decoded: _Row = {}
    for name, value in values.items():
        kind = _python_type(table.c[name])
        if value is None or kind is None:
            decoded[name] = value
        elif kind is datetime:
            decoded[name] = datetime.fromisoformat(value)
        elif kind is date:
            decoded[name] = date.fromisoformat(value)
        elif kind is Decimal:
            decoded[name] = Decimal(value)
        else:
            decoded[name] = value
    return decoded


def _python_type(column: Column[Any]) -> type | None:
    kind = column.type
    if isinstance(kind, TypeDecorator):  # UTCDateTime: what it stores is a DateTime
        kind = kind.impl_instance
    try:
        python_type: type = kind.python_type
    except NotImplementedError:
        return None
    return python_type


_ATTRIBUTES: dict[type[Any], dict[str, str]] = {}


def _attributes(model: type[Any]) -> dict[str, str]:
    """The model's attribute for each column of its table, worked out once per model:
    every write's new rows are read through it."""
    if model not in _ATTRIBUTES:
        mapper = inspect(model)
        _ATTRIBUTES[model] = {
            column.name: mapper.get_property_by_column(column).key
            for column in mapper.local_table.c
        }
    return _ATTRIBUTES[model]


def _attribute(model: type[Any], column_name: str) -> str:
    return _attributes(model)[column_name]


def _interaction_accounts(rows: Iterable[Mapping[str, Any]]) -> set[int]:
    accounts = set()
    for entry in rows:
        if entry["table"] == "interaction":
            for side in (entry["before"], entry["after"]):
                if side and side.get("account_id") is not None:
                    accounts.add(int(side["account_id"]))
    return accounts
