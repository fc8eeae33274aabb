"""Training the theme classifier (maintainers; the report only loads it, see :mod:`outcomes.nlp.textcat`).

It is trained on the project's gold dev split (``data/gold/<lang>-dev.jsonl``) and on
the development part of the real texts (:mod:`outcomes.realtext`), so that it has seen
real speech that is about none of the themes; never on a test part. The saved model
holds hashed word features and no vocabulary: no word list of the third-party texts
is written into the repository.

Train (deterministic, a few seconds per language)::

    python -m outcomes.nlp.training           # writes src/outcomes/data/models/textcat-<lang>/
"""

from __future__ import annotations

import random
import shutil
import sys
from typing import Optional, Sequence

from .textcat import model_dir

#: Bag-of-words over words and word pairs, hashed into this many slots per label.
ARCHITECTURE = {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False, "ngram_size": 2,
                "no_output_layer": False, "length": 65536}
EPOCHS = 25
BATCH = 16
DROPOUT = 0.2
SEED = 0


def train(language: str, texts: Sequence[str], labels: Sequence[Sequence[str]], themes: Sequence[str],
          seed: int = SEED, epochs: int = EPOCHS):
    """Return a blank pipeline of ``language`` with a trained ``textcat_multilabel``.

    Texts are lowercased, as :func:`predict` does.
    """
    import spacy
    from spacy.training import Example

    spacy.util.fix_random_seed(seed)
    nlp = spacy.blank(language)
    classifier = nlp.add_pipe("textcat_multilabel", config={"model": dict(ARCHITECTURE)})
    for theme in themes:
        classifier.add_label(theme)
    examples = [Example.from_dict(nlp.make_doc(text.lower()), {"cats": {t: float(t in gold) for t in themes}})
                for text, gold in zip(texts, labels)]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(examples)
        for start in range(0, len(examples), BATCH):
            nlp.update(examples[start:start + BATCH], sgd=optimizer, drop=DROPOUT)
    return nlp


def training_data(language: str, themes: Sequence[str]):
    """Return ``(texts, labels, description)``: the gold dev split plus the real-text dev part, if present."""
    from .. import realtext
    from ..gold import gold_path, load_gold

    gold = load_gold(gold_path(language, "dev"), themes)
    texts = [g.text for g in gold]
    labels = [list(g.labels) for g in gold]
    description = f"{len(gold)} sentences of data/gold/{language}-dev.jsonl"
    if realtext.available(language):
        real = realtext.select(realtext.load(language, themes), "dev", language)
        texts += [p.text for p in real]
        labels += [list(p.labels) for p in real]
        description += f" and {len(real)} paragraphs of the real-text dev part"
    else:
        print(f"note: {realtext.missing_message([language])}; training on the gold dev split only")
    return texts, labels, description


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Train and save the classifier for each language from its development data."""
    from ..codebook import load as load_codebook

    languages = list(argv if argv is not None else sys.argv[1:]) or ["en", "fr"]
    themes = load_codebook().ids
    for language in languages:
        texts, labels, description = training_data(language, themes)
        nlp = train(language, texts, labels, themes)
        nlp.meta["name"] = f"outcomes_textcat_{language}"
        nlp.meta["description"] = f"Theme classifier for outcomes, trained on {description}"
        target = model_dir(language)
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        nlp.to_disk(target, exclude=["vocab"])  # hashed features only: no word list of the texts
        print(f"{language}: trained on {description} -> {target}")


if __name__ == "__main__":
    main()
