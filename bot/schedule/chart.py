"""The digest's chart: the open funnel by stage, with what entered and left it this period.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no display, no global
state), so it is safe in a headless, threaded clock process.
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from hub.digest import DigestFigures


def funnel_png(figures: DigestFigures, *, period: str = "week") -> bytes:
    stages = list(reversed(figures.stages))  # lead at the top
    values = [float(line.value) for line in stages]
    widest = max(values, default=0.0) or 1.0
    figure = Figure(figsize=(8, 4.2), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = range(len(stages))
    lefts = [(widest - v) / 2 for v in values]
    axes.barh(positions, values, left=lefts, color="#4C78A8", height=0.7)
    for y, line in zip(positions, stages, strict=True):
        axes.text(
            widest / 2,
            y,
            f"{line.count} · {float(line.value):,.0f}",
            ha="center",
            va="center",
            color="white" if float(line.value) > widest * 0.25 else "#222222",
            fontsize=10,
            fontweight="bold",
        )
        axes.text(
            widest * 1.02,
            y,
            f"+{line.entered} in  −{line.left} out",
            ha="left",
            va="center",
            fontsize=9,
            color="#2E7D32" if line.entered >= line.left else "#C62828",
        )
    axes.set_yticks(list(positions), [line.stage for line in stages])
    axes.set_xlim(0, widest * 1.35)
    axes.set_xticks([])
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    won, lost = figures.moves["won"], figures.moves["lost"]
    axes.set_title(
        f"Open pipeline {float(figures.open_value):,.0f} in {figures.open_count} deals — "
        f"this {period}: {won.count} won ({float(won.value):,.0f}), {lost.count} lost",
        fontsize=10,
    )
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
