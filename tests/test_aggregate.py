"""Aggregation and curation, from synthetic analyses (no spaCy needed)."""

from __future__ import annotations

import json

import pytest

from outcomes import aggregate, conference, curation
from outcomes.analysis import SessionAnalysis, finding_id

LONG = "word " * 12


def sentence(taken, session, text, themes=(), speaker="Amal Benali", delegation="Morocco", proposal=None, turn=0):
    return {"id": finding_id(session, text, taken), "turn": turn, "speaker": speaker, "delegation": delegation,
            "start": 12.0, "line": 3, "text": text, "themes": list(themes),
            "scores": {t: 0.97 for t in themes}, "cues": [{"theme": t, "term": "x", "tier": "strong", "text": "x"}
                                                        for t in themes], "proposal": proposal}


def analysis(session_id, sentences, language="en"):
    return SessionAnalysis(
        session={"id": session_id, "title": f"Session {session_id}", "date": "2024-10-22", "language": language,
                 "chair": "Amal Benali", "start": "09:00", "end": "10:00", "panellists": []},
        source={"path": f"transcripts/{session_id}.txt", "sha256": "0" * 64, "format": "text", "words": 100,
                "turns": 1},
        pipeline={"language": language, "package": "blank", "version": "0", "spacy": "3", "components": []},
        codebook={"name": "codebook.yml", "sha256": "1" * 64, "threshold": 0.5},
        turns=[{"index": 0, "speaker": "Amal Benali", "delegation": "Morocco", "role": None, "start": 0.0,
                "end": 60.0, "line": 1, "words": 100}],
        sentences=sentences, mentions=[], warnings=[])


@pytest.fixture
def tiny(tiny_conference):
    return conference.load(tiny_conference)


def test_finding_ids_are_stable_and_unique():
    taken = {}
    first = finding_id("S01", "We recommend  training.", taken)
    again = finding_id("S01", "We recommend training.", taken)
    assert first.startswith("S01-") and again == first + "-2"
    assert finding_id("S01", "We recommend training.", {}) == first


def test_findings_one_row_per_theme_and_curation_applies(tiny):
    taken = {}
    s1 = sentence(taken, "T1", "Inspections " + LONG, ["verification"])
    s2 = sentence(taken, "T1", "Training and ethics " + LONG, ["capacity_building", "ethical_governance"],
                  proposal="recommend")
    s3 = sentence(taken, "T1", "Off topic " + LONG, ["verification"])
    analyses = [analysis("T1", [s1, s2, s3]), analysis("T2", [], "fr")]
    cur = curation.Curation(exclude=[s3["id"]], pin=[s1["id"]], rewrite={s2["id"]: "Training matters"},
                            key_messages=[curation.KeyMessage("AI needs oversight", [s2["id"], "T9-deadbeef"])])
    report = aggregate.build(tiny, analyses, cur)
    table = aggregate.findings_table(report)
    assert list(table.columns) == aggregate.FINDING_COLUMNS
    assert len(table) == 3 and s3["id"] not in set(table["id"])
    assert report.session_themes.loc["T1", "verification"] == 1
    assert report.key_statements["verification"]["id"].tolist() == [s1["id"]]
    assert report.findings.loc[report.findings["id"] == s2["id"], "summary"].iloc[0] == "Training matters"
    assert len(report.proposals) == 2
    assert report.key_messages()["text"].tolist() == ["AI needs oversight"]
    assert any("T9-deadbeef" in w for w in report.warnings)
    assert any("session T2: no sentences" in w for w in report.warnings)


def test_key_statements_spread_across_speakers(tiny, monkeypatch):
    # the spread is the point here, not the shipped operating point
    monkeypatch.setattr(aggregate.calibration, "key_threshold", lambda language, theme: 0.5)
    taken = {}
    same = [sentence(taken, "T1", f"Point {i} " + LONG, ["verification"], speaker="Pieter van Dijk", turn=i)
            for i in range(5)]
    other = sentence(taken, "T1", "Another view " + LONG, ["verification"], speaker="Claire Dubois", turn=9)
    report = aggregate.build(tiny, [analysis("T1", same + [other]), analysis("T2", [], "fr")], curation.Curation())
    chosen = report.key_statements["verification"]
    assert chosen["speaker"].value_counts().max() <= aggregate.PER_SPEAKER
    assert "Claire Dubois" in set(chosen["speaker"])


def test_without_curation_key_messages_are_the_strongest_findings(tiny, monkeypatch):
    monkeypatch.setattr(aggregate.calibration, "key_threshold", lambda language, theme: 0.5)
    taken = {}
    s1 = sentence(taken, "T1", "Inspections " + LONG, ["verification"])
    report = aggregate.build(tiny, [analysis("T1", [s1]), analysis("T2", [], "fr")], curation.Curation())
    messages = report.key_messages()
    assert messages["evidence"].tolist() == [s1["id"]] and not messages["curated"].any()


def test_curation_file_errors_name_the_file(tmp_path):
    path = tmp_path / "curation.yml"
    path.write_text("status: published\n", encoding="utf-8")
    with pytest.raises(curation.CurationError, match="curation.yml.*status 'published'"):
        curation.load(path)
    path.write_text("pin: [\n", encoding="utf-8")
    with pytest.raises(curation.CurationError, match="not valid YAML"):
        curation.load(path)


def test_an_analysis_of_another_format_is_refused_in_one_line(tmp_path):
    from outcomes.errors import InputError

    saved = analysis("T1", []).save(tmp_path / "T1.json")
    data = json.loads(saved.read_text(encoding="utf-8"))
    data["version"] = 1
    saved.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match="format 1, not 2"):
        SessionAnalysis.load(saved)
