"""Measure theme extraction against the gold data: precision, recall, F1 and Cohen's kappa.

Gold data lives in ``data/gold/`` (see its ``GUIDELINES.md``): ``<lang>-dev.jsonl``
may be used for tuning; ``<lang>-test.jsonl`` is the frozen held-out split,
only ever scored here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence

import pandas as pd

from .errors import InputError

GOLD_DIR = Path(__file__).resolve().parents[2] / "data" / "gold"
SPLITS = ("dev", "test")


@dataclass
class GoldSentence:
    """One annotated sentence."""

    id: str
    lang: str
    register: str
    text: str
    labels: List[str]


def gold_path(language: str, split: str, folder: Optional[Path] = None) -> Path:
    """Return the gold file of a language and split."""
    return Path(folder or GOLD_DIR) / f"{language}-{split}.jsonl"


def load_gold(path, themes: Sequence[str]) -> List[GoldSentence]:
    """Read a gold JSONL file, checking every label is a theme of the codebook.

    Raises
    ------
    InputError
        When a line is not JSON, lacks a field, or has an unknown label.
    """
    path = Path(path)
    sentences = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", path) from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            sentence = GoldSentence(record["id"], record["lang"], record.get("register", ""), record["text"],
                                    list(record["labels"]))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(f"is not a gold record ({exc})", path, number) from exc
        unknown = set(sentence.labels) - set(themes)
        if unknown:
            raise InputError(f"unknown theme(s) {sorted(unknown)}", path, number)
        sentences.append(sentence)
    return sentences


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
    from .cache import _hash_files, pipeline_version
    from .codebook import load as load_codebook
    from .nlp import textcat

    digest = hashlib.sha256()
    digest.update(f"{__version__} spacy {metadata.version('spacy')} {load_codebook(codebook).sha256}".encode())
    for language in languages:
        digest.update(pipeline_version(language).encode())
        _hash_files(digest, [gold_path(language, split, folder) for split in SPLITS] + [textcat.model_dir(language)])
    return digest.hexdigest()[:20]


def cache_path(cache_dir: Path, key: str, languages: Sequence[str] = ("en", "fr")) -> Optional[Path]:
    """Return where the held-out evaluation with fingerprint ``key`` is cached, or None without gold data."""
    if not all(gold_path(language, "test").exists() for language in languages):
        return None
    return Path(cache_dir) / f"evaluation-{key}.json"


def for_report(analyses_dir: Optional[str] = None, codebook: str = "default") -> Optional[pd.DataFrame]:
    """Return the held-out evaluation for the report's annex: saved by the build, else computed."""
    saved = Path(analyses_dir) / "evaluation.json" if analyses_dir else None
    if saved is not None and saved.exists():
        table = pd.read_json(saved, orient="records")
        return table if len(table) else None
    if not all(gold_path(language, "test").exists() for language in ("en", "fr")):
        return None
    table = evaluate(("en", "fr"), "test", codebook=codebook)
    if saved is not None:
        table.to_json(saved, orient="records", indent=1)
    return table


def summary(table: pd.DataFrame) -> Dict[str, Dict[str, float]]:
    """Return ``{language: {"macro_f1", "min_f1", "kappa"}}`` from an :func:`evaluate` table."""
    result = {}
    for language, rows in table.groupby("language", sort=True):
        per_theme = rows[rows["theme"] != "macro"]
        macro = rows[rows["theme"] == "macro"].iloc[0]
        result[language] = {"macro_f1": round(float(macro["f1"]), 3), "min_f1": round(float(per_theme["f1"].min()), 3),
                            "kappa": round(float(macro["kappa"]), 3)}
    return result
