"""The report's figures: each a function of one table, returning SVG text.

SVG keeps figures sharp in the PDF and byte-stable across builds (fixed hash
salt, no date in the metadata); text is drawn as paths so no font is fetched.
"""

from __future__ import annotations

import functools
import io
from typing import Dict, List

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

# One colour per theme position, colour-blind safe (Okabe-Ito).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
_STYLE = {
    # labels are transcript and manifest text: "$5 and $6" is money, not mathematics
    "text.parse_math": False,
    "svg.hashsalt": "outcomes",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
}


def _key(value) -> object:
    """Return a hashable stand-in for a figure function's argument (a table by its contents)."""
    if isinstance(value, pd.DataFrame):
        return ("frame", tuple(map(str, value.columns)), tuple(map(str, value.index)),
                tuple(map(str, value.dtypes)), value.to_json(orient="values", double_precision=15))
    if isinstance(value, dict):
        return ("dict", tuple(sorted((str(k), _key(v)) for k, v in value.items())))
    if isinstance(value, (list, tuple)):
        return ("list", tuple(_key(v) for v in value))
    return value


def _remembered(draw):
    """Draw each figure once per process for the same inputs: the same table gives the same SVG.

    A rebuild in the warm preview after a curation-only change redraws nothing.
    """
    drawn: Dict[object, str] = {}

    @functools.wraps(draw)
    def remembered(*args, **kwargs):
        key = (_key(list(args)), _key(kwargs))
        if key not in drawn:
            if len(drawn) >= 32:
                drawn.clear()
            drawn[key] = draw(*args, **kwargs)
        return drawn[key]

    return remembered


def _svg(fig) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


@_remembered
def prominence(table: pd.DataFrame, labels: Dict[str, str], xlabel: str) -> str:
    """Draw the share of findings per theme as horizontal bars."""
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(6.2, 2.4))
        names = [labels[t] for t in table["theme"]][::-1]
        values = (table["share"] * 100).tolist()[::-1]
        colours = PALETTE[: len(table)][::-1]
        bars = ax.barh(names, values, color=colours)
        for bar, value, count in zip(bars, values, table["findings"].tolist()[::-1]):
            ax.text(bar.get_width() + 0.5, bar.get_y() + bar.get_height() / 2, f"{value:.0f}% ({count})",
                    va="center", fontsize=8)
        ax.set_xlabel(xlabel)
        ax.set_xlim(0, max(values + [1]) * 1.25)
        return _svg(fig)


@_remembered
def heatmap(matrix: pd.DataFrame, row_labels: List[str], column_labels: List[str], caption: str) -> str:
    """Draw sessions x themes as a heatmap with the count in each cell."""
    with plt.rc_context(_STYLE):
        height = 0.32 * len(matrix) + 1.2
        fig, ax = plt.subplots(figsize=(6.2, height))
        data = matrix.to_numpy()
        ax.imshow(data, cmap="Blues", aspect="auto", vmin=0, vmax=max(int(data.max()), 1))
        ax.set_xticks(range(len(column_labels)), column_labels)
        ax.set_yticks(range(len(row_labels)), row_labels)
        ax.tick_params(axis="x", labelrotation=0, labelsize=8)
        ax.tick_params(axis="y", labelsize=8)
        limit = data.max() * 0.6 if data.size else 0
        for (i, j), value in pd.DataFrame(data).stack().items():
            ax.text(j, i, str(int(value)), ha="center", va="center", fontsize=8,
                    color="white" if value > limit else "black")
        ax.set_title(caption, loc="left")
        for side in ("top", "right", "left", "bottom"):
            ax.spines[side].set_visible(False)
        return _svg(fig)


@_remembered
def themes_by_day(table: pd.DataFrame, labels: Dict[str, str], day_labels: List[str], ylabel: str) -> str:
    """Draw the number of findings per theme on each day of the conference (grouped bars)."""
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(6.2, 2.6))
        themes = list(table.columns)
        width = 0.8 / max(len(themes), 1)
        for k, theme in enumerate(themes):
            xs = [i + (k - (len(themes) - 1) / 2) * width for i in range(len(table))]
            ax.bar(xs, table[theme].tolist(), width=width, color=PALETTE[k % len(PALETTE)], label=labels[theme])
        ax.set_xticks(range(len(table)), day_labels)
        ax.set_ylabel(ylabel)
        ax.legend(fontsize=7, frameon=False, ncol=2)
        return _svg(fig)


@_remembered
def words_by_delegation(table: pd.DataFrame, xlabel: str, top: int = 15) -> str:
    """Draw the words spoken by the most active delegations."""
    with plt.rc_context(_STYLE):
        head = table.head(top)
        fig, ax = plt.subplots(figsize=(6.2, 0.25 * len(head) + 0.9))
        ax.barh(head["delegation"].tolist()[::-1], head["words"].tolist()[::-1], color=PALETTE[0])
        ax.set_xlabel(xlabel)
        ax.tick_params(axis="y", labelsize=8)
        return _svg(fig)


@_remembered
def cooccurrence(matrix: pd.DataFrame, labels: List[str]) -> str:
    """Draw how often two themes are found in the same sentence (the diagonal: sentences with the theme)."""
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(4.6, 3.6))
        data = matrix.to_numpy()
        ax.imshow(data, cmap="Greens", vmin=0, vmax=max(int(data.max()), 1))
        ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
        ax.set_yticks(range(len(labels)), labels)
        limit = data.max() * 0.6 if data.size else 0
        for (i, j), value in pd.DataFrame(data).stack().items():
            ax.text(j, i, str(int(value)), ha="center", va="center", fontsize=8,
                    color="white" if value > limit else "black")
        for side in ("top", "right", "left", "bottom"):
            ax.spines[side].set_visible(False)
        return _svg(fig)
