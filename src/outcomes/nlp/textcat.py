"""The theme classifier at run time: where it lives, loading it, its probabilities.

It complements the codebook where wording is indirect ("a grudge and a hardware
store"). The theme tagger fuses the two per sentence; the codebook stays the
way to add a theme or a term. It is trained on the project's gold dev split
(``data/gold/<lang>-dev.jsonl``) and on the development part of the real texts
(:mod:`outcomes.realtext`), so that it has seen real speech that is about none of
the themes; never on a test part.

The saved model holds hashed word features and no vocabulary: no word list of the
third-party texts is written into the repository (the hashes are all it needs).

Training is in :mod:`outcomes.nlp.training` (``python -m outcomes.nlp.training``).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Dict, List, Sequence

#: How much the classifier's probability counts beside the codebook (see outcomes.nlp.themes).
MODEL_WEIGHT = 0.7


def model_dir(language: str) -> Path:
    """Return where the shipped classifier for ``language`` lives."""
    return Path(str(resources.files("outcomes") / "data" / "models" / f"textcat-{language}"))


@lru_cache(maxsize=None)
def load(path: str):
    """Return the classifier saved at ``path`` (cached per process), or None if there is none."""
    import spacy

    folder = Path(path)
    if not (folder / "config.cfg").is_file():
        return None
    return spacy.load(folder)


def predict(classifier, texts: Sequence[str]) -> List[Dict[str, float]]:
    """Return each text's theme probabilities."""
    return [doc.cats for doc in classifier.pipe((t.lower() for t in texts), batch_size=256)]
