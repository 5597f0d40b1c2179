"""The digest's chart: the open funnel by stage, with what entered and left it this period.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no display, no global
state), so it is safe in a headless, threaded clock process. Its words are in the reading
language (`hub.i18n.reading_in`): the courier draws a channel's chart in the channel's.
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from hub.digest import DigestFigures, StageLine
from hub.i18n import _, ngettext
from hub.money import totals_text
from hub.value_names import value_text


def funnel_png(figures: DigestFigures, *, period: str = "week") -> bytes:
    figure = funnel_figure(figures, period=period)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def funnel_figure(figures: DigestFigures, *, period: str = "week") -> Figure:
    """The chart, drawn but not saved; `period` is "week" or "day"."""
    stages = list(reversed(figures.stages))  # lead at the top
    values = _widths(figures, stages)
    widest = max(values, default=0.0) or 1.0
    figure = Figure(figsize=(8, 4.2), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = range(len(stages))
    lefts = [(widest - v) / 2 for v in values]
    axes.barh(positions, values, left=lefts, color="#4C78A8", height=0.7)
    for y, line, value in zip(positions, stages, values, strict=True):
        axes.text(
            widest / 2,
            y,
            f"{line.count} · {totals_text(line.value, figures.rates, rates_named=False)}",
            ha="center",
            va="center",
            color="white" if value > widest * 0.25 else "#222222",
            fontsize=10,
            fontweight="bold",
        )
        axes.text(
            widest * 1.02,
            y,
            _("+{entered} in  −{left} out", entered=line.entered, left=line.left),
            ha="left",
            va="center",
            fontsize=9,
            color="#2E7D32" if line.entered >= line.left else "#C62828",
        )
    axes.set_yticks(list(positions), [value_text("stage", line.stage) for line in stages])
    axes.set_xlim(0, widest * 1.35)
    axes.set_xticks([])
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    axes.set_title(_title(figures, period), fontsize=10)
    figure.tight_layout()
    return figure


def _title(figures: DigestFigures, period: str) -> str:
    won, lost = figures.moves["won"], figures.moves["lost"]
    fields = {
        "value": totals_text(figures.open_value, figures.rates),
        "won": won.count,
        "won_value": totals_text(won.value, figures.rates),
        "lost": lost.count,
    }
    if period == "week":
        return ngettext(
            "Open pipeline {value} in {n} deals — this week: {won} won ({won_value}), {lost} lost",
            "Open pipeline {value} in {n} deals — this week: {won} won ({won_value}), {lost} lost",
            figures.open_count,
            **fields,
        )
    return ngettext(
        "Open pipeline {value} in {n} deals — this day: {won} won ({won_value}), {lost} lost",
        "Open pipeline {value} in {n} deals — this day: {won} won ({won_value}), {lost} lost",
        figures.open_count,
        **fields,
    )


def _widths(figures: DigestFigures, stages: list[StageLine]) -> list[float]:
    """Each stage's bar: its value in the hub's currency, or, when the stages hold
    currencies without a rate, its number of deals (different currencies are never added)."""
    converted = [line.value.in_hub_currency(figures.rates) for line in stages]
    if all(c is not None for c in converted):
        return [float(c.amount) for c in converted if c is not None]
    return [float(line.count) for line in stages]
