"""Server-rendered charts: inline SVG, no JavaScript, readable on a phone.

Bars are laid out in percentages of the SVG's width, so the chart fills its container at any width
while the text keeps its size (a ``viewBox`` would shrink the labels on a narrow screen).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ROW_HEIGHT = 40  # px: label line + bar
BAR_HEIGHT = 14
SECOND_HEIGHT = 7
BAR_SPAN = 82.0  # % of the width a full bar takes; the rest holds the value text
COLOURS = (  # (below this share, colour)
    (0.5, "#c62828"),
    (0.8, "#ef8f00"),
    (float("inf"), "#2e7d32"),
)


def _percent(value: float) -> str:
    return f"{value * 100:.1f}".replace(".", ",") + "%"


def _colour(share: float) -> str:
    for limit, colour in COLOURS:
        if share < limit:
            return colour
    return COLOURS[-1][1]


def hbar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str = "",
    max_value: float | None = None,
    fmt: Callable[[float], str] | None = None,
    colour_by_share: bool = True,
    colour: str = "#b71c1c",
    second: Sequence[float] | None = None,
    second_colour: str = "#455a64",
) -> SafeString:
    """A horizontal bar chart as safe SVG markup: one row per label, the label above its bar.

    ``max_value`` is the value of a full bar (default: the largest value; 1 for shares). ``fmt`` turns
    a value into the text after the bar (default: a percentage of ``max_value``). With
    ``colour_by_share`` bars are red below 50 %, amber below 80 %, green above. ``second`` adds a thin
    bar under each bar (e.g. timeliness under completeness) on the same scale.
    """
    if len(labels) != len(values) or (second is not None and len(second) != len(values)):
        raise ValueError("labels and values differ in length")
    top = max_value if max_value is not None else max((float(v) for v in [*values, *(second or [])]), default=0.0)
    top = top or 1.0
    fmt = fmt or (lambda v: _percent(v / top))
    row_height = ROW_HEIGHT + (SECOND_HEIGHT + 4 if second is not None else 0)
    height = row_height * len(labels) + 4
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="100%" height="{height}" '
        f'role="img" aria-label="{escape(title)}">'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = i * row_height
        share = _share(value, top)
        fill = _colour(share) if colour_by_share else colour
        text = escape(fmt(float(value)))
        other = float(second[i]) if second is not None else None
        other_text = escape(fmt(other)) if other is not None else ""
        tip = f"{escape(label)}: {text}" + (f" · {other_text}" if other is not None else "")
        parts.append(
            f"<g><title>{tip}</title>"
            f'<text x="0" y="{y + 14}" class="chart-label">{escape(label)}</text>'
            f'<rect x="0" y="{y + 20}" width="{BAR_SPAN}%" height="{BAR_HEIGHT}" rx="3" class="chart-track"/>'
            f'<rect x="0" y="{y + 20}" width="{_width(share)}%" height="{BAR_HEIGHT}" rx="3" fill="{fill}"/>'
            f'<text x="{BAR_SPAN + 1.5:.1f}%" y="{y + 32}" class="chart-value">{text}</text>'
        )
        if other is not None:
            y2 = y + 20 + BAR_HEIGHT + 3
            parts.append(
                f'<rect x="0" y="{y2}" width="{_width(_share(other, top))}%" height="{SECOND_HEIGHT}" rx="2" '
                f'fill="{second_colour}"/>'
                f'<text x="{BAR_SPAN + 1.5:.1f}%" y="{y2 + SECOND_HEIGHT}" class="chart-value chart-value-2">'
                f"{other_text}</text>"
            )
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def _share(value: float, top: float) -> float:
    return max(0.0, min(float(value) / top, 1.0))


def _width(share: float) -> str:
    return f"{max(share * BAR_SPAN, 0.4):.2f}"
