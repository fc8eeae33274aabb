"""States, organisations and adjectives found by the entity component (blank pipelines)."""

from __future__ import annotations

import pytest
import spacy

from outcomes import gazetteer
from outcomes.nlp import entities  # noqa: F401


def mentions(language, text):
    nlp = spacy.blank(language)
    nlp.add_pipe("outcomes_entities", config={"people": False})
    return [(m["id"], m["text"]) for m in nlp(text)._.mentions]


def test_gazetteer_holds_the_193_states_parties():
    states = [e for e in gazetteer.load() if e.kind == "state"]
    assert sum(1 for e in states if e.cwc_party) == 193
    assert not next(e for e in states if e.id == "EGY").cwc_party


@pytest.mark.parametrize("language, text, expected", [
    ("en", "The French delegation thanked Morocco.", [("FRA", "French"), ("MAR", "Morocco")]),
    ("en", "She spoke in French about the OPCW.", [("OPCW", "OPCW")]),
    ("en", "South Sudan joined.", [("SSD", "South Sudan")]),
    ("fr", "La délégation marocaine salue l'OIAC et l'Union africaine.",
     [("MAR", "marocaine"), ("OPCW", "OIAC"), ("AU", "Union africaine")]),
])
def test_mentions(language, text, expected):
    assert mentions(language, text) == expected


def test_acronyms_are_case_sensitive():
    assert mentions("en", "We who are here") == []
    assert ("WHO", "WHO") in mentions("en", "The WHO was represented.")


@pytest.mark.parametrize("written, canonical", [
    ("Maroc", "Morocco"), ("Côte d'Ivoire", "Côte d'Ivoire"), ("Union européenne", "European Union"),
    ("Oxford Institute for Ethics in AI", "Oxford Institute for Ethics in AI"),
])
def test_delegations_get_one_canonical_name(written, canonical):
    assert gazetteer.canonical_delegation(written) == canonical
