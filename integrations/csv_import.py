"""`relevo import csv`: bringing a team's records into the hub from CSV or JSON lines.

Imports run in batches, each one transaction: a batch is checked row by row in Python
first (bad rows are rejected with their line number and never reach the database), then
written with a few bulk statements through `hub.bulk`. Should the database still refuse
a batch, it is rolled back and replayed one row per transaction, so the good rows are
kept and no row is ever half written.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections import deque
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import psycopg
from charset_normalizer import from_bytes
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from hub import bulk
from hub.clock import Clock
from hub.db import Database
from hub.errors import HubError
from hub.models import Person
from hub.progress import Progress
from hub.settings import Settings
from hub.text import unstorable
from hub.work import UnknownPerson, Work, Workplace, zone_of
from integrations.columns import (
    KINDS,
    FileRefused,
    column_map,
    mapped_fields,
    spanish_headers,
    system_of,
    understood,
)
from integrations.import_rows import Rejected, to_row

BATCH = 2000
UTF8 = "utf-8-sig"  # with or without a byte order mark
# What a file may be written in: UTF-8, Excel's default in Spain and the rest of Western
# Europe (Windows-1252, Latin-1), and Excel's "Unicode text" (UTF-16 with a BOM).
ENCODINGS = ["utf_8", "cp1252", "latin_1", "utf_16", "utf_32"]
CHUNK = 1 << 20
SNIFF = 64 * 1024  # characters read to find the delimiter
FIELD_LIMIT = 16 * 1024 * 1024  # a field this long is a broken file, not a long note
# What makes a batch fail: the database refusing a row (COPY raises psycopg's own errors)
# or a hub rule. An unreachable database stops the import instead of rejecting rows.
REFUSED = (DBAPIError, HubError, psycopg.Error)
UNREACHABLE = (OperationalError, InterfaceError, psycopg.OperationalError, psycopg.InterfaceError)


@dataclass
class Summary:
    kind: str
    system: str = "relevo"
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)

    def count(self, outcome: str, line: int) -> None:
        if outcome == bulk.CREATED:
            self.created += 1
        elif outcome == bulk.UPDATED:
            self.updated += 1
        elif outcome == bulk.UNCHANGED:
            self.unchanged += 1
        else:
            self.rejected.append((line, outcome))

    def lines(self, *, limit: int = 50) -> list[str]:
        head = "Would import" if self.dry_run else "Imported"
        out = [
            f"{head} {self.kind} ({self.system} columns): {self.created:,} created, "
            f"{self.updated:,} updated, {self.unchanged:,} skipped (no change), "
            f"{len(self.rejected):,} rejected."
        ]
        out += [f"  line {line}: {reason}" for line, reason in sorted(self.rejected)[:limit]]
        if len(self.rejected) > limit:
            out.append(f"  ... and {len(self.rejected) - limit:,} more rejected rows")
        if self.dry_run:
            out.append("Dry run: nothing was saved.")
        return out


@dataclass(kw_only=True)
class Importer:
    database: Database
    settings: Settings
    clock: Clock
    actor_id: int
    batch_size: int = BATCH

    def run(
        self,
        kind: str,
        path: Path,
        *,
        mapping: Mapping[str, str] | None = None,
        dry_run: bool = False,
        progress: Progress | None = None,
    ) -> Summary:
        """Import `path` (CSV, or JSON lines when it ends in .jsonl) as records of `kind`."""
        if kind not in KINDS:
            raise FileRefused(f"import {kind}? Use one of {', '.join(KINDS)}.")
        total = path.stat().st_size
        jsonl = path.suffix == ".jsonl"
        encoding = UTF8 if jsonl else encoding_of(path)
        # Bytes that are not text in the file's encoding become lone surrogates, and their
        # rows are rejected.
        with path.open(encoding=encoding, errors=_errors(encoding), newline="") as handle:
            delimiter = "," if jsonl else delimiter_of(handle.read(SNIFF))
            handle.seek(0)
            counted = _Counted(handle)
            rows = _jsonl_rows(counted) if jsonl else _csv_rows(counted, delimiter)
            headers = list(next(rows)[1])
            summary = Summary(kind=kind, system=system_of(headers), dry_run=dry_run)
            columns = column_map(kind, headers, mapping or {})
            if not columns:
                raise FileRefused(_no_columns(path.name, kind, headers))
            # Excel saves `;` between columns where numbers have decimal commas, and
            # writes the day first there; so does a file with Spanish headers.
            spanish = delimiter == ";" or spanish_headers(kind, headers)
            with self.database.unit_of_work() as session:
                actor = session.get(Person, self.actor_id)
                assert actor is not None
                tz = zone_of(actor, self.settings)
            # One writer thread: batch n is written while batch n+1 is read and checked
            # (the database's share of the time overlaps Python's). Batches are written
            # in file order, so a row can name an account created a batch earlier.
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import") as writer:
                pending: deque[Future[None]] = deque()
                batch: list[tuple[int, Any]] = []
                for line, raw in rows:
                    if isinstance(raw, Broken):
                        summary.rejected.append((line, raw.reason))
                        continue
                    if not any(v not in (None, "") for v in raw.values()):
                        continue
                    try:
                        _check_storable(raw, encoding)
                        fields = mapped_fields(raw, columns)
                        batch.append((line, to_row(kind, fields, tz, spanish=spanish)))
                    except Rejected as reason:
                        summary.rejected.append((line, str(reason)))
                    if len(batch) >= self.batch_size:
                        pending.append(writer.submit(self._batch, kind, batch, summary))
                        batch = []
                        while len(pending) > 1:
                            pending.popleft().result()
                        if progress:
                            progress(counted.chars, total)
                if batch:
                    pending.append(writer.submit(self._batch, kind, batch, summary))
                while pending:
                    pending.popleft().result()
            if progress:
                progress(total, total)
        summary.rejected.sort()
        if dry_run:
            self._audit_dry_run(path, summary)
        return summary

    def _audit_dry_run(self, path: Path, summary: Summary) -> None:
        """A dry run saves no record, yet it answers which rows would create and which would
        update: that is a read of the hub, and probing with it must show in the audit log
        as a real import does."""
        with self.database.unit_of_work() as session:
            self._work(session).audit(
                "import.dry_run",
                entity=summary.kind.removesuffix("s"),
                entity_id=None,
                file=path.name,
                system=summary.system,
                created=summary.created,
                updated=summary.updated,
                unchanged=summary.unchanged,
                rejected=len(summary.rejected),
            )

    def _work(self, session: Session) -> Work:
        """The importer's unit of work in `session`."""
        actor = session.get(Person, self.actor_id)
        if actor is None:
            raise UnknownPerson()
        return Workplace(self.database, self.settings, self.clock).within(
            session, actor, source="import"
        )

    def _batch(self, kind: str, batch: list[tuple[int, Any]], summary: Summary) -> None:
        try:
            outcomes = self._write(kind, [row for _, row in batch], summary)
        except REFUSED as error:
            if isinstance(error, UNREACHABLE):
                raise
            outcomes = [self._one(kind, row, summary) for _, row in batch]
        for (line, _row), outcome in zip(batch, outcomes, strict=True):
            summary.count(outcome, line)

    def _one(self, kind: str, row: Any, summary: Summary) -> str:
        """A row of a refused batch, alone in its transaction."""
        try:
            return self._write(kind, [row], summary)[0]
        except REFUSED as error:
            if isinstance(error, UNREACHABLE):
                raise
            return f"the database refused it ({_short(error)})"

    def _write(self, kind: str, rows: list[Any], summary: Summary) -> list[str]:
        session = self.database.sessions()
        try:
            if not self.database.is_sqlite:
                # Batch lookups are `key IN (2,000 keys)` on tables that grew since
                # PostgreSQL last analyzed them: it would scan them whole, or answer from
                # the trigram GIN indexes (built for typo search, slow at equality). Every
                # lookup here has a B-tree made for it; these settings make it walk them.
                session.execute(text("SET LOCAL enable_bitmapscan = off"))
                session.execute(text("SET LOCAL enable_seqscan = off"))
                # An import is re-runnable and idempotent, so a batch lost to a crash in
                # the next few milliseconds is safe to lose; not waiting for each batch's
                # WAL flush is (PostgreSQL's advice for bulk loads).
                session.execute(text("SET LOCAL synchronous_commit = off"))
            outcomes = bulk.SAVERS[kind](self._work(session), rows, system=summary.system)
            if summary.dry_run:
                session.rollback()
            else:
                session.commit()
            return outcomes
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


def _short(error: Exception) -> str:
    text = str(getattr(error, "orig", error)).strip().splitlines()
    return text[0][:200] if text else type(error).__name__


class _Counted:
    """A text file that counts what was read, for the progress bar."""

    def __init__(self, handle: TextIO) -> None:
        self.handle = handle
        self.chars = 0

    def __iter__(self) -> Iterator[str]:
        for line in self.handle:
            self.chars += len(line)
            yield line


@dataclass(frozen=True)
class Broken:
    """A line that is not a row at all (broken CSV, not a JSON object)."""

    reason: str


def _check_storable(raw: Mapping[str, Any], encoding: str = UTF8) -> None:
    for value in raw.values():
        problem = unstorable(value) if isinstance(value, str) else None
        if problem is not None and "\x00" in value:
            raise Rejected("it has a NUL character (U+0000), which cannot be stored")
        if problem is not None:
            name = "UTF-8" if encoding == UTF8 else encoding
            raise Rejected(f"it has bytes that are not {name} (save the file as UTF-8)")


_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def encoding_of(path: Path) -> str:
    """The encoding `path` is written in.

    UTF-8 when it starts with a UTF-8 BOM or is valid UTF-8 throughout. A file that is not
    asks charset-normalizer which of `ENCODINGS` it is, except one holding UTF-8 characters
    too: that is a UTF-8 file with broken bytes, and the rows with them are rejected rather
    than the whole file read as Windows-1252 ("MarÃ­a"). When charset-normalizer finds
    no encoding that reads it as text, UTF-8 (and those rows rejected) it is.
    """
    with path.open("rb") as handle:
        if handle.read(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8:
            return UTF8
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return UTF8
        except UnicodeDecodeError:
            pass
        handle.seek(0)
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            if _UTF8_SEQUENCE.search(chunk):
                return UTF8
        handle.seek(0)
        sample = handle.read(CHUNK)
    best = from_bytes(sample, cp_isolation=ENCODINGS).best()
    return UTF8 if best is None or best.encoding == "utf_8" else best.encoding


def _errors(encoding: str) -> str:
    # surrogateescape keeps an undecodable byte of UTF-8 or a one-byte encoding for its
    # row to be rejected; in UTF-16 or 32 such a byte may be ASCII, which it cannot keep.
    return "replace" if encoding.startswith(("utf_16", "utf_32")) else "surrogateescape"


def delimiter_of(sample: str) -> str:
    """`,`, `;` or a tab: the one that splits the header line into the most columns
    (`,` when none splits it). csv.Sniffer is not used: among delimiters that occur as
    often on every line it prefers `,`, so `Importe;Etapa` over `1.250,50;propuesta`
    (a decimal comma on each line) reads as two columns split at the comma."""
    best, most = ",", 1
    for candidate in (",", ";", "\t"):
        try:
            header = next(csv.reader(io.StringIO(sample), delimiter=candidate), [])
        except csv.Error:
            continue
        if len(header) > most:
            best, most = candidate, len(header)
    return best


def _no_columns(name: str, kind: str, headers: list[str]) -> str:
    """The refusal of a file with no column we understand: the columns we do, and how
    to name the file's own (its first header as the example)."""
    fits = (h.strip() for h in headers if h.strip().isprintable() and '"' not in h)
    header, field = EXAMPLE[kind]
    example = next((h for h in fits if len(h) <= 40), header)
    return (
        f"no column of {name} means anything for {kind}. The columns understood are "
        f"{understood(kind)}, and their HubSpot and Salesforce names; name yours with "
        f'--map, e.g. --map "{example}={field}".'
    )


# The --map example of a refusal when the file's own headers make none: (header, field).
EXAMPLE = {
    "accounts": ("Empresa", "name"),
    "contacts": ("Nombre", "name"),
    "deals": ("Oportunidad", "title"),
    "interactions": ("Descripción", "text"),
    "agreements": ("Descripción", "text"),
    "complaints": ("Descripción", "text"),
}


def _csv_rows(source: _Counted, delimiter: str = ",") -> Iterator[tuple[int, Any]]:
    """(0, headers) first, then (line number where the row starts, row) for each row."""
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
    reader = csv.DictReader(iter(source), delimiter=delimiter)
    try:
        headers = reader.fieldnames or []
    except csv.Error as error:
        raise FileRefused(f"the header line is not CSV ({error}).") from None
    yield 0, {h: h for h in headers}
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield start, Broken(f"not CSV ({error})")
        else:
            yield start, {k: v for k, v in row.items() if k is not None}
        start = reader.line_num + 1


def _jsonl_rows(source: _Counted) -> Iterator[tuple[int, Any]]:
    """Like `_csv_rows`; the headers are the keys of the first object."""
    lines = ((n, line) for n, line in enumerate(iter(source), start=1) if line.strip())
    parsed = ((n, _json_row(line)) for n, line in lines)
    first: list[tuple[int, Any]] = []
    for number, row in parsed:
        first.append((number, row))
        if not isinstance(row, Broken):
            break
    headers = [] if not first or isinstance(first[-1][1], Broken) else list(first[-1][1])
    yield 0, {h: h for h in headers}
    yield from first
    yield from parsed


def _json_row(line: str) -> dict[str, Any] | Broken:
    try:
        row = json.loads(line)
    except ValueError:
        return Broken("not JSON")
    if not isinstance(row, dict):
        return Broken("not a JSON object")
    return {str(k): v for k, v in row.items()}
