"""Measure theme extraction against gold labels: precision, recall, F1 and Cohen's kappa.

Two measures, the first the headline:

- **Real text** (:func:`evaluate_realtext`): third-party paragraphs read by path (see
  :mod:`outcomes.realtext`), scored per paragraph (a paragraph carries the union of
  its sentences' themes), on the frozen dev and test parts of a split by document,
  with a bootstrap interval over paragraphs for F1. :func:`realtext_errors` and
  :func:`cue_table` lay out the dev part's errors by the cue that fired.
- **The project's own gold** (:func:`evaluate`): sentences in ``data/gold/`` (see its
  ``GUIDELINES.md``): ``<lang>-dev.jsonl`` may be used for tuning;
  ``<lang>-test.jsonl`` is the frozen held-out split, only ever scored here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence

import pandas as pd

from .gold import GOLD_DIR, SPLITS, GoldSentence, gold_path, load_gold  # noqa: F401  (re-exported)


def predict(nlp, texts: Iterable[str]) -> List[List[str]]:
    """Return the themes the pipeline gives each text (the union over its sentences)."""
    predictions = []
    for doc in nlp.pipe(texts, batch_size=64):
        found = set()
        for sent in doc.sents:
            found.update(sent._.themes or [])
        predictions.append(sorted(found))
    return predictions


def cohen_kappa(gold: Sequence[bool], predicted: Sequence[bool]) -> float:
    """Return Cohen's kappa between two binary labelings of the same items."""
    n = len(gold)
    if n == 0:
        return float("nan")
    observed = sum(g == p for g, p in zip(gold, predicted)) / n
    p_gold = sum(gold) / n
    p_pred = sum(predicted) / n
    expected = p_gold * p_pred + (1 - p_gold) * (1 - p_pred)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def score(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]], themes: Sequence[str]) -> pd.DataFrame:
    """Return one row per theme (precision, recall, F1, kappa, support) plus a macro row.

    Kappa is per theme (gold vs predicted, as two raters of a yes/no label); the
    macro row averages each column over the themes.
    """
    rows = []
    for theme in themes:
        g = [theme in labels for labels in gold]
        p = [theme in labels for labels in predicted]
        tp = sum(a and b for a, b in zip(g, p))
        fp = sum(b and not a for a, b in zip(g, p))
        fn = sum(a and not b for a, b in zip(g, p))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append({"theme": theme, "precision": precision, "recall": recall, "f1": f1,
                     "kappa": cohen_kappa(g, p), "support": sum(g)})
    table = pd.DataFrame(rows)
    macro = {"theme": "macro", "precision": table["precision"].mean(), "recall": table["recall"].mean(),
             "f1": table["f1"].mean(), "kappa": table["kappa"].mean(), "support": int(table["support"].sum())}
    return pd.concat([table, pd.DataFrame([macro])], ignore_index=True)


def evaluate(languages: Sequence[str] = ("en", "fr"), split: str = "test", folder: Optional[Path] = None,
             codebook: str = "default", loader=None) -> pd.DataFrame:
    """Score the extraction on a gold split, per language and theme.

    Parameters
    ----------
    languages : sequence of str
        Languages to score.
    split : str
        "test" (the held-out split) or "dev".
    folder : Path, optional
        Where the gold files are; ``data/gold`` by default.
    codebook : str
        The codebook to evaluate.
    loader : callable, optional
        ``loader(language, codebook) -> nlp``; :func:`outcomes.nlp.load` by default.

    Returns
    -------
    DataFrame
        Columns language, theme, precision, recall, f1, kappa, support, sentences.
    """
    from . import nlp as pipelines
    from .codebook import load as load_codebook

    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}")
    loader = loader or pipelines.load
    themes = load_codebook(codebook).ids
    frames = []
    for language in languages:
        gold = load_gold(gold_path(language, split, folder), themes)
        nlp = loader(language, codebook)
        predicted = predict(nlp, [g.text for g in gold])
        table = score([g.labels for g in gold], predicted, themes)
        table.insert(0, "language", language)
        table["sentences"] = len(gold)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


def errors(language: str, split: str = "dev", folder: Optional[Path] = None, codebook: str = "default",
           loader=None) -> pd.DataFrame:
    """Return the gold sentences the extraction gets wrong (for tuning: use the dev split only)."""
    from . import nlp as pipelines
    from .codebook import load as load_codebook

    loader = loader or pipelines.load
    themes = load_codebook(codebook).ids
    gold = load_gold(gold_path(language, split, folder), themes)
    predicted = predict(loader(language, codebook), [g.text for g in gold])
    rows = []
    for sentence, found in zip(gold, predicted):
        missed = sorted(set(sentence.labels) - set(found))
        extra = sorted(set(found) - set(sentence.labels))
        if missed or extra:
            rows.append({"id": sentence.id, "missed": ", ".join(missed), "extra": ", ".join(extra),
                         "text": sentence.text})
    return pd.DataFrame(rows, columns=["id", "missed", "extra", "text"])


TARGET_MACRO = 0.85
TARGET_THEME = 0.80
#: Issue 10's target on the real-text test parts: macro-F1, and precision for every theme.
TARGET_REALTEXT = 0.80


def targets(table: pd.DataFrame) -> Dict[str, str]:
    """Return, per language, whether the held-out targets are met, in words."""
    verdicts = {}
    for language, values in summary(table).items():
        rows = table[(table["language"] == language) & (table["theme"] != "macro")]
        weakest = rows.sort_values("f1").iloc[0]
        met = values["macro_f1"] >= TARGET_MACRO and values["min_f1"] >= TARGET_THEME
        verdicts[language] = (f"{'met' if met else 'missed'}: macro-F1 {values['macro_f1']:.3f} "
                              f"(target {TARGET_MACRO}), lowest theme {weakest['theme']} {weakest['f1']:.3f} "
                              f"(target {TARGET_THEME})")
    return verdicts


def fingerprint(languages: Sequence[str] = ("en", "fr"), codebook: str = "default",
                folder: Optional[Path] = None) -> str:
    """Return a hash of everything an evaluation depends on (gold data, codebook, models, versions).

    Cheap enough for every build: it reads files and package metadata, and imports no spaCy.
    """
    import hashlib
    from importlib import metadata

    from . import __version__
    from .cache import pipeline_version
    from .fingerprint import ANALYSIS_CODE, code
    from .fingerprint import hash_files as _hash_files
    from . import realtext
    from .codebook import load as load_codebook
    from .nlp import textcat

    digest = hashlib.sha256()
    digest.update(f"{__version__} spacy {metadata.version('spacy')} {load_codebook(codebook).sha256}".encode())
    digest.update(f"code {code(ANALYSIS_CODE)} {code(('evaluation.py', 'realtext.py'))}".encode())
    for language in languages:
        digest.update(pipeline_version(language).encode())
        _hash_files(digest, [gold_path(language, split, folder) for split in SPLITS] + [textcat.model_dir(language)])
        # the real texts are measured when this machine has them: their presence is part of the key
        present = realtext.available(language)
        digest.update(f"realtext {language} {present}".encode())
        if present:
            _hash_files(digest, list(realtext.files(language)) + [realtext.SPLIT_FILE])
    return digest.hexdigest()[:20]


def for_annex(language: str, codebook: str = "default") -> pd.DataFrame:
    """Return what the methodology annex shows for ``language``: real text first, then the own gold.

    The real text is its frozen test part, per paragraph, with F1 intervals (when this
    machine has the texts); the own gold is its held-out split. Column ``source`` says
    which ("realtext" or "gold"), ``items`` how many paragraphs or sentences were scored.
    """
    from . import realtext

    frames = []
    if realtext.available(language):
        real = evaluate_realtext([language], ["test"], codebook=codebook).drop(columns=["part"])
        frames.append(real.rename(columns={"paragraphs": "items"}).assign(source="realtext"))
    frames.append(own_gold([language], codebook))
    return pd.concat(frames, ignore_index=True)


def own_gold(languages: Sequence[str], codebook: str = "default") -> pd.DataFrame:
    """Return the own gold's held-out accuracy as the annex shows it (``items``, ``source`` "gold")."""
    table = evaluate(languages, "test", codebook=codebook)
    return table.rename(columns={"sentences": "items"}).assign(source="gold")


def cache_path(cache_dir: Path, key: str, languages: Sequence[str] = ("en", "fr")) -> Optional[Path]:
    """Return where the held-out evaluation with fingerprint ``key`` is cached, or None without gold data."""
    if not all(gold_path(language, "test").exists() for language in languages):
        return None
    return Path(cache_dir) / f"evaluation-{key}.json"


def summary(table: pd.DataFrame) -> Dict[str, Dict[str, float]]:
    """Return ``{language: {"macro_f1", "min_f1", "kappa"}}`` from an :func:`evaluate` table."""
    result = {}
    for language, rows in table.groupby("language", sort=True):
        per_theme = rows[rows["theme"] != "macro"]
        macro = rows[rows["theme"] == "macro"].iloc[0]
        result[language] = {"macro_f1": round(float(macro["f1"]), 3), "min_f1": round(float(per_theme["f1"].min()), 3),
                            "kappa": round(float(macro["kappa"]), 3)}
    return result


# --- Real text: paragraph level, with intervals and the errors by cue -------------------------------

BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 7
#: Shown for a false negative with no cue of its theme at all (not even one under the threshold).
NO_CUE = "(no cue)"
#: The cue term under which the theme tagger lists its trained classifier (see :mod:`outcomes.nlp.themes`).
CLASSIFIER = "classifier"


@dataclass
class ParagraphPrediction:
    """The themes the pipeline gives a paragraph and, per theme, the cues behind them.

    ``fired`` holds the cues (codebook terms, or "classifier") of a theme in the
    sentences that carry it; ``weak`` those in sentences that do not (under the
    threshold), which is what a false negative had to go on.
    """

    themes: List[str]
    fired: Dict[str, List[str]]
    weak: Dict[str, List[str]]


def explain(nlp, texts: Iterable[str]) -> List[ParagraphPrediction]:
    """Return the themes of each text (the union over its sentences) with the cues of each theme."""
    results = []
    for doc in nlp.pipe(texts, batch_size=64):
        fired: Dict[str, set] = {}
        weak: Dict[str, set] = {}
        for sent in doc.sents:
            tagged = set(sent._.themes or [])
            for cue in sent._.theme_cues or []:
                target = fired if cue["theme"] in tagged else weak
                target.setdefault(cue["theme"], set()).add(cue["term"])
        results.append(ParagraphPrediction(sorted(fired), {t: sorted(c) for t, c in fired.items()},
                                           {t: sorted(c) for t, c in weak.items()}))
    return results


def _indicators(labels: Sequence[Sequence[str]], themes: Sequence[str]):
    """Return a boolean matrix, one row per item and one column per theme."""
    import numpy as np

    return np.array([[theme in found for theme in themes] for found in labels], dtype=bool).reshape(-1, len(themes))


def f1_intervals(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]], themes: Sequence[str],
                 resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED,
                 level: float = 0.95) -> pd.DataFrame:
    """Return a percentile bootstrap interval of each theme's F1 and of the macro-F1, over items.

    Every resample draws the items with replacement once for all themes, so the
    macro interval is that of the macro-F1 itself, not a mix of theme intervals.

    Parameters
    ----------
    gold, predicted : sequence of sequence of str
        The themes of each item.
    themes : sequence of str
        The themes to score.
    resamples : int
        Bootstrap resamples.
    seed : int
        Seed of :func:`numpy.random.default_rng`: the same inputs give the same interval.
    level : float
        The interval's coverage.

    Returns
    -------
    DataFrame
        Columns theme, f1_low, f1_high; one row per theme, then "macro".
    """
    import numpy as np

    g, p = _indicators(gold, themes), _indicators(predicted, themes)
    n = len(g)
    if n == 0:
        return pd.DataFrame({"theme": [*themes, "macro"], "f1_low": float("nan"), "f1_high": float("nan")})
    draws = np.random.default_rng(seed).integers(0, n, size=(resamples, n))
    tp = (g & p)[draws].sum(axis=1)
    wrong = (g ^ p)[draws].sum(axis=1)  # false positives plus false negatives
    denominator = 2 * tp + wrong
    # F1 = 2TP / (2TP + FP + FN), and 0 when a resample has neither gold nor predicted cases (as in score)
    f1 = np.divide(2 * tp, denominator, out=np.zeros(tp.shape), where=denominator > 0)
    f1 = np.column_stack([f1, f1.mean(axis=1)])
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(f1, [tail, 100 - tail], axis=0)
    return pd.DataFrame({"theme": [*themes, "macro"], "f1_low": low, "f1_high": high})


def score_with_intervals(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]], themes: Sequence[str],
                         resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED) -> pd.DataFrame:
    """Return :func:`score`'s table with the F1 interval and the number predicted per theme.

    Returns
    -------
    DataFrame
        Columns theme, precision, recall, f1, f1_low, f1_high, kappa, support, predicted.
    """
    table = score(gold, predicted, themes).merge(f1_intervals(gold, predicted, themes, resamples, seed), on="theme")
    counts = [sum(theme in found for found in predicted) for theme in themes]
    table["predicted"] = [*counts, sum(counts)]
    return table[["theme", "precision", "recall", "f1", "f1_low", "f1_high", "kappa", "support", "predicted"]]


def _realtext_predictions(language: str, paragraphs, codebook: str, loader) -> List[ParagraphPrediction]:
    from . import nlp as pipelines

    return explain((loader or pipelines.load)(language, codebook), [p.text for p in paragraphs])


def evaluate_realtext(languages: Sequence[str] = ("en", "fr"), parts: Sequence[str] = ("dev", "test"),
                      folder: Optional[Path] = None, codebook: str = "default", loader=None,
                      resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED,
                      split_file: Optional[Path] = None) -> pd.DataFrame:
    """Score the extraction on the real-text paragraphs, per language, part of the split and theme.

    A paragraph's predicted themes are the union of its sentences' themes; its gold
    themes are those of the real text's ``labels.jsonl`` (see :mod:`outcomes.realtext`).

    Parameters
    ----------
    languages : sequence of str
        Languages to score; each needs its real-text set (see :func:`outcomes.realtext.available`).
    parts : sequence of str
        Parts of the frozen split: "dev" (may be tuned on), "test" (never).
    folder : Path, optional
        Where the real texts are; see :func:`outcomes.realtext.root`.
    codebook : str
        The codebook to evaluate.
    loader : callable, optional
        ``loader(language, codebook) -> nlp``; :func:`outcomes.nlp.load` by default.
    resamples, seed : int
        Of the bootstrap interval of F1 (see :func:`f1_intervals`).
    split_file : Path, optional
        The frozen split; ``outcomes/data/realtext-split.json`` by default.

    Returns
    -------
    DataFrame
        Columns language, part, theme, precision, recall, f1, f1_low, f1_high, kappa,
        support, predicted, paragraphs.

    Raises
    ------
    InputError
        When a real-text set is missing or malformed, or does not fit the split.
    """
    from . import realtext
    from .codebook import load as load_codebook

    themes = load_codebook(codebook).ids
    split = realtext.load_split(split_file)
    frames = []
    for language in languages:
        chosen = {part: realtext.select(realtext.load(language, themes, folder), part, language, split)
                  for part in parts}
        # one pass of the pipeline for all parts: loading and running it is the cost
        everything = [p for part in parts for p in chosen[part]]
        predictions = iter(_realtext_predictions(language, everything, codebook, loader))
        for part in parts:
            found = [next(predictions).themes for _ in chosen[part]]
            table = score_with_intervals([p.labels for p in chosen[part]], found, themes, resamples, seed)
            table.insert(0, "part", part)
            table.insert(0, "language", language)
            table["paragraphs"] = len(chosen[part])
            frames.append(table)
    return pd.concat(frames, ignore_index=True)


def error_rows(paragraphs, predictions: Sequence[ParagraphPrediction], themes: Sequence[str]) -> pd.DataFrame:
    """Return one row per paragraph and theme the extraction gets wrong, with the cues behind it.

    A false positive lists the cues of the theme in the sentences that carry it; a
    false negative the cues of the theme that stayed under the threshold, or
    :data:`NO_CUE`.

    Returns
    -------
    DataFrame
        Columns id, theme, error ("fp" or "fn"), cues (a list of str), source (what
        the cues were: "classifier", "codebook", "both", or "none").
    """
    rows = []
    for paragraph, prediction in zip(paragraphs, predictions):
        for theme in themes:
            gold, found = theme in paragraph.labels, theme in prediction.themes
            if found and not gold:
                cues, error = prediction.fired[theme], "fp"
            elif gold and not found:
                cues, error = prediction.weak.get(theme, []), "fn"
            else:
                continue
            rows.append({"id": paragraph.id, "theme": theme, "error": error, "cues": cues or [NO_CUE],
                         "source": _source(cues)})
    return pd.DataFrame(rows, columns=["id", "theme", "error", "cues", "source"])


def _source(cues: Sequence[str]) -> str:
    """Return whether ``cues`` come from the classifier, the codebook, both, or none."""
    model = CLASSIFIER in cues
    terms = any(cue != CLASSIFIER for cue in cues)
    return {(True, True): "both", (True, False): "classifier", (False, True): "codebook"}.get((model, terms), "none")


def cue_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Return, per theme and kind of error, how many wrong paragraphs each cue appears in.

    A paragraph counts once for each distinct cue it holds, so a theme's counts may add
    up to more than its errors.

    Returns
    -------
    DataFrame
        Columns theme, error, cue, paragraphs; most frequent first within a theme and error.
    """
    exploded = rows.explode("cues").rename(columns={"cues": "cue"})
    if exploded.empty:
        return pd.DataFrame(columns=["theme", "error", "cue", "paragraphs"])
    table = exploded.groupby(["theme", "error", "cue"]).size().reset_index(name="paragraphs")
    return table.sort_values(["theme", "error", "paragraphs", "cue"], ascending=[True, True, False, True],
                             ignore_index=True)


def realtext_errors(language: str, folder: Optional[Path] = None, codebook: str = "default",
                    loader=None, split_file: Optional[Path] = None) -> pd.DataFrame:
    """Return the dev part's errors on the real text, one row per paragraph and theme (see :func:`error_rows`).

    Only the dev part: the test part's errors are never looked at, so nothing is tuned on them.

    Raises
    ------
    InputError
        When the real-text set is missing or malformed.
    """
    from . import realtext
    from .codebook import load as load_codebook

    themes = load_codebook(codebook).ids
    paragraphs = realtext.select(realtext.load(language, themes, folder), "dev", language,
                                 realtext.load_split(split_file))
    return error_rows(paragraphs, _realtext_predictions(language, paragraphs, codebook, loader), themes)


def source_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Return, per theme and kind of error, how many wrong paragraphs rest on each source of cues.

    Returns
    -------
    DataFrame
        Columns theme, error, source, paragraphs.
    """
    table = rows.groupby(["theme", "error", "source"]).size().reset_index(name="paragraphs")
    return table.sort_values(["theme", "error", "source"], ignore_index=True)
