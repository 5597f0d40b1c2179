"""A report's table as lines of monospaced text: the console prints them as they are,
Slack and Discord inside a code block (neither has a table of its own that fits)."""

from __future__ import annotations

from dataclasses import replace

from commands.reply import Table
from hub.i18n import ngettext


def table_lines(table: Table) -> list[str]:
    """The header and the rows, each column as wide as its widest cell; numbers to the
    right. An empty table is its `empty` text; rows left out end it with "… and N more"."""
    if not table.rows:
        return [table.empty] if table.empty else []
    widths = [
        max(len(cell) for cell in column) for column in zip(table.columns, *table.rows, strict=True)
    ]
    right = table.numeric or (False,) * len(table.columns)

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            cell.rjust(width) if numeric else cell.ljust(width)
            for cell, width, numeric in zip(cells, widths, right, strict=True)
        ).rstrip()

    lines = [line(table.columns), *(line(row) for row in table.rows)]
    if table.more > 0:
        lines.append(ngettext("… and {n} more", "… and {n} more", table.more))
    return lines


def fitted_text(table: Table, limit: int) -> str:
    """The table's lines in at most `limit` characters: rows that do not fit are counted in
    a last line ("… and N more") instead of cut through."""
    if not table.rows:
        return table.empty
    rows = [tuple(cell.replace("`", "'") for cell in row) for row in table.rows]  # no fence
    while True:
        left_out = len(table.rows) - len(rows)
        shown = replace(table, rows=tuple(rows), more=table.more + left_out)
        text = "\n".join(table_lines(shown))
        if len(text) <= limit or not rows:
            return text[:limit]
        rows.pop()


def table_code(table: Table, limit: int) -> str:
    """The table in a Markdown code block of at most `limit` characters (Discord)."""
    if not table.rows:
        return table.empty
    return "```\n" + fitted_text(table, limit - 8) + "\n```"
