"""A column chart for the public statistics (cases received per month), drawn like ``orgs.charts``:
inline SVG, no JavaScript, positions in percentages of the width so the labels keep their size on a
phone. The horizontal bars (on-time rate per province) reuse ``orgs.charts.hbar_chart``.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PLOT_TOP = 18  # px above the tallest column: room for its value
PLOT_HEIGHT = 120
LABEL_SPACE = 34  # px under the columns: the month, and the year under January and the first month
COLUMN_SHARE = 0.62  # of each slot's width; the rest is the gap between columns


def column_chart(
    labels: Sequence[tuple[str, str]], values: Sequence[int], *, title: str, colour: str = "#b71c1c"
) -> SafeString:
    """Vertical columns, one per ``(label, sub-label)``: e.g. ``("03", "2026")`` for March 2026.

    Each column carries its value above it; the sub-label is printed only where it changes (the year
    under January, see :func:`_sub_label_positions`), so twelve months fit a 320 px screen.
    """
    if len(labels) != len(values):
        raise ValueError("labels and values differ in length")
    top = max((int(v) for v in values), default=0) or 1
    slot = 100.0 / max(len(values), 1)
    height = PLOT_TOP + PLOT_HEIGHT + LABEL_SPACE
    base = PLOT_TOP + PLOT_HEIGHT
    parts = [
        f'<svg class="chart chart-columns" xmlns="http://www.w3.org/2000/svg" width="100%" height="{height}" '
        f'role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="0" y1="{base}" x2="100%" y2="{base}" class="chart-axis"/>',
    ]
    subs = _sub_label_positions([sub for _, sub in labels])
    for i, ((label, sub), value) in enumerate(zip(labels, values, strict=True)):
        value = int(value)
        bar = round(PLOT_HEIGHT * value / top) if value else 0
        bar = max(bar, 1 if value else 0)
        x = i * slot + slot * (1 - COLUMN_SHARE) / 2
        centre = i * slot + slot / 2
        text = escape(intcomma(value))
        parts.append(
            f"<g><title>{escape(label)}/{escape(sub)}: {text}</title>"
            f'<rect x="{x:.2f}%" y="{base - bar}" width="{slot * COLUMN_SHARE:.2f}%" height="{bar}" rx="2" '
            f'fill="{colour}"/>'
            f'<text x="{centre:.2f}%" y="{base - bar - 4}" text-anchor="middle" class="chart-value">{text}</text>'
            f'<text x="{centre:.2f}%" y="{base + 14}" text-anchor="middle" class="chart-label">{escape(label)}</text>'
        )
        if i in subs:
            parts.append(
                f'<text x="{centre:.2f}%" y="{base + 28}" text-anchor="middle" class="chart-value">{escape(sub)}</text>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def _sub_label_positions(subs: Sequence[str]) -> set[int]:
    """Where to print the sub-labels: wherever one changes (the year under January), and under the first
    column unless a change follows within three columns (on a phone, "2025" under December would run
    into "2026" under the January next to it)."""
    changes = [i for i in range(1, len(subs)) if subs[i] != subs[i - 1]]
    if subs and not (changes and changes[0] < 3):
        changes.insert(0, 0)
    return set(changes)
