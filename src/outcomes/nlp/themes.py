"""The theme tagger: a spaCy component that tags sentences with codebook themes.

Each sentence gets ``Span._.themes`` (theme ids at or over the threshold),
``Span._.theme_scores`` (every theme with a cue, its score) and
``Span._.theme_cues`` (the cues that fired: theme, term, tier, the words as said).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..codebook import Codebook, Term
from ..codebook import load as load_codebook

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

    def as_dict(self, doc: Doc) -> dict:
        """Return the cue as a JSON-ready dict, with the words as said."""
        return {"theme": self.theme, "term": self.term, "tier": self.tier, "text": doc[self.start:self.end].text}


@Language.factory(
    "outcomes_themes",
    default_config={"codebook": "default", "language": None},
)
def make_theme_tagger(nlp: Language, name: str, *, codebook: str, language: Optional[str]) -> "ThemeTagger":
    """Create the theme tagger for ``nlp`` from a codebook file ("default" for the shipped one)."""
    return ThemeTagger(nlp, name, codebook=load_codebook(codebook), language=language or nlp.lang)


class ThemeTagger:
    """Tag sentences with themes from codebook terms, matched on words and lemmas."""

    def __init__(self, nlp: Language, name: str = "outcomes_themes", *, codebook: Codebook, language: str):
        self.name = name
        self.language = language
        self._make_doc = nlp.make_doc
        self._build(codebook)

    def _build(self, codebook: Codebook) -> None:
        self.codebook = codebook
        self.threshold = codebook.threshold
        language = self.language
        # first word -> [(words, theme id, term)]; words as the pipeline's tokenizer splits them
        self._index: Dict[str, List[Tuple[Tuple[str, ...], str, Term]]] = defaultdict(list)
        self._prefixes: List[Tuple[str, str, Term]] = []
        self._exclude: Dict[str, Optional[re.Pattern]] = {}
        for theme in codebook.themes:
            for term in theme.terms.get(language, []):
                if term.text.endswith("*") and " " not in term.text:
                    self._prefixes.append((term.text[:-1].lower(), theme.id, term))
                    continue
                words = tuple(t.lower_ for t in self._make_doc(term.text))
                self._index[words[0]].append((words, theme.id, term))
            words = theme.exclude.get(language, ())
            self._exclude[theme.id] = (
                re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I) if words else None
            )
        for entries in self._index.values():
            entries.sort(key=lambda e: -len(e[0]))

    def __call__(self, doc: Doc) -> Doc:
        """Tag every sentence of ``doc``."""
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> List[Cue]:
        """Return every codebook term found in ``doc`` (longest match per theme and place)."""
        lowers = [t.lower_ for t in doc]
        lemmas = [t.lemma_.lower() for t in doc]
        found: List[Cue] = []
        n = len(doc)
        for i in range(n):
            keys = {lowers[i], lemmas[i]}
            taken: Dict[str, int] = {}
            for key in keys:
                for words, theme_id, term in self._index.get(key, ()):
                    end = i + len(words)
                    if end > n or taken.get(theme_id, 0) >= end:
                        continue
                    if all(w == lowers[i + k] or w == lemmas[i + k] for k, w in enumerate(words)):
                        taken[theme_id] = end
                        found.append(Cue(theme_id, term.text, term.tier, term.weight, i, end))
            for prefix, theme_id, term in self._prefixes:
                if theme_id not in taken and lowers[i].startswith(prefix):
                    taken[theme_id] = i + 1
                    found.append(Cue(theme_id, term.text, term.tier, term.weight, i, i + 1))
        return _drop_nested(found)

    def set_annotations(self, doc: Doc, cues: List[Cue]) -> None:
        """Score each sentence from its cues and set the span extensions."""
        by_sentence: Dict[int, List[Cue]] = defaultdict(list)
        for cue in cues:
            by_sentence[doc[cue.start].sent.start].append(cue)
        for sent in doc.sents:
            scores, kept = self.score(sent, by_sentence.get(sent.start, []))
            sent._.theme_scores = scores
            sent._.themes = [t for t in self.codebook.ids if scores.get(t, 0.0) >= self.threshold]
            sent._.theme_cues = [c.as_dict(doc) for c in kept]

    def score(self, sent: Span, cues: List[Cue]) -> Tuple[Dict[str, float], List[Cue]]:
        """Return the theme scores of ``sent`` and the cues that count.

        No cue counts in a sentence about the venue or the programme (the
        theme's ``context_exclude`` words): "we resume in this room with the
        session on verification" is logistics, not verification.
        """
        kept: List[Cue] = []
        for cue in cues:
            pattern = self._exclude.get(cue.theme)
            if pattern is not None and pattern.search(sent.text):
                continue
            kept.append(cue)
        remaining: Dict[str, float] = defaultdict(lambda: 1.0)
        seen = set()
        for cue in kept:
            if (cue.theme, cue.term) in seen:  # a term said twice is one cue
                continue
            seen.add((cue.theme, cue.term))
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
    """Drop a cue lying inside a longer cue of the same theme ("sampling" in "sampling and analysis")."""
    kept: List[Cue] = []
    for cue in sorted(cues, key=lambda c: (c.start, -(c.end - c.start))):
        if any(k.theme == cue.theme and k.start <= cue.start and cue.end <= k.end and k is not cue for k in kept):
            continue
        kept.append(cue)
    return kept
