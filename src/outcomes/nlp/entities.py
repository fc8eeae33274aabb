"""Entities: a spaCy component that finds the States, organisations and people a sentence names.

States and organisations come from the gazetteer (English and French names,
acronyms, adjectives such as "the French delegation" or "la délégation
marocaine"); people come from the pipeline's named-entity recogniser.
Sets ``Doc._.mentions``: a list of ``{"id", "name", "kind", "text", "start", "end"}``
with token offsets.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .. import gazetteer

if not Doc.has_extension("mentions"):
    Doc.set_extension("mentions", default=None)

# An adjective names a State only next to one of these nouns: "French" in
# "the French delegation" is France; "in French" is a language.
_ADJECTIVE_NOUNS = {
    "en": {"delegation", "delegations", "government", "authority", "authorities", "colleague", "colleagues",
           "ministry", "presidency", "expert", "experts", "laboratory", "laboratories", "team", "partner",
           "partners", "friends", "hosts", "host", "side", "chairmanship", "embassy", "customs", "police",
           "institute", "university", "industry", "position", "proposal", "experience", "programme"},
    "fr": {"délégation", "délégations", "gouvernement", "autorité", "autorités", "collègue", "collègues",
           "ministère", "présidence", "expert", "experts", "laboratoire", "laboratoires", "équipe", "partenaire",
           "partenaires", "amis", "hôtes", "hôte", "côté", "ambassade", "douanes", "police", "institut",
           "université", "industrie", "position", "proposition", "expérience", "programme"},
}
PERSON_LABELS = {"PERSON", "PER"}
_ARTICLES = ("the ", "le ", "la ", "les ", "l'", "l’")


def _without_article(name: str) -> str:
    """Return a name without its leading article: the mention is "OIAC" in "l'OIAC"."""
    for article in _ARTICLES:
        if name.lower().startswith(article) and len(name) > len(article) + 1:
            return name[len(article):]
    return name


@Language.factory("outcomes_entities", default_config={"language": None, "people": True})
def make_entity_finder(nlp: Language, name: str, *, language: Optional[str], people: bool) -> "EntityFinder":
    """Create the entity finder for ``nlp``'s language from the shipped gazetteer."""
    return EntityFinder(nlp, name, language=language or nlp.lang, people=people)


class EntityFinder:
    """Find gazetteer States and organisations, and people from NER."""

    def __init__(self, nlp: Language, name: str = "outcomes_entities", *, language: str, people: bool = True):
        self.name = name
        self.language = language
        self.people = people
        self.entries = {e.id: e for e in gazetteer.load()}
        self.names = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.acronyms = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.adjectives = PhraseMatcher(nlp.vocab, attr="LOWER")
        for entry in self.entries.values():
            names, acronyms = [], []
            for lang_names in entry.names.values():
                for text in sorted({_without_article(t) for t in lang_names}):
                    for variant in (text, text.replace("'", "’")):
                        (acronyms if variant.isupper() and len(variant) <= 8 else names).append(variant)
            if names:
                self.names.add(entry.id, [nlp.make_doc(t) for t in names])
            if acronyms:
                self.acronyms.add(entry.id, [nlp.make_doc(t) for t in acronyms])
            adjectives = entry.adjectives.get(language, ())
            if adjectives:
                self.adjectives.add(entry.id, [nlp.make_doc(t) for t in adjectives])

    def __call__(self, doc: Doc) -> Doc:
        """Find the mentions in ``doc``."""
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> List[Tuple[str, int, int]]:
        """Return (entry id or "PERSON", start, end), longest first where matches overlap."""
        strings = doc.vocab.strings
        found = [(strings[m], s, e) for m, s, e in self.names(doc)]
        found += [(strings[m], s, e) for m, s, e in self.acronyms(doc)]
        nouns = _ADJECTIVE_NOUNS.get(self.language, set())
        for match_id, start, end in self.adjectives(doc):
            near = {t.lower_ for t in doc[max(0, start - 2):min(len(doc), end + 1)]}
            if near & nouns:
                found.append((strings[match_id], start, end))
        if self.people:
            found += [("PERSON", ent.start, ent.end) for ent in doc.ents if ent.label_ in PERSON_LABELS]
        found.sort(key=lambda f: (f[1], -(f[2] - f[1])))
        kept: List[Tuple[str, int, int]] = []
        for item in found:
            if kept and item[1] < kept[-1][2]:
                continue  # inside a longer mention ("South Sudan" holds "Sudan")
            kept.append(item)
        return kept

    def set_annotations(self, doc: Doc, matches: List[Tuple[str, int, int]]) -> None:
        """Set ``doc._.mentions``."""
        mentions: List[Dict] = []
        for ident, start, end in matches:
            text = doc[start:end].text
            if ident == "PERSON":
                mentions.append({"id": None, "name": text, "kind": "person", "text": text, "start": start, "end": end})
                continue
            entry = self.entries[ident]
            mentions.append({"id": entry.id, "name": entry.name, "kind": entry.kind, "text": text,
                             "start": start, "end": end})
        doc._.mentions = mentions
