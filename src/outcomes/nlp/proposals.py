"""Proposals: a spaCy component that marks sentences that propose, recommend, call for, urge or commit.

Sets ``Span._.proposal`` on each sentence to the kind of proposal
("recommend", "propose", "call", "urge", "commit", "should") or None.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Dict, List, Optional, Tuple

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

if not Span.has_extension("proposal"):
    Span.set_extension("proposal", default=None)

# Patterns per language, keyed by kind. Lemmas carry the inflections; a kind
# listed first wins when several fire in one sentence.
KINDS = ("commit", "recommend", "urge", "call", "propose", "should")
PATTERNS: Dict[str, Dict[str, List[List[dict]]]] = {
    "en": {
        "recommend": [[{"LEMMA": {"IN": ["recommend", "recommendation"]}}]],
        "propose": [[{"LEMMA": {"IN": ["propose", "proposal", "suggest"]}, "POS": {"IN": ["VERB", "NOUN", "AUX"]}}],
                    [{"LOWER": "let"}, {"LOWER": "us"}, {"POS": "VERB"}]],
        "call": [[{"LEMMA": "call"}, {"LOWER": {"IN": ["on", "upon", "for"]}}],
                 [{"LEMMA": "invite"}, {"POS": {"IN": ["PROPN", "NOUN", "PRON", "DET"]}}],
                 [{"LEMMA": "encourage"}]],
        "urge": [[{"LEMMA": "urge"}], [{"LEMMA": "appeal"}, {"LOWER": "to"}]],
        "commit": [[{"LEMMA": {"IN": ["commit", "pledge", "undertake"]}}],
                   [{"LEMMA": "will"}, {"LEMMA": {"IN": ["host", "fund", "contribute", "provide", "offer",
                                                         "organise", "organize", "share", "finance", "support"]}}],
                   [{"LOWER": "we"}, {"LOWER": "are"}, {"LOWER": "ready"}, {"LOWER": "to"}]],
        "should": [[{"POS": {"IN": ["NOUN", "PROPN", "PRON"]}, "LOWER": {"NOT_IN": ["i", "you", "it", "that", "this"]}},
                    {"LOWER": {"IN": ["should", "must"]}}, {"POS": {"IN": ["VERB", "AUX"]}}],
                   [{"LOWER": "we"}, {"LOWER": "need"}, {"LOWER": "to"}, {"POS": "VERB"}]],
    },
    "fr": {
        "recommend": [[{"LEMMA": {"IN": ["recommander", "recommandation"]}}]],
        "propose": [[{"LEMMA": {"IN": ["proposer", "proposition", "suggérer"]}}]],
        "call": [[{"LEMMA": "appeler"}, {"LOWER": {"IN": ["à", "les", "l'", "le", "la", "tous", "toutes"]}}],
                 [{"LEMMA": "inviter"}],
                 [{"LEMMA": "encourager"}],
                 [{"LEMMA": "plaider"}, {"LOWER": {"IN": ["pour", "en"]}}]],
        "urge": [[{"LEMMA": "exhorter"}], [{"LOWER": {"IN": ["demandons", "demande"]}}, {"LOWER": {"IN": ["à", "que"]}}]],
        "commit": [[{"LEMMA": "engager"}], [{"LOWER": {"IN": ["engagement", "engagements"]}}],
                   [{"LOWER": {"IN": ["accueillera", "financera", "contribuera", "organisera", "mettra", "partagera",
                                      "accueillerons", "financerons", "organiserons", "mettrons", "partagerons"]}}]],
        "should": [[{"LOWER": {"IN": ["devrait", "devraient", "devrions", "doivent", "devons"]}}, {"POS": {"IN": ["VERB", "AUX"]}}],
                   [{"LOWER": "il"}, {"LOWER": {"IN": ["faudrait", "faut"]}}]],
    },
}


@Language.factory("outcomes_proposals", default_config={"language": None})
def make_proposal_finder(nlp: Language, name: str, *, language: Optional[str]) -> "ProposalFinder":
    """Create the proposal finder for ``nlp``'s language."""
    return ProposalFinder(nlp, name, language=language or nlp.lang)


class ProposalFinder:
    """Mark sentences that propose, recommend, call for, urge or commit."""

    def __init__(self, nlp: Language, name: str = "outcomes_proposals", *, language: str):
        self.name = name
        self.language = language
        self.matcher = Matcher(nlp.vocab)
        for kind, patterns in PATTERNS.get(language, PATTERNS["en"]).items():
            self.matcher.add(kind, patterns)

    def __call__(self, doc: Doc) -> Doc:
        """Mark the proposals in ``doc``."""
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> List[Tuple[str, int]]:
        """Return (kind, token index) for every proposal cue in ``doc``."""
        strings = doc.vocab.strings
        return [(strings[match_id], start) for match_id, start, _ in self.matcher(doc)]

    def set_annotations(self, doc: Doc, matches: List[Tuple[str, int]]) -> None:
        """Give each sentence the strongest kind of proposal found in it."""
        sentences = list(doc.sents)
        # Token.sent walks the whole sentence: per match, that is quadratic in a long one
        starts = [sent.start for sent in sentences]
        by_sentence: Dict[int, List[str]] = {}
        for kind, start in matches:
            by_sentence.setdefault(starts[bisect_right(starts, start) - 1], []).append(kind)
        for sent in sentences:
            kinds = by_sentence.get(sent.start)
            sent._.proposal = min(kinds, key=KINDS.index) if kinds else None
