"""Server-side SVG charts for the dashboard: no JavaScript, no chart library.

Each chart is an inline `<svg role="img">` named by its `<title>` and described by its `<desc>`; the
page puts the same numbers in a table beside it, so the drawing is never the only way to read them.
All text is escaped by `format_html`.
"""

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# Brand blue first; each colour has at least 3:1 contrast against white (WCAG non-text contrast).
PALETTE = ("#1d4e89", "#4a7fc1", "#9a5b00", "#1f6b3a", "#a4262c", "#6b4c9a", "#5d6b7a", "#7a6a00")
INK = "#1b2330"
WIDTH = 560


def _number(value) -> str:
    return number_format(value, decimal_pos=0, force_grouping=True)


def _svg(chart_id: str, title: str, desc: str, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="svg-chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}"'
        ' role="img" aria-labelledby="{id}-title {id}-desc" id="{id}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        w=WIDTH,
        h=height,
        id=chart_id,
        title=title,
        desc=desc,
        body=body,
    )


def _legend(series_names: list[str], top: int) -> tuple[SafeString, int]:
    """A legend of coloured squares, two per line; returns the markup and its height."""
    items = []
    for index, name in enumerate(series_names):
        x, y = (index % 2) * (WIDTH // 2), top + (index // 2) * 22
        items.append(
            format_html(
                '<rect x="{}" y="{}" width="12" height="12" rx="2" fill="{}"/>'
                '<text x="{}" y="{}" font-size="14" fill="{}">{}</text>',
                x,
                y,
                PALETTE[index % len(PALETTE)],
                x + 18,
                y + 11,
                INK,
                name,
            )
        )
    rows = (len(series_names) + 1) // 2
    return mark_safe("".join(items)), rows * 22  # noqa: S308 - every item came from format_html


def grouped_bar_chart(
    *, chart_id: str, title: str, desc: str, categories: list[str], series: list[tuple[str, list[int]]]
) -> SafeString:
    """Horizontal bars: one group per category (a year), one bar per series (a funnel stage).

    All bars share one scale, so a group reads as a funnel: each stage shorter than the one before.
    """
    label_width, value_room, bar, gap, group_gap = 90, 60, 16, 3, 16
    plot_width = WIDTH - label_width - value_room
    maximum = max((value for _, values in series for value in values), default=0) or 1
    legend, y = _legend([name for name, _ in series], top=4)
    y += 12
    parts = [legend]
    plot_top = y
    group_height = len(series) * (bar + gap) - gap
    for index, category in enumerate(categories):
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="14" font-weight="700" text-anchor="end" fill="{}">{}</text>',
                label_width - 10,
                y + group_height // 2 + 5,
                INK,
                category,
            )
        )
        for position, (_name, values) in enumerate(series):
            value = values[index]
            width = round(plot_width * value / maximum) if value else 0
            if value and width < 2:
                width = 2
            top = y + position * (bar + gap)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                    '<text x="{}" y="{}" font-size="13" fill="{}">{}</text>',
                    label_width,
                    top,
                    width,
                    bar,
                    PALETTE[position % len(PALETTE)],
                    label_width + width + 5,
                    top + bar - 3,
                    INK,
                    _number(value),
                )
            )
        y += group_height + group_gap
    axis = format_html(
        '<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="{ink}" stroke-width="1"/>',
        x=label_width,
        top=plot_top - 4,
        bottom=y - group_gap + 4,
        ink=INK,
    )
    body = mark_safe(axis + "".join(parts))  # noqa: S308 - every part came from format_html
    return _svg(chart_id, title, desc, y, body)


def stacked_bar_chart(*, chart_id: str, title: str, desc: str, segments: list[tuple[str, int]]) -> SafeString:
    """One horizontal bar split into segments (projects by stage), with a legend that gives the counts."""
    total = sum(value for _, value in segments)
    height_bar = 32
    x, parts = 0.0, []
    for index, (_name, value) in enumerate(segments):
        if not value:
            continue
        width = WIDTH * value / total
        parts.append(
            format_html(
                '<rect x="{}" y="0" width="{}" height="{}" fill="{}" stroke="#ffffff" stroke-width="1"/>',
                f"{x:.1f}",
                f"{width:.1f}",
                height_bar,
                PALETTE[index % len(PALETTE)],
            )
        )
        x += width
    if not total:
        parts.append(format_html('<rect x="0" y="0" width="{}" height="{}" fill="#e4e9f0"/>', WIDTH, height_bar))
    names = [f"{name}: {_number(value)}" for name, value in segments]
    legend, legend_height = _legend(names, top=height_bar + 12)
    body = format_html_join("", "{}", ((part,) for part in parts)) + legend
    return _svg(chart_id, title, desc, height_bar + 12 + legend_height + 4, body)
