"""Server-made SVG charts for the sector figures: no JavaScript, no CDN, a data table beside every chart.

Every chart is a `Chart`: an inline SVG plus the same figures as table headers and rows, rendered together by
`observatory/includes/chart.html`. Labels are escaped before they reach the markup; numbers are formatted once,
by the caller's `number_format` or the active locale, and the same strings go to the SVG and to the table.
Colours are CSS custom properties with fallbacks (`--chart-bar`, `--chart-bar-other`, `--chart-line`,
`--chart-marker`, `--chart-grid`, `--chart-axis`, `--chart-text`, `--chart-muted`), so the site and the
admin can theme them.
"""

import math
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext

Number = int | Decimal
NumberFormat = Callable[[Number], str]

WIDTH = 640
# The text size of observatory/static/observatory/css/charts.css, which styles the charts: the page's
# Content-Security-Policy allows no inline <style>, so none is written into the SVG.
FONT_SIZE = 13
# A rough advance per character at FONT_SIZE: enough to size the label and value columns, not to measure.
CHAR_WIDTH = 7.2
LABEL_MAX_CHARS = 28
ELLIPSIS = "…"

BAR_ROW = 28
BAR_THICKNESS = 18
BAR_PADDING = 10

LINE_HEIGHT = 300
LINE_TOP = 16
LINE_BOTTOM = 36
LINE_RIGHT = 28
MARKER_RADIUS = 3.5
NICE_MULTIPLES = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))

@dataclass(frozen=True)
class Chart:
    """A chart as inline SVG, with the same data as a table for assistive technology and for reading."""

    title: str
    svg: SafeString
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""


def default_number_format(value: Number) -> str:
    """The active locale's grouping and separators; integers without decimals, decimals as given."""
    return formats.number_format(value, decimal_pos=0 if isinstance(value, int) else None, force_grouping=True)


def nice_ticks(maximum: Number, *, integer: bool = False) -> tuple[Number, ...]:
    """Axis ticks from 0 up to at least `maximum` in steps of 1, 2, 2.5 or 5 × 10^n: 4 or 5 ticks where possible.

    `integer` keeps the step at 1 or more (there are no half exporters); then 3 or 6 ticks may be needed.
    A maximum of 0 or less gives a 0..1 axis.
    """
    top = maximum if isinstance(maximum, Decimal) else Decimal(str(maximum))
    if top <= 0:
        top = Decimal(1)
    # 10^(adjusted - 1) needs ten or more intervals, so the search starts below the step it will pick.
    exponent = top.adjusted() - 1
    previous = None
    while True:
        for multiple in NICE_MULTIPLES:
            step = multiple.scaleb(exponent)
            if integer and (step < 1 or step != step.to_integral_value()):
                continue
            intervals = math.ceil(top / step)
            if intervals <= 4:
                # Integer steps jump from 2 to 5: prefer five intervals of 2 to two intervals of 5.
                if intervals < 3 and previous is not None and math.ceil(top / previous) <= 5:
                    step = previous
                    intervals = math.ceil(top / step)
                return tuple(_plain(step * i) for i in range(intervals + 1))
            previous = step
        exponent += 1


def bar_chart(
    title: str,
    items: Sequence[tuple[str, Number]],
    *,
    value_label: str,
    label_header: str | None = None,
    number_format: NumberFormat | None = None,
    max_bars: int = 15,
    caption: str = "",
) -> Chart:
    """Horizontal bars in the order given; bars past `max_bars` are summed into one "Other" bar.

    Raises ValueError for a negative value or a `max_bars` below 1.
    """
    if max_bars < 1:
        raise ValueError("max_bars must be at least 1")
    fmt = number_format or default_number_format
    headers = (label_header or gettext("Category"), value_label)
    items = [(str(label), value) for label, value in items]
    if any(value < 0 for _label, value in items):
        raise ValueError("bar_chart expects values of 0 or more")
    if not any(value for _label, value in items):
        return _empty_chart(title, headers, caption)

    # Folding a single bar into "Other" would only hide its name, so fold two or more.
    folded = len(items) > max_bars + 1
    shown = items[:max_bars] if folded else items
    if folded:
        shown.append((gettext("Other"), sum((value for _label, value in items[max_bars:]), start=0)))
    rows = tuple((label, fmt(value)) for label, value in shown)

    ids = _ids(title)
    largest_label, largest_value = max(items, key=lambda item: item[1])
    desc = gettext("Largest: %(label)s (%(value)s).") % {"label": largest_label, "value": fmt(largest_value)}

    label_chars = max(len(_truncate(label)) for label, _value in shown)
    label_width = max(48.0, label_chars * CHAR_WIDTH + 12)
    value_width = max(len(text) for _label, text in rows) * CHAR_WIDTH + 12
    bar_start = label_width
    bar_span = WIDTH - label_width - value_width
    top_value = max(value for _label, value in shown)
    height = BAR_PADDING * 2 + BAR_ROW * len(shown)

    bars = []
    for index, ((label, value), (_label, text)) in enumerate(zip(shown, rows, strict=True)):
        row_top = BAR_PADDING + index * BAR_ROW
        bar_y = row_top + (BAR_ROW - BAR_THICKNESS) / 2
        text_y = row_top + BAR_ROW / 2
        bar_width = float(value) / float(top_value) * bar_span
        is_other = folded and index == len(shown) - 1
        bars.append(
            format_html(
                '<g class="bar-row"><title>{}: {}</title>'
                '<text class="label" x="{}" y="{}" dy="0.35em" text-anchor="end"><title>{}</title>{}</text>'
                '<rect class="{}" x="{}" y="{}" width="{}" height="{}"/>'
                '<text class="value" x="{}" y="{}" dy="0.35em">{}</text></g>',
                escape(label),
                escape(text),
                _coord(bar_start - 8),
                _coord(text_y),
                escape(label),
                escape(_truncate(label)),
                "bar bar--other" if is_other else "bar",
                _coord(bar_start),
                _coord(bar_y),
                _coord(bar_width),
                BAR_THICKNESS,
                _coord(bar_start + bar_width + 6),
                _coord(text_y),
                escape(text),
            )
        )
    svg = _svg("bar", ids, title, desc, height, mark_safe("".join(bars)))  # noqa: S308 - every part is format_html output
    return Chart(title=title, svg=svg, headers=headers, rows=rows, caption=caption)


def line_chart(
    title: str,
    points: Sequence[tuple[str, Number]],
    *,
    value_label: str,
    label_header: str | None = None,
    number_format: NumberFormat | None = None,
    caption: str = "",
) -> Chart:
    """A line over labelled points (months, usually) with nice y ticks, gridlines and a marker per point.

    All zeros draw a flat line on a 0..1 axis. Raises ValueError for a negative value.
    """
    fmt = number_format or default_number_format
    headers = (label_header or gettext("Period"), value_label)
    points = [(str(label), value) for label, value in points]
    if not points:
        return _empty_chart(title, headers, caption)
    if any(value < 0 for _label, value in points):
        raise ValueError("line_chart expects values of 0 or more")
    rows = tuple((label, fmt(value)) for label, value in points)

    ids = _ids(title)
    highest_label, highest_value = max(points, key=lambda point: point[1])
    desc = gettext("%(count)s points from %(first)s to %(last)s. Highest: %(label)s (%(value)s).") % {
        "count": len(points),
        "first": points[0][0],
        "last": points[-1][0],
        "label": highest_label,
        "value": fmt(highest_value),
    }

    ticks = nice_ticks(highest_value, integer=all(isinstance(value, int) for _label, value in points))
    tick_texts = [fmt(tick) for tick in ticks]
    # The first and last x labels are centred on the plot's edges: keep half a label of room beyond each.
    half_label = max(len(label) for label, _value in points) * CHAR_WIDTH / 2 + 4
    left = max(max(len(text) for text in tick_texts) * CHAR_WIDTH + 14, half_label)
    right = WIDTH - max(LINE_RIGHT, half_label)
    plot_width = right - left
    bottom = LINE_HEIGHT - LINE_BOTTOM
    plot_height = bottom - LINE_TOP
    top_tick = float(ticks[-1])

    def x_of(index: int) -> float:
        if len(points) == 1:
            return left + plot_width / 2
        return left + index * plot_width / (len(points) - 1)

    def y_of(value: Number) -> float:
        return bottom - float(value) / top_tick * plot_height

    parts = [
        format_html(
            '<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}"/>'
            '<text class="tick" x="{}" y="{}" dy="0.35em" text-anchor="end">{}</text>',
            _coord(left),
            _coord(y_of(tick)),
            _coord(right),
            _coord(y_of(tick)),
            _coord(left - 8),
            _coord(y_of(tick)),
            escape(text),
        )
        for tick, text in zip(ticks, tick_texts, strict=True)
    ]
    parts.append(
        format_html(
            '<line class="axis" x1="{}" y1="{}" x2="{}" y2="{}"/>',
            _coord(left),
            _coord(bottom),
            _coord(right),
            _coord(bottom),
        )
    )
    # Thin the x labels so they do not overlap; every point keeps its label in its marker's <title> and the table.
    label_room = half_label * 2
    slot = plot_width / max(len(points) - 1, 1)
    every = max(1, math.ceil(label_room / slot))
    parts.extend(
        format_html(
            '<text class="x-label" x="{}" y="{}" text-anchor="middle">{}</text>',
            _coord(x_of(index)),
            _coord(bottom + 20),
            escape(label),
        )
        for index, (label, _value) in enumerate(points)
        if index % every == 0
    )
    coordinates = " ".join(f"{_coord(x_of(i))},{_coord(y_of(value))}" for i, (_label, value) in enumerate(points))
    parts.append(format_html('<polyline class="line" points="{}"/>', coordinates))
    parts.extend(
        format_html(
            '<circle class="marker" cx="{}" cy="{}" r="{}"><title>{}: {}</title></circle>',
            _coord(x_of(index)),
            _coord(y_of(value)),
            MARKER_RADIUS,
            escape(label),
            escape(text),
        )
        for index, ((label, value), (_label, text)) in enumerate(zip(points, rows, strict=True))
    )
    svg = _svg("line", ids, title, desc, LINE_HEIGHT, mark_safe("".join(parts)))  # noqa: S308 - format_html parts
    return Chart(title=title, svg=svg, headers=headers, rows=rows, caption=caption)


def _empty_chart(title: str, headers: tuple[str, ...], caption: str) -> Chart:
    message = gettext("No data yet")
    body = format_html(
        '<text class="empty" x="{}" y="40" dy="0.35em" text-anchor="middle">{}</text>', WIDTH // 2, message
    )
    svg = _svg("empty", _ids(title), title, message, 80, body)
    return Chart(title=title, svg=svg, headers=headers, rows=(), caption=caption)


def _svg(kind: str, ids: tuple[str, str], title: str, desc: str, height: float, body: SafeString) -> SafeString:
    title_id, desc_id = ids
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart__svg chart__svg--{}" viewBox="0 0 {} {}" '
        'width="100%" role="img" aria-labelledby="{}" aria-describedby="{}" direction="ltr">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>{}</svg>',
        kind,
        WIDTH,
        _coord(height),
        title_id,
        desc_id,
        title_id,
        escape(title),
        desc_id,
        escape(desc),
        body,
    )


def _ids(title: str) -> tuple[str, str]:
    """Ids for the <title> and <desc>: unique per chart, as two charts on a page may share a title."""
    slug = slugify(title)[:40].strip("-") or "chart"
    token = uuid.uuid4().hex[:8]
    base = f"chart-{slug}-{token}"
    return f"{base}-title", f"{base}-desc"


def _truncate(label: str) -> str:
    if len(label) <= LABEL_MAX_CHARS:
        return label
    return label[: LABEL_MAX_CHARS - 1].rstrip() + ELLIPSIS


def _plain(value: Decimal) -> Number:
    """An integral Decimal as an int (so it formats without decimals), any other without trailing zeros."""
    if value == value.to_integral_value():
        return int(value)
    return value.normalize()


def _coord(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
