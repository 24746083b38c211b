"""Charts for the notebooks (matplotlib, imported on first use so the CLI never needs it).

The backend is never chosen here: a library that switches it (``matplotlib.use("Agg")``) stops
the notebook's inline charts, the tutor's own plots included. The figure is returned; Jupyter
shows it, a script saves it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .frames import CohortReport
    from .report_check import ReportCheck

PART_LABELS = {"title_page": "Title page", "contents": "Contents", "body_text": "Body text",
               "body_tables": "Body tables", "body_list_labels": "List labels", "footnotes": "Footnotes",
               "references": "References", "annexes": "Annexes", "headers_footers": "Headers/footers"}


def coverage_heatmap(result: "CohortReport"):
    """Apprentices x portfolio KSBs, coloured by the number of pieces evidencing each KSB."""
    import matplotlib.pyplot as plt

    cov = result.coverage
    fig, ax = plt.subplots(figsize=(max(6, 0.55 * len(cov.columns) + 2), 0.5 * len(cov.index) + 1.6))
    im = ax.imshow(cov.values.clip(0, 3), cmap="RdYlGn", vmin=0, vmax=3, aspect="auto")
    ax.set_xticks(range(len(cov.columns)), cov.columns)
    ax.set_yticks(range(len(cov.index)), cov.index)
    for i in range(len(cov.index)):
        for j in range(len(cov.columns)):
            ax.text(j, i, int(cov.values[i, j]), ha="center", va="center", fontsize=8)
    ax.set_title(f"Pieces evidencing each {result.standard.portfolio_method} KSB (0 = gap)")
    fig.colorbar(im, ax=ax, shrink=0.8, ticks=[0, 1, 2, 3])
    fig.tight_layout()
    return fig


def word_count_breakdown(check: "ReportCheck"):
    """Words per report part, with the parts the limit counts stacked against the limit band."""
    import matplotlib.pyplot as plt

    words = check.parts.words
    counted = set(check.limit.counts) if check.limit else set()
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4), gridspec_kw={"width_ratios": [3, 1]})
    names = list(PART_LABELS)
    ax1.barh([PART_LABELS[n] for n in names], [words[n] for n in names],
             color=["#2b8a3e" if n in counted else "#adb5bd" for n in names])
    ax1.invert_yaxis()
    ax1.set_xlabel("words (green: counted towards the limit)")
    bottom = 0
    for n in names:
        if n in counted:
            ax2.bar(["assessed"], [words[n]], bottom=bottom, label=PART_LABELS[n])
            bottom += words[n]
    if check.limit:
        lo = check.limit.min_words if check.limit.min_words is not None else 0
        ax2.axhspan(lo, check.limit.max_words, color="#51cf66", alpha=0.2, label="limit band")
        ax2.set_ylim(0, max(check.limit.max_words, bottom) * 1.1)
    ax2.legend(fontsize=7, loc="lower right")
    ax2.set_title(f"{check.assessed:,} words: {'within' if check.within else 'outside'} the limit")
    fig.tight_layout()
    return fig
