"""Procedural sentences are never key statements or recommendations."""

from __future__ import annotations

import pandas as pd
import pytest

from outcomes import aggregate
from outcomes.procedural import is_procedural


@pytest.mark.parametrize("text, language", [
    ("I give the floor to the representative of France.", "en"),
    ("In accordance with rule 37 of its provisional rules of procedure, the Council invites the "
     "representative of Syria to participate in this meeting.", "en"),
    ("Thank you, Madam President.", "en"),
    ("Agenda item 3: verification and artificial intelligence.", "en"),
    ("The meeting was called to order at 10.05 a.m.", "en"),
    ("Je donne la parole au représentant du Maroc.", "fr"),
    ("Merci, Monsieur le Président.", "fr"),
    ("La séance est levée à 13 h 05.", "fr"),
])
def test_procedure_is_recognised(text, language):
    assert is_procedural(text, language)


@pytest.mark.parametrize("text, language", [
    ("We recommend that the OPCW trains laboratory staff in Africa in AI-assisted analysis.", "en"),
    ("Thank you for this recommendation on the verification regime, which my delegation will carry out in "
     "every designated laboratory we fund.", "en"),
    ("Nous recommandons que l'OIAC forme des inspecteurs à l'analyse assistée par l'IA.", "fr"),
])
def test_substance_is_not_procedure(text, language):
    assert not is_procedural(text, language)


def _finding(id_, text, score, procedural, proposal=None):
    return {"id": id_, "session": "S1", "turn": int(id_[-1]), "speaker": f"Speaker {id_}", "theme": "verification",
            "score": score, "n_cues": 1, "words": 20, "text": text, "procedural": procedural, "proposal": proposal,
            "language": "en"}


def test_a_procedural_finding_is_not_a_key_statement_unless_pinned(monkeypatch):
    monkeypatch.setattr(aggregate.calibration, "key_threshold", lambda language, theme: 0.5)
    findings = pd.DataFrame([_finding("f1", "I invite the representative ...", 0.99, True),
                             _finding("f2", "Inspections need validated tools ...", 0.97, False)])
    chosen = aggregate._key_statements(findings, "verification", pinned=[])
    assert list(chosen["id"]) == ["f2"]
    pinned = aggregate._key_statements(findings, "verification", pinned=["f1"])
    assert set(pinned["id"]) == {"f1", "f2"}
