"""The report as a PNG bar chart: one group of bars per month, one bar per language."""

from __future__ import annotations

from math import ceil
from pathlib import Path

from core.languages import LANGUAGES
from reporting.yearly import YearlyReport

# Fixed, distinct colours so a language looks the same every year. The office's four are
# Okabe-Ito's; the others were picked from Paul Tol's and IBM's colour-blind-safe sets so that
# any two stay apart, and apart from the white ground, in normal, protan, deutan and tritan vision
# (tests/reporting/test_chart.py measures it). None is black or grey, the colours of the text.
LANGUAGE_COLOURS = {
    "en": "#0072B2",
    "ja": "#D55E00",
    "fr": "#009E73",
    "ko": "#CC79A7",
    "de": "#661100",
    "es": "#222255",
    "ru": "#DDCC77",
    "ar": "#99DDFF",
    "pt": "#785EF0",
    "it": "#AA3377",
    "vi": "#FFB000",
    "th": "#663333",
}
_GROUP_WIDTH = 0.8  # of a month's slot, shared by its bars
_LEGEND_COLUMNS = 6  # at most, so twelve languages take two lines
_LEGEND_LINE = 20  # points the title moves up for each further legend line


def language_label(report: YearlyReport, code: str) -> str:
    """How the legend names a language: its English name and the unit the convention counts."""
    unit = "characters" if "characters" in report.convention.measure_for[code] else "words"
    return f"{LANGUAGES[code].english_name} ({unit})"


def write_png(report: YearlyReport, path: Path) -> None:
    """Draw the year's figures per language and month (labels in English: no CJK font is assumed)."""
    import matplotlib

    matplotlib.use("Agg")  # no display on a server
    import matplotlib.pyplot as plt

    months = range(1, 13)
    count = len(report.languages)
    width = _GROUP_WIDTH / count
    columns = count if count <= _LEGEND_COLUMNS else ceil(count / 2)
    legend_lines = ceil(count / columns)
    # Four languages keep the office's familiar 11-inch chart; each further one widens it.
    figure, axes = plt.subplots(figsize=(11 + 0.5 * max(0, count - 4), 5.5), dpi=100)
    try:
        for index, lang in enumerate(report.languages):
            offsets = [m + (index - (count - 1) / 2) * width for m in months]
            values = [row.figures[lang] for row in report.by_month]
            # No antialiasing: each bar is its language's exact colour, which keeps the image checkable.
            axes.bar(
                offsets,
                values,
                width,
                color=LANGUAGE_COLOURS[lang],
                antialiased=False,
                label=language_label(report, lang),
            )
        axes.set_xticks(list(months))
        axes.set_xticklabels([f"{report.year}-{m:02d}" for m in months], rotation=45, ha="right")
        axes.set_ylabel("words / characters (" + report.convention.name + ")")
        axes.set_title(
            f"Foreign-language words and characters published in {report.year}",
            pad=34 + _LEGEND_LINE * (legend_lines - 1),
        )
        # The legend fills column by column; ordered so, its lines read in the table's order.
        handles, labels = axes.get_legend_handles_labels()
        order = [
            line * columns + column
            for column in range(columns)
            for line in range(legend_lines)
            if line * columns + column < count
        ]
        axes.legend(
            [handles[i] for i in order],
            [labels[i] for i in order],
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncol=columns,
            frameon=False,
        )
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, format="png", metadata={"Title": f"waiwen report {report.year}"})
    finally:
        plt.close(figure)
