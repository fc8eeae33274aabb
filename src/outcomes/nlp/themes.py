"""The theme tagger: a spaCy component that tags sentences with codebook themes.

Each sentence gets ``Span._.themes`` (theme ids at or over the threshold),
``Span._.theme_scores`` (every theme with a cue, its score) and
``Span._.theme_cues`` (the cues that fired: theme, term, tier, the words as said).

Two sources of evidence are fused per sentence and theme: the codebook's cues
(score ``c``) and, where one is shipped for the language, the trained theme
classifier (probability ``p``, see :mod:`outcomes.nlp.textcat`):
``score = 1 - (1 - c) * (1 - model_weight * p)``. The classifier shows up
among the cues as ``{"term": "classifier", "tier": "model", "text": "p=0.82"}``
when it adds to a theme, so every tag stays explainable. Themes the classifier
was not trained on (a theme a rapporteur adds) rest on the codebook alone.

A theme fires only where its subject is: a theme with ``requires_<language>``
groups in the codebook (chemical terrorism needs a chemical link *and* an actor)
keeps its score in a sentence only when the sentence holds a term of one group
and a term of every group stands in it or in the ``context`` sentences before it
in the same doc (a turn, a paragraph): "They" after "toxic chemicals" still
refers to them. Otherwise no cue of the theme counts there, unless a strong cue
or a confident classifier (``model_bypass``) puts the subject in view. A word said twice, or in its singular and plural,
is one cue: cues count once per lemma.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from typing import Dict, Hashable, List, Optional, Set, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..codebook import Codebook, Term
from ..codebook import load as load_codebook
from . import textcat

for _name, _default in (("themes", None), ("theme_scores", None), ("theme_cues", None)):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=_default)


@dataclass(frozen=True)
class Cue:
    """A codebook term found in a sentence."""

    theme: str
    term: str
    tier: str
    weight: float
    start: int  # token index in the doc
    end: int
    lemma: Tuple[str, ...] = ()  # the lemmas of the words as said: "rules" and "rule" are one cue

    def as_dict(self, doc: Doc) -> dict:
        """Return the cue as a JSON-ready dict, with the words as said."""
        return {"theme": self.theme, "term": self.term, "tier": self.tier, "text": doc[self.start:self.end].text}


@Language.factory(
    "outcomes_themes",
    default_config={"codebook": "default", "language": None, "model": "default", "model_weight": 0.7,
                    "model_bypass": 0.9},
)
def make_theme_tagger(nlp: Language, name: str, *, codebook: str, language: Optional[str], model: str,
                      model_weight: float, model_bypass: float) -> "ThemeTagger":
    """Create the theme tagger for ``nlp`` from a codebook file ("default" for the shipped one).

    ``model`` is a trained classifier folder, "default" for the one shipped for
    the language (if any), or "" for the codebook alone.
    """
    language = language or nlp.lang
    if model == "default":
        model = str(textcat.model_dir(language))
    classifier = textcat.load(model) if model else None
    return ThemeTagger(nlp, name, codebook=load_codebook(codebook), language=language,
                       classifier=classifier.get_pipe("textcat_multilabel") if classifier else None,
                       model_weight=model_weight, model_bypass=model_bypass)


class _Lexicon:
    """Terms found by their words as written or their lemmas; a term ``word*`` finds any word starting so."""

    def __init__(self, make_doc):
        self._make_doc = make_doc
        # first word -> [(words, payload)]; words as the pipeline's tokenizer splits them
        self._index: Dict[str, List[Tuple[Tuple[str, ...], Hashable]]] = defaultdict(list)
        self._prefixes: List[Tuple[str, Hashable]] = []

    def add(self, text: str, payload: Hashable) -> None:
        """Add the term ``text``; :meth:`at` returns ``payload`` where it is found."""
        if text.endswith("*") and " " not in text:
            self._prefixes.append((text[:-1].lower(), payload))
            return
        words = tuple(t.lower_ for t in self._make_doc(text))
        if words:
            self._index[words[0]].append((words, payload))

    def at(self, i: int, lowers: List[str], lemmas: List[str]) -> List[Tuple[int, Hashable]]:
        """Return ``(length in words, payload)`` of every term that starts at word ``i``."""
        found = []
        n = len(lowers)
        for key in dict.fromkeys((lowers[i], lemmas[i])):
            for words, payload in self._index.get(key, ()):
                end = i + len(words)
                if end <= n and all(w == lowers[i + k] or w == lemmas[i + k] for k, w in enumerate(words)):
                    found.append((len(words), payload))
        for prefix, payload in self._prefixes:
            if lowers[i].startswith(prefix):
                found.append((1, payload))
        return found


class ThemeTagger:
    """Tag sentences with themes from codebook terms, matched on words and lemmas."""

    def __init__(self, nlp: Language, name: str = "outcomes_themes", *, codebook: Codebook, language: str,
                 classifier=None, model_weight: float = 0.7, model_bypass: float = 0.9):
        self.name = name
        self.language = language
        self.classifier = classifier
        self.model_weight = model_weight
        # a classifier this sure of a theme puts its subject in view without the codebook's anchors
        self.model_bypass = model_bypass
        self._make_doc = nlp.make_doc
        self._build(codebook)

    def _build(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self.threshold = codebook.threshold
        self._thresholds = {t: codebook.threshold_of(t) for t in codebook.ids}
        language = self.language
        self._terms = _Lexicon(self._make_doc)  # payload: (theme id, Term)
        self._anchors = _Lexicon(self._make_doc)  # payload: (theme id, group name)
        self._requires: Dict[str, Tuple[str, ...]] = {}
        self._strong_in_view: Set[str] = set()  # themes whose strong terms need no anchors
        self._context: Dict[str, int] = {}
        self._exclude: Dict[str, Optional[re.Pattern]] = {}
        for theme in codebook.themes:
            for term in theme.terms.get(language, []):
                self._terms.add(term.text, (theme.id, term))
            groups = theme.requires.get(language, {})
            for group, anchors in groups.items():
                for anchor in anchors:
                    self._anchors.add(anchor, (theme.id, group))
            if theme.strong_in_view:
                self._strong_in_view.add(theme.id)
            if groups:
                self._requires[theme.id] = tuple(groups)
                self._context[theme.id] = theme.context
            words = theme.exclude.get(language, ())
            self._exclude[theme.id] = (
                re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I) if words else None
            )

    def __call__(self, doc: Doc) -> Doc:
        """Tag every sentence of ``doc``."""
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> List[Cue]:
        """Return every codebook term found in ``doc`` (longest match per theme and place)."""
        lowers = [t.lower_ for t in doc]
        lemmas = [t.lemma_.lower() or t.lower_ for t in doc]  # a blank pipeline has no lemmas
        found: List[Cue] = []
        for i in range(len(doc)):
            # every term that matches here, by the word as written or its lemma
            matches: Dict[str, List[Tuple[int, float, str, Term]]] = defaultdict(list)
            for length, (theme_id, term) in self._terms.at(i, lowers, lemmas):
                matches[theme_id].append((length, term.weight, term.text, term))
            for theme_id in sorted(matches):
                # longest, then strongest, then a fixed order of the texts (a term beats its own
                # prefix: "rules" over "rule"); never the order of a set, which varies by process
                length, _, _, term = max(matches[theme_id], key=lambda m: (m[0], m[1], tuple(-ord(c) for c in m[2])))
                found.append(Cue(theme_id, term.text, term.tier, term.weight, i, i + length,
                                 tuple(lemmas[i:i + length])))
        return _drop_nested(found)

    def anchors(self, doc: Doc) -> List[Tuple[int, str, str]]:
        """Return ``(token index, theme id, group)`` of every required anchor term found in ``doc``."""
        if not self._requires:
            return []
        lowers = [t.lower_ for t in doc]
        lemmas = [t.lemma_.lower() or t.lower_ for t in doc]  # a blank pipeline has no lemmas
        return [(i, theme_id, group) for i in range(len(doc))
                for _, (theme_id, group) in self._anchors.at(i, lowers, lemmas)]

    def _gated(self, doc: Doc, starts: List[int]) -> List[Set[str]]:
        """Return, per sentence, the themes whose required anchors are not in view there.

        In view: one group's term in the sentence, and every group's term in it or in
        the theme's ``context`` sentences before it.
        """
        count = len(starts)
        present: List[Set[Tuple[str, str]]] = [set() for _ in range(count)]
        for token, theme_id, group in self.anchors(doc):
            present[bisect_right(starts, token) - 1].add((theme_id, group))
        gated: List[Set[str]] = [set() for _ in range(count)]
        for theme_id, groups in self._requires.items():
            reach = self._context[theme_id]
            for index in range(count):
                window = present[max(0, index - reach):index + 1]
                here = any((theme_id, group) in present[index] for group in groups)
                if not here or not all(any((theme_id, group) in found for found in window) for group in groups):
                    gated[index].add(theme_id)
        return gated

    def set_annotations(self, doc: Doc, cues: List[Cue]) -> None:
        """Score each sentence from its cues (and the classifier) and set the span extensions."""
        sentences = list(doc.sents)
        # Token.sent walks the sentence to find its bounds: per cue, that is quadratic in
        # the length of a long sentence; a search in the sorted sentence starts is not.
        starts = [sent.start for sent in sentences]
        by_sentence: Dict[int, List[Cue]] = defaultdict(list)
        for cue in cues:
            by_sentence[starts[bisect_right(starts, cue.start) - 1]].append(cue)
        probabilities = self.classify([s.text for s in sentences]) if self.classifier is not None else None
        gated = self._gated(doc, starts)
        for index, sent in enumerate(sentences):
            scores, kept = self.score(sent, by_sentence.get(sent.start, []))
            cue_dicts = [c.as_dict(doc) for c in kept]
            if probabilities is not None:
                for theme, p in probabilities[index].items():
                    lift = self.model_weight * p
                    fused = 1.0 - (1.0 - scores.get(theme, 0.0)) * (1.0 - lift)
                    if lift >= 0.05:
                        scores[theme] = round(fused, 3)
                        cue_dicts.append({"theme": theme, "term": "classifier", "tier": "model", "text": f"p={p:.2f}"})
            # a strong cue is specific to its theme ("challenge inspection"), and so is a confident
            # classifier (it has learnt the theme's own vocabulary): either puts the subject in view
            gated[index] -= {c.theme for c in kept if c.tier == "strong" and c.theme in self._strong_in_view}
            if probabilities is not None:
                gated[index] -= {t for t, p in probabilities[index].items() if p >= self.model_bypass}
            if gated[index]:  # the theme's subject is not in view: none of its evidence counts here
                scores = {t: v for t, v in scores.items() if t not in gated[index]}
                cue_dicts = [c for c in cue_dicts if c["theme"] not in gated[index]]
            sent._.theme_scores = dict(sorted(scores.items()))
            sent._.themes = [t for t in self.codebook.ids if scores.get(t, 0.0) >= self._thresholds[t]]
            sent._.theme_cues = cue_dicts

    def classify(self, texts: List[str]) -> List[Dict[str, float]]:
        """Return the classifier's probability of each theme it knows, per text."""
        if not texts:
            return []
        docs = [self._make_doc(text.lower()) for text in texts]
        scores = self.classifier.predict(docs)
        labels = [label for label in self.classifier.labels if label in self.codebook.ids]
        columns = [self.classifier.labels.index(label) for label in labels]
        return [{label: float(row[c]) for label, c in zip(labels, columns)} for row in scores]

    def score(self, sent: Span, cues: List[Cue]) -> Tuple[Dict[str, float], List[Cue]]:
        """Return the codebook's theme scores of ``sent`` and the cues that count.

        No cue counts in a sentence about the venue or the programme (the
        theme's ``context_exclude`` words): "we resume in this room with the
        session on verification" is logistics, not verification.
        """
        text = sent.text
        excluded: Dict[str, bool] = {}  # per theme: searching the sentence once per cue is quadratic
        for cue in cues:
            if cue.theme not in excluded:
                pattern = self._exclude.get(cue.theme)
                excluded[cue.theme] = pattern is not None and pattern.search(text) is not None
        kept = [cue for cue in cues if not excluded[cue.theme]]
        remaining: Dict[str, float] = defaultdict(lambda: 1.0)
        seen = set()
        for cue in kept:
            # a word said twice, or in its singular and its plural, is one cue
            key = (cue.theme, cue.lemma or cue.term)
            if key in seen:
                continue
            seen.add(key)
            remaining[cue.theme] *= 1.0 - cue.weight
        return {theme: round(1.0 - rest, 3) for theme, rest in remaining.items()}, kept

    def to_disk(self, path, *, exclude=()):
        """Write the codebook beside the pipeline so the saved pipeline is self-contained."""
        from pathlib import Path

        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "codebook.yml").write_bytes(Path(self.codebook.path).read_bytes())

    def from_disk(self, path, *, exclude=()):
        """Read the codebook saved by :meth:`to_disk`."""
        from pathlib import Path

        self._build(load_codebook(str(Path(path) / "codebook.yml")))
        return self


def _drop_nested(cues: List[Cue]) -> List[Cue]:
    """Drop a cue lying inside a longer cue of the same theme ("sampling" in "sampling and analysis").

    A cue is kept unless a cue of its theme kept before it covers it. Cues are taken by
    start, longest first, so every cue kept before starts at or before this one: it is
    covered exactly when the furthest end kept so far for its theme reaches its end.
    That is one comparison per cue instead of one per kept cue (quadratic in a long turn).
    """
    kept: List[Cue] = []
    furthest: Dict[str, int] = {}
    for cue in sorted(cues, key=lambda c: (c.start, -(c.end - c.start))):
        if cue.theme in furthest and cue.end <= furthest[cue.theme]:
            continue
        kept.append(cue)
        furthest[cue.theme] = max(furthest.get(cue.theme, cue.end), cue.end)
    return kept
