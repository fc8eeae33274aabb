"""A minimal manifest, sessions read by one named speaker, and the README naming every manifest key (issue 11)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from outcomes import conference
from outcomes.transcripts import UNKNOWN_SPEAKER

ROOT = Path(__file__).resolve().parents[1]

STATEMENTS = """\
title: "Statements on the Convention"
sessions:
  - {id: N1, transcript: n1.txt, speaker: "Amal Benali", delegation: "Morocco", language: en}
  - {id: N2, transcript: n2.txt, speaker: "Claire Dubois", delegation: "France", language: fr}
  - {id: N3, transcript: n3.txt, language: en}
  - {id: N4, transcript: n4.txt, speaker: "Pieter van Dijk", delegation: "nan", language: en}
"""

N1 = """Mr. President, my delegation welcomes the work of the OPCW Technical Secretariat on verification.

Challenge inspections and the analysis of samples by designated laboratories remain the core of the verification regime \
under the Chemical Weapons Convention, and artificial intelligence should help inspectors without replacing them.

We recommend that every AI tool used for sampling and analysis is validated before inspectors rely on it.
"""
N2 = """Monsieur le Président, la France soutient pleinement l'Organisation pour l'interdiction des armes chimiques.

Les codes de conduite et la supervision humaine sont au cœur d'une gouvernance éthique de l'intelligence artificielle \
appliquée à la chimie, et nous recommandons que l'OIAC adopte des principes de transparence.
"""
N3 = """Training programmes for the staff of national authorities, delivered through international cooperation, build \
the capacity of States Parties to implement the Convention.

The laboratory twinning programme of the OPCW has trained analytical chemists from many regions.
"""
N4 = """Thank you. The Technical Secretariat has begun to test machine learning on declarations, to flag anomalies \
for inspectors to verify under the Chemical Weapons Convention.
"""


@pytest.fixture
def statements(tmp_path) -> Path:
    folder = tmp_path / "statements"
    folder.mkdir()
    (folder / "conference.yml").write_text(STATEMENTS, encoding="utf-8")
    for name, text in (("n1", N1), ("n2", N2), ("n3", N3), ("n4", N4)):
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def test_a_title_and_sessions_are_a_whole_manifest(statements):
    loaded = conference.load(statements)
    assert loaded.venue == "" and loaded.organisers == [] and loaded.start is None and loaded.end is None
    assert loaded.languages == ["en", "fr"]
    first = loaded.sessions[0]
    assert first.title == "N1" and first.date is None


def test_a_named_single_speaker_reads_the_whole_statement(statements):
    loaded = conference.load(statements)
    turns = loaded.read_transcript(loaded.sessions[0]).turns
    assert {(t.speaker, t.delegation) for t in turns} == {("Amal Benali", "Morocco")}
    unnamed = loaded.read_transcript(loaded.sessions[2]).turns
    assert {t.speaker for t in unnamed} == {UNKNOWN_SPEAKER}
    # an empty cell exported by pandas is no delegation
    assert loaded.sessions[3].delegation is None
    assert {(t.speaker, t.delegation) for t in loaded.read_transcript(loaded.sessions[3]).turns} == {
        ("Pieter van Dijk", None)}


def test_dates_default_to_the_sessions_and_a_one_day_conference_dates_its_sessions(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.txt").write_text("Amal Benali: Hello.\n", encoding="utf-8")
    (folder / "conference.yml").write_text(
        "title: T\ndates: {start: 2024-10-22, end: 2024-10-22}\nsessions:\n  - {id: A, transcript: a.txt, language: en}\n"
        "  - {id: B, transcript: a.txt, language: en}\n", encoding="utf-8")
    assert [s.date.isoformat() for s in conference.load(folder).sessions] == ["2024-10-22", "2024-10-22"]
    (folder / "conference.yml").write_text(
        "title: T\nsessions:\n  - {id: A, transcript: a.txt, language: en, date: 2024-10-23}\n"
        "  - {id: B, transcript: a.txt, language: en, date: 2024-10-21}\n", encoding="utf-8")
    loaded = conference.load(folder)
    assert (loaded.start.isoformat(), loaded.end.isoformat()) == ("2024-10-21", "2024-10-23")


def _schema_keys(schema: dict) -> set:
    keys = set()
    for name, sub in (schema.get("properties") or {}).items():
        keys.add(name)
        keys |= _schema_keys(sub)
    if isinstance(schema.get("items"), dict):
        keys |= _schema_keys(schema["items"])
    return keys


def test_the_readme_names_every_key_of_the_manifest_schema():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_]+)`", readme))
    missing = sorted(_schema_keys(conference.SCHEMA) - documented)
    assert not missing, f"README.md does not document manifest keys: {missing}"


@pytest.mark.e2e
def test_a_conference_of_statements_names_every_speaker(statements, tmp_path):
    from outcomes import build

    result = build.run(statements, tmp_path / "out", pdf=False, jobs=1, build_date="2024-10-25")
    html = (result.output / "outcomes-report.html").read_text(encoding="utf-8")
    for name in ("Amal Benali", "Claire Dubois", "Pieter van Dijk"):
        assert name in html
    text = re.sub(r"<[^>]+>", " ", html)
    # the unnamed session is counted apart, never as a speaker
    assert "not attributed to a named speaker" in text and "N3" in text
    speakers = re.search(r'class="para-text">(\d+) speakers from', html)
    assert speakers and speakers.group(1) == "3"
    # no empty value shows anywhere: report, transcript pages, exports
    outputs = [result.output / "outcomes-report.html", *sorted((result.output / "sessions").glob("*.html")),
               result.output / "findings.csv", result.output / "sessions.csv"]
    for path in outputs:
        shown = re.sub(r"<(script|style)\b.*?</\1>", " ", path.read_text(encoding="utf-8"), flags=re.S)
        shown = re.sub(r"<[^>]+>", " ", shown)
        assert not re.search(r"\bnan\b|\bNone\b(?! stopped)|\(\s*\)", shown), path.name  # "None stopped the build" is ours
    findings = json.loads((result.output / "findings.json").read_text(encoding="utf-8"))["findings"]
    assert findings and all(f["delegation"] not in ("nan", "None", "") for f in findings)
    with open(result.output / "findings.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["speaker"] for r in rows} <= {"Amal Benali", "Claire Dubois", "Pieter van Dijk", UNKNOWN_SPEAKER}


@pytest.mark.e2e
def test_build_quiet_still_says_how_many_warnings_and_where(statements, tmp_path):
    import subprocess
    import sys

    outcomes = str(Path(sys.executable).with_name("outcomes"))
    result = subprocess.run([outcomes, "build", str(statements), "--output", str(tmp_path / "out"), "--no-pdf",
                             "--quiet", "--build-date", "2024-10-25"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(lines) == 1 and re.search(r"\d+ warnings?: read them in the report's annex", lines[0]), result.stderr
    assert "manifest.json" in lines[0]
