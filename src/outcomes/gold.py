"""The project's own gold data: annotated sentences in ``data/gold/`` (see its ``GUIDELINES.md``).

``<lang>-dev.jsonl`` may be used for tuning and training; ``<lang>-test.jsonl`` is the
frozen held-out split, only ever scored. Reading is here; scoring is in
:mod:`outcomes.evaluation`, training in :mod:`outcomes.nlp.training`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence

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
