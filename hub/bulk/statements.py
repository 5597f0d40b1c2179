"""The statements every import batch ends with: COPY inserts, executemany updates by id,
and the audit, search outbox and source-id rows of what it wrote.

What the ORM listeners would have written for single records is written here
explicitly: an audit row for every record created or changed, and a search outbox row
for each. Imports do not raise webhook events: they are history, not news.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Table, bindparam, func, insert, select, update

from hub.models import AuditEvent, ExternalRef, SearchOutbox, UTCDateTime
from hub.work import Work

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class Writes:
    """What a batch will write, gathered before any statement runs."""

    audits: list[dict[str, Any]] = field(default_factory=list)
    outbox: list[dict[str, Any]] = field(default_factory=list)
    refs: list[dict[str, Any]] = field(default_factory=list)

    def record(
        self, work: Work, entity: str, entity_id: int, account_id: int, how: str, changed: list[str]
    ) -> None:
        self.audits.append(
            {
                "at": work.now,
                "actor_id": work.actor.id,
                "action": f"{entity}.{'create' if how == CREATED else 'update'}",
                "entity": entity,
                "entity_id": entity_id,
                "account_id": account_id,
                "detail": {"changed": changed, "via": "import"},
            }
        )
        self.outbox.append(
            {"entity": entity, "entity_id": entity_id, "op": "upsert", "created_at": work.now}
        )

    def remember(
        self,
        system: str,
        kind: str,
        refs: list[tuple[str, dict[str, Any]]],
        known: dict[str, dict[str, Any]],
    ) -> None:
        """Keep each source id of `refs` (id, record state) for its record, once, unless
        `known` has it already."""
        seen = set(known)
        for external, state in refs:
            if external in seen:
                continue
            seen.add(external)
            self.refs.append(
                {"system": system, "kind": kind, "external_id": external, "entity_id": state["id"]}
            )

    def flush(self, work: Work) -> None:
        insert_rows(work, AuditEvent.__table__, self.audits)
        insert_rows(work, SearchOutbox.__table__, self.outbox)
        insert_rows(work, ExternalRef, self.refs)


def changed_fields(state: dict[str, Any], values: dict[str, Any]) -> list[str]:
    """What a row's `values` would change in a known record's `state`, as "field → value"
    (a value the row leaves empty changes nothing)."""
    return [f"{k} → {v}" for k, v in values.items() if v is not None and state[k] != v]


def apply_update(
    state: dict[str, Any],
    values: dict[str, Any],
    changed: list[str],
    dirty: dict[int, dict[str, Any]],
    changes: dict[int, list[str]],
) -> None:
    """Give a known record the row's values; one already in the hub is queued for its
    update by id (`dirty`) and its audit (`changes`)."""
    state.update({k: v for k, v in values.items() if v is not None})
    if state["id"] is not None:
        dirty[state["id"]] = state
        changes.setdefault(state["id"], []).extend(changed)


def insert_rows(work: Work, table: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert `rows` into `table` in one go; returns their new ids in order.

    On PostgreSQL the ids come from the table's sequence and the rows go in with COPY,
    several times faster than INSERT for large batches; elsewhere an executemany INSERT
    with RETURNING.
    """
    if not rows:
        return []
    table = table if isinstance(table, Table) else table.__table__
    session = work.session
    if session.get_bind().dialect.name != "postgresql":
        if "id" in table.c:
            result = session.execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
            )
            return [r[0] for r in result]
        session.execute(insert(table), rows)
        return []
    ids: list[int] = session.scalar(
        select(
            func.array_agg(func.nextval(func.pg_get_serial_sequence(table.name, "id")))
        ).select_from(func.generate_series(1, len(rows)))
    )
    defaults = {
        c.name: c.default.arg
        for c in table.c
        if c.name not in rows[0] and c.default is not None and c.default.is_scalar
    }
    if defaults:
        rows = [{**defaults, **row} for row in rows]
    columns = list(rows[0])
    # COPY bypasses the column types: store naive UTC times and JSON text like they do.
    converted = [c for c in columns if isinstance(table.c[c].type, UTCDateTime | JSON)]
    raw: Any = session.connection().connection.driver_connection
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {table.name} (id, {', '.join(columns)}) FROM STDIN") as copy,
    ):
        seen: dict[int, Any] = {}  # a batch repeats one `now` thousands of times
        for new_id, row in zip(ids, rows, strict=True):
            if converted:
                row = dict(row)
                for c in converted:
                    value = row[c]
                    if id(value) not in seen:
                        seen[id(value)] = (value, _copy_value(value))
                    row[c] = seen[id(value)][1]
            copy.write_row([new_id, *(row[c] for c in columns)])
    return ids


def update_by_id(work: Work, model: Any, rows: list[dict[str, Any]]) -> None:
    """One executemany UPDATE by primary key; versioned tables get their version bumped."""
    table = model.__table__
    columns = [c for c in rows[0] if c != "id"]
    values: dict[str, Any] = {c: bindparam(f"v_{c}", type_=table.c[c].type) for c in columns}
    if "version" in table.c:
        values["version"] = table.c.version + 1
    statement = update(table).where(table.c.id == bindparam("v_id")).values(values)
    work.session.execute(statement, [{f"v_{k}": v for k, v in row.items()} for row in rows])


def _copy_value(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value
