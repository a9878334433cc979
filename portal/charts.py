"""Charts as inline SVG rendered on the server, so the same markup serves a web page and a PDF.

Accessible by construction: ``role="img"`` named by its ``<title>`` and ``<desc>`` (the desc
lists every value as text), every bar labelled with its name and number in text, colours with at
least 3:1 contrast against the white background (WCAG 1.4.11), text in near-black. Only SVG
presentation attributes (``fill=``, ``font-size=``), no ``style`` attributes and no script, so a
strict Content-Security-Policy and WeasyPrint both accept it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

TEXT_COLOUR = "#1a1a1a"
BACKGROUND = "#ffffff"
TRACK_COLOUR = "#ececec"
FONT_FAMILY = "Noto Sans, Liberation Sans, Arial, sans-serif"

# Colours for categories, each at least 4.5:1 against white (so also usable for text).
PALETTE = {
    "grey": "#595959",
    "blue": "#0b5cad",
    "green": "#1a7431",
    "orange": "#a3470a",
    "red": "#a4161a",
    "purple": "#6a3d9a",
}


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | float
    colour: str = PALETTE["blue"]


def _number(value: int | float, *, thousands: str) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", "\0").replace(".", ",").replace("\0", thousands)
    return f"{int(value):,}".replace(",", thousands)


def relative_luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def horizontal_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[Bar],
    width: int = 640,
    label_width: int = 180,
    bar_height: int = 22,
    gap: int = 10,
    thousands: str = ".",
) -> SafeString:
    """A horizontal bar chart: one row per bar with its label, the bar and its number.

    ``chart_id`` must be unique on the page (it prefixes the title and desc ids). The numbers
    are also listed in the ``<desc>``, so a screen reader hears them without the drawing.
    """
    value_width = 70
    track = width - label_width - value_width
    maximum = max((bar.value for bar in bars), default=0) or 1
    height = len(bars) * (bar_height + gap) + gap
    values_text = "; ".join(
        f"{bar.label}: {_number(bar.value, thousands=thousands)}" for bar in bars
    )
    desc = f"{description} {values_text}".strip()
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(chart_id)}" class="portal-chart" '
        f'role="img" aria-labelledby="{escape(title_id)} {escape(desc_id)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="{FONT_FAMILY}" font-size="14">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="{BACKGROUND}"/>',
    ]
    for index, bar in enumerate(bars):
        y = gap + index * (bar_height + gap)
        text_y = y + bar_height / 2
        length = round(track * bar.value / maximum, 1) if bar.value > 0 else 0
        parts += [
            "<g>",
            f'<text x="{label_width - 8}" y="{text_y}" text-anchor="end" '
            f'dominant-baseline="central" fill="{TEXT_COLOUR}">{escape(bar.label)}</text>',
            f'<rect x="{label_width}" y="{y}" width="{track}" height="{bar_height}" '
            f'fill="{TRACK_COLOUR}"/>',
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" '
            f'fill="{escape(bar.colour)}"/>',
            f'<text x="{label_width + track + 8}" y="{text_y}" dominant-baseline="central" '
            f'font-weight="bold" fill="{TEXT_COLOUR}">'
            f"{escape(_number(bar.value, thousands=thousands))}</text>",
            "</g>",
        ]
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above
