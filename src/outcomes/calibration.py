"""What a theme score means: calibrated confidence, and the operating point of key statements.

A theme's raw score fuses codebook cues and the classifier; 0.8 does not by itself
mean "on this theme 8 times in 10". This module learns, per language and theme, a
monotone map from the raw score to the share of items that really were on the theme
(isotonic regression by pool-adjacent-violators), and the lowest raw score from which
findings were right at least :data:`KEY_PRECISION` of the time: the operating point
above which a finding may be shown as a key statement.

Both are fitted on development data only, never on a held-out or frozen test part: the
real-text development paragraphs (see :mod:`outcomes.realtext`), where an item is a
paragraph, its score the best score of its sentences, and it is right when the
paragraph's gold labels hold the theme. The classifier is trained on those same
paragraphs, so they are scored out of fold: each fold of development documents by a
classifier trained without it. Real speech is what a report is made of; the
project's own gold sentences, written so that nearly every one is about the Convention,
would make every score look right. Only where a language has no real text does the fit
fall back to its own gold development sentences (``data/gold/<lang>-dev.jsonl``).

The fit is written to ``outcomes/data/calibration.json`` by ``python -m
outcomes.calibration`` (``make models`` runs it after retraining the classifiers) and
read from there: building a report needs neither the real texts nor spaCy here.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

CALIBRATION_FILE = Path(__file__).resolve().parent / "data" / "calibration.json"
#: Key statements come from findings at or above the raw score where development precision reaches this.
KEY_PRECISION = 0.9
#: An operating point rests on at least this many development findings at or above it.
MIN_SUPPORT = 8
FORMAT = 1


@dataclass(frozen=True)
class ThemeFit:
    """One theme's calibration in one language.

    Attributes
    ----------
    scores, confidence : tuple of float
        Steps of the isotonic map: a raw score at or above ``scores[i]`` (and below
        the next step) has confidence ``confidence[i]``.
    operating_point : float or None
        The lowest raw score from which development precision is at least
        :data:`KEY_PRECISION` over at least :data:`MIN_SUPPORT` findings; None when
        no score reaches it (the theme then has key statements only where pinned).
    precision, support : float, int
        Development precision and number of findings at or above the operating point.
    items : int
        Development items with a score for the theme, the fit's size.
    """

    scores: Tuple[float, ...]
    confidence: Tuple[float, ...]
    operating_point: Optional[float]
    precision: Optional[float]
    support: int
    items: int

    def __call__(self, score: float) -> float:
        """Return the calibrated confidence of a raw ``score``."""
        index = bisect_right(self.scores, score) - 1
        return self.confidence[index] if index >= 0 else 0.0


def isotonic(points: Sequence[Tuple[float, bool]]) -> Tuple[Tuple[float, ...], Tuple[float, ...]]:
    """Fit a non-decreasing step map from score to the share of positives (pool adjacent violators).

    Parameters
    ----------
    points : sequence of (score, is positive)

    Returns
    -------
    scores, confidence : tuple of float
        The lower bound of each step and its share of positives, rounded to 3 places.
    """
    # one block per distinct score, merged with its left neighbour while it breaks monotonicity
    blocks: List[List[float]] = []  # [lowest score, positives, count]
    for score, positive in sorted(points):
        if blocks and blocks[-1][0] == score:
            blocks[-1][1] += positive
            blocks[-1][2] += 1
        else:
            blocks.append([score, float(positive), 1.0])
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            low, positives, count = blocks.pop()
            blocks[-1][1] += positives
            blocks[-1][2] += count
    return (tuple(round(b[0], 3) for b in blocks), tuple(round(b[1] / b[2], 3) for b in blocks))


def operating_point(points: Sequence[Tuple[float, bool]], precision: float = KEY_PRECISION,
                    min_support: int = MIN_SUPPORT) -> Tuple[Optional[float], Optional[float], int]:
    """Return the lowest score whose findings at or above it reach ``precision``, with their precision and number.

    Only scores that a finding has are candidates; ``(None, None, 0)`` when none reaches it
    over ``min_support`` findings.
    """
    ordered = sorted(points, key=lambda p: -p[0])
    best: Tuple[Optional[float], Optional[float], int] = (None, None, 0)
    positives = 0
    for index, (score, positive) in enumerate(ordered, start=1):
        positives += positive
        last_of_score = index == len(ordered) or ordered[index][0] != score
        if last_of_score and index >= min_support and positives / index >= precision:
            best = (round(score, 3), round(positives / index, 3), index)
    return best


def fit(points: Sequence[Tuple[float, bool]]) -> ThemeFit:
    """Return the calibration of one theme from its development ``(score, is positive)`` items."""
    scores, confidence = isotonic(points)
    point, precision, support = operating_point(points)
    return ThemeFit(scores, confidence, point, precision, support, len(points))


@lru_cache(maxsize=4)
def load(path: Optional[str] = None) -> Dict[str, Dict[str, ThemeFit]]:
    """Return the shipped fit: language -> theme -> :class:`ThemeFit` (empty when there is none)."""
    source = Path(path) if path else CALIBRATION_FILE
    if not source.exists():
        return {}
    data = json.loads(source.read_text(encoding="utf-8"))
    return {language: {theme: ThemeFit(tuple(t["scores"]), tuple(t["confidence"]), t["operating_point"],
                                       t["precision"], t["support"], t["items"])
                       for theme, t in themes.items()}
            for language, themes in data["languages"].items()}


def confidence(language: str, theme: str, score: float) -> Optional[float]:
    """Return the calibrated confidence of a finding, or None for a theme or language not calibrated."""
    found = load().get(language, {}).get(theme)
    return found(score) if found else None


def key_threshold(language: str, theme: str) -> Optional[float]:
    """Return the raw score a key statement needs, or None when the theme is not calibrated.

    A calibrated theme without an operating point gets ``inf``: no finding is
    confident enough to be shown as a key statement unless the rapporteur pins it.
    """
    found = load().get(language, {}).get(theme)
    if found is None:
        return None
    return found.operating_point if found.operating_point is not None else float("inf")


def table() -> "list[dict]":
    """Return one row per language and theme: operating point, its development precision and support."""
    return [{"language": language, "theme": theme, "operating_point": f.operating_point,
             "precision": f.precision, "support": f.support, "items": f.items}
            for language, themes in sorted(load().items()) for theme, f in themes.items()]


# ---------------------------------------------------------------------------------------------
# fitting (maintainers; needs spaCy, the gold dev split and, where present, the real texts)


#: Development documents are scored in this many folds, each by a classifier trained without it.
FOLDS = 5


def _folds(paragraphs, folds: int = FOLDS) -> List[list]:
    """Deal the paragraphs into ``folds`` groups by document, documents in sorted order (deterministic)."""
    documents = sorted({p.doc for p in paragraphs})
    fold_of = {doc: index % folds for index, doc in enumerate(documents)}
    groups: List[list] = [[] for _ in range(folds)]
    for paragraph in paragraphs:
        groups[fold_of[paragraph.doc]].append(paragraph)
    return [group for group in groups if group]


def _best_scores(nlp, texts: Sequence[str]) -> List[Dict[str, float]]:
    """Return each text's best sentence score per theme."""
    found = []
    for doc in nlp.pipe(texts, batch_size=64):
        best: Dict[str, float] = {}
        for sent in doc.sents:
            for theme, value in (sent._.theme_scores or {}).items():
                best[theme] = max(best.get(theme, 0.0), value)
        found.append(best)
    return found


def development_points(language: str, codebook: str = "default") -> Tuple[str, Dict[str, List[Tuple[float, bool]]]]:
    """Return what the fit rests on and, per theme, its ``(score, is positive)`` items.

    On real text the scores are **out of fold**: the shipped classifier was trained on
    the development paragraphs themselves, so its scores there are optimistic. The
    development documents are dealt into :data:`FOLDS` groups; each group is scored by
    a classifier trained as the shipped one is (gold dev split and real-text dev part)
    but without that group. Where a language has no real text, the fit uses its own
    gold development sentences, scored by the shipped classifier.

    A real-text paragraph's score is its best sentence's; an own-gold sentence's is its
    own. Items where the theme has no score at all are left out: they never become findings.
    """
    from . import nlp as pipelines
    from . import realtext
    from .codebook import load as load_codebook
    from .gold import gold_path, load_gold
    from .nlp import training

    themes = load_codebook(codebook).ids
    nlp = pipelines.load(language, codebook)
    points: Dict[str, List[Tuple[float, bool]]] = {theme: [] for theme in themes}

    def add(scored, labels) -> None:
        for best, gold in zip(scored, labels):
            for theme, value in best.items():
                if theme in points and value > 0:
                    points[theme].append((value, theme in gold))

    if not realtext.available(language):
        gold = load_gold(gold_path(language, "dev"), themes)
        add(_best_scores(nlp, [g.text for g in gold]), [g.labels for g in gold])
        return "gold dev", points
    tagger = nlp.get_pipe("outcomes_themes")
    shipped = tagger.classifier
    real = realtext.select(realtext.load(language, themes), "dev", language)
    gold = load_gold(gold_path(language, "dev"), themes)
    groups = _folds(real)
    try:
        for held in groups:
            kept = [p for group in groups if group is not held for p in group]
            model = training.train(language, [g.text for g in gold] + [p.text for p in kept],
                                   [list(g.labels) for g in gold] + [list(p.labels) for p in kept], themes)
            tagger.classifier = model.get_pipe("textcat_multilabel")
            add(_best_scores(nlp, [p.text for p in held]), [p.labels for p in held])
    finally:
        tagger.classifier = shipped
    return f"realtext dev, out of fold ({len(groups)} folds by document)", points


def save(languages: Sequence[str] = ("en", "fr"), codebook: str = "default",
         path: Path = CALIBRATION_FILE) -> dict:
    """Fit every language and theme on development data and write the result to ``path``."""
    document = {"format": FORMAT, "key_precision": KEY_PRECISION, "min_support": MIN_SUPPORT,
                "fitted_on": {}, "languages": {}}
    for language in languages:
        source, points = development_points(language, codebook)
        document["fitted_on"][language] = source
        fits = {theme: fit(found) for theme, found in points.items()}
        document["languages"][language] = {
            theme: {"scores": list(f.scores), "confidence": list(f.confidence), "operating_point": f.operating_point,
                    "precision": f.precision, "support": f.support, "items": f.items}
            for theme, f in fits.items()}
    path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    load.cache_clear()
    return document


if __name__ == "__main__":  # pragma: no cover - run by `make models`
    result = save()
    for language, themes in result["languages"].items():
        for theme, f in themes.items():
            print(f"{language} {theme:22} operating point {f['operating_point']} precision {f['precision']} "
                  f"support {f['support']} of {f['items']} items")
