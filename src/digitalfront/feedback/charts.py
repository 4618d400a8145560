"""Staff charts of the feedback module, drawn like ``orgs.charts``: inline SVG, no JavaScript, positions in
percentages of the width so the labels keep their size on a phone. Horizontal bars (on-time rate per
unit) reuse ``orgs.charts.hbar_chart``; this module adds stacked columns (volume per topic and month)
and a two-line chart (received against answered per month).

Each chart is an image with a title for screen readers; the page puts the same numbers in a table under
it, and a legend in HTML (it wraps on a narrow screen, an SVG legend would not).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PLOT_TOP = 18  # px above the tallest column or point: room for its value
PLOT_HEIGHT = 150
LABEL_SPACE = 34  # px under the plot: the month, and the year under the first month and each January
COLUMN_SHARE = 0.62  # of each slot's width; the rest is the gap between columns
# Okabe–Ito, readable with the common colour-vision deficiencies, then greys for "other"/"unclassified"
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")
OTHER_COLOURS = ("#9e9e9e", "#cfcfcf")
RECEIVED_COLOUR = "#b71c1c"
ANSWERED_COLOUR = "#2e7d32"


def series_colours(names: Sequence[str], *, greys: Sequence[str] = ()) -> list[str]:
    """One colour per series: the palette in order, and grey for the names in ``greys`` (e.g. "other")."""
    colours, i = [], 0
    for name in names:
        if name in greys:
            colours.append(OTHER_COLOURS[min(list(greys).index(name), len(OTHER_COLOURS) - 1)])
        else:
            colours.append(PALETTE[i % len(PALETTE)])
            i += 1
    return colours


def _svg_open(title: str, height: int, css: str) -> list[str]:
    return [
        f'<svg class="chart {css}" xmlns="http://www.w3.org/2000/svg" width="100%" height="{height}" '
        f'role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]


def _x_labels(labels: Sequence[tuple[str, str]], slot: float, base: int) -> list[str]:
    """The month under each slot, and the year under the first slot and whenever it changes."""
    parts, previous = [], None
    for i, (label, sub) in enumerate(labels):
        centre = i * slot + slot / 2
        parts.append(
            f'<text x="{centre:.2f}%" y="{base + 14}" text-anchor="middle" class="chart-label">{escape(label)}</text>'
        )
        # on a phone two years side by side overlap (12/2025 then 01/2026): the first slot then goes
        # without, the page's heading gives the period
        crowded = i == 0 and len(labels) > 1 and labels[1][1] != sub
        if sub != previous and not crowded:
            parts.append(
                f'<text x="{centre:.2f}%" y="{base + 28}" text-anchor="middle" class="chart-value">{escape(sub)}</text>'
            )
            previous = sub
    return parts


def stacked_column_chart(
    labels: Sequence[tuple[str, str]],
    series: Sequence[tuple[str, Sequence[int]]],
    colours: Sequence[str],
    *,
    title: str,
) -> SafeString:
    """Stacked columns, one per ``(label, sub-label)`` slot (``("03", "2026")``), one segment per series
    (``(name, values)``, first at the bottom), the total above each column.

    Every segment has a tooltip (``<title>``) with its series, month and count."""
    n = len(labels)
    if any(len(values) != n for _, values in series) or len(colours) < len(series):
        raise ValueError("series, labels and colours differ in length")
    totals = [sum(int(values[i]) for _, values in series) for i in range(n)]
    top = max(totals, default=0) or 1
    slot = 100.0 / max(n, 1)
    base = PLOT_TOP + PLOT_HEIGHT
    parts = _svg_open(title, base + LABEL_SPACE, "chart-columns chart-stacked")
    parts.append(f'<line x1="0" y1="{base}" x2="100%" y2="{base}" class="chart-axis"/>')
    for i, (label, sub) in enumerate(labels):
        x = i * slot + slot * (1 - COLUMN_SHARE) / 2
        width = slot * COLUMN_SHARE
        y = float(base)
        parts.append("<g>")
        for (name, values), colour in zip(series, colours, strict=False):
            value = int(values[i])
            if not value:
                continue
            height = PLOT_HEIGHT * value / top
            y -= height
            parts.append(
                f'<rect x="{x:.2f}%" y="{y:.1f}" width="{width:.2f}%" height="{max(height, 1):.1f}" fill="{colour}">'
                f"<title>{escape(name)}, {escape(label)}/{escape(sub)}: {escape(intcomma(value))}</title></rect>"
            )
        if totals[i]:
            parts.append(
                f'<text x="{i * slot + slot / 2:.2f}%" y="{y - 4:.1f}" text-anchor="middle" '
                f'class="chart-value">{escape(intcomma(totals[i]))}</text>'
            )
        parts.append("</g>")
    parts.extend(_x_labels(labels, slot, base))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def line_chart(
    labels: Sequence[tuple[str, str]], series: Sequence[tuple[str, Sequence[int], str]], *, title: str
) -> SafeString:
    """Lines over the same slots, one per ``(name, values, colour)``, a dot with a tooltip on each value.

    Segments are ``<line>`` elements (their ends accept percentages, a ``<polyline>``'s points do not),
    so the chart stretches with the screen without distorting the dots or the text."""
    n = len(labels)
    if any(len(values) != n for _, values, _ in series):
        raise ValueError("series and labels differ in length")
    top = max((int(v) for _, values, _ in series for v in values), default=0) or 1
    slot = 100.0 / max(n, 1)
    base = PLOT_TOP + PLOT_HEIGHT
    parts = _svg_open(title, base + LABEL_SPACE, "chart-lines")
    # light guides at full scale and, when it is a whole number, at half scale, with their value
    for fraction in (0.5, 1.0) if top % 2 == 0 else (1.0,):
        y = base - PLOT_HEIGHT * fraction
        guide = escape(intcomma(int(top * fraction)))
        parts.append(
            f'<line x1="0" y1="{y:.1f}" x2="100%" y2="{y:.1f}" class="chart-grid"/>'
            f'<text x="0" y="{y - 3:.1f}" class="chart-value">{guide}</text>'
        )
    parts.append(f'<line x1="0" y1="{base}" x2="100%" y2="{base}" class="chart-axis"/>')
    for name, values, colour in series:
        points = [(i * slot + slot / 2, base - PLOT_HEIGHT * int(v) / top) for i, v in enumerate(values)]
        parts.append(f'<g class="chart-series"><title>{escape(name)}</title>')
        for (x1, y1), (x2, y2) in pairwise(points):
            parts.append(
                f'<line x1="{x1:.2f}%" y1="{y1:.1f}" x2="{x2:.2f}%" y2="{y2:.1f}" stroke="{colour}" '
                'stroke-width="2.5" stroke-linecap="round"/>'
            )
        for (x, y), (label, sub), value in zip(points, labels, values, strict=True):
            parts.append(
                f'<circle cx="{x:.2f}%" cy="{y:.1f}" r="4" fill="{colour}">'
                f"<title>{escape(name)}, {escape(label)}/{escape(sub)}: {escape(intcomma(int(value)))}"
                "</title></circle>"
            )
        parts.append("</g>")
    parts.extend(_x_labels(labels, slot, base))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def swatch(colour: str) -> SafeString:
    """A small square of ``colour`` for an HTML legend (an SVG, so it prints and needs no style rule)."""
    safe = escape(colour)
    return mark_safe(  # noqa: S308 - the colour is escaped
        f'<svg class="swatch" width="12" height="12" aria-hidden="true"><rect width="12" height="12" rx="2" '
        f'fill="{safe}"/></svg>'
    )
