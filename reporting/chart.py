"""The report as a PNG bar chart: one group of bars per month, one bar per language."""

from __future__ import annotations

from pathlib import Path

from pipeline.counts import REPORTED_LANGUAGES
from reporting.yearly import YearlyReport

# Fixed, distinct colours (colour-blind safe, Okabe-Ito) so a language looks the same every year.
LANGUAGE_COLOURS = {"en": "#0072B2", "ja": "#D55E00", "fr": "#009E73", "ko": "#CC79A7"}
LANGUAGE_LABELS = {
    "en": "English (words)",
    "ja": "Japanese (characters)",
    "fr": "French (words)",
    "ko": "Korean (words)",
}


def write_png(report: YearlyReport, path: Path) -> None:
    """Draw the year's figures per language and month (labels in English: no CJK font is assumed)."""
    import matplotlib

    matplotlib.use("Agg")  # no display on a server
    import matplotlib.pyplot as plt

    months = range(1, 13)
    width = 0.2
    figure, axes = plt.subplots(figsize=(11, 5.5), dpi=100)
    try:
        for index, lang in enumerate(REPORTED_LANGUAGES):
            offsets = [m + (index - 1.5) * width for m in months]
            values = [row.figures[lang] for row in report.by_month]
            # No antialiasing: each bar is its language's exact colour, which keeps the image checkable.
            axes.bar(
                offsets,
                values,
                width,
                color=LANGUAGE_COLOURS[lang],
                antialiased=False,
                label=LANGUAGE_LABELS.get(lang, lang),
            )
        axes.set_xticks(list(months))
        axes.set_xticklabels([f"{report.year}-{m:02d}" for m in months], rotation=45, ha="right")
        axes.set_ylabel("words / characters (" + report.convention.name + ")")
        axes.set_title(f"Foreign-language words and characters published in {report.year}", pad=34)
        axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=4, frameon=False)
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, format="png", metadata={"Title": f"waiwen report {report.year}"})
    finally:
        plt.close(figure)
