"""A session's language: declared, or detected when the manifest leaves it out."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from outcomes import conference
from outcomes.cli import main
from outcomes.errors import ManifestError
from outcomes.language import detect


def test_detects_english_and_french():
    assert detect(["We recommend that the Technical Secretariat validate every tool it uses."]) == "en"
    assert detect(["Nous recommandons que le Secrétariat technique valide chacun de ses outils."]) == "fr"


def test_unsupported_language_is_an_error():
    with pytest.raises(ValueError, match="none of which is supported"):
        detect(["Wir empfehlen, dass das Technische Sekretariat jedes Werkzeug sorgfältig prüft und dokumentiert."])


def _drop_language(folder, session_id, value=None):
    manifest = folder / "conference.yml"
    text = manifest.read_text(encoding="utf-8")
    lines = text.split("\n")
    index = lines.index(f"  - id: {session_id}")
    for i in range(index, len(lines)):
        if lines[i].strip().startswith("language:"):
            if value is None:
                del lines[i]
            else:
                lines[i] = f"    language: {value}"
            break
    manifest.write_text("\n".join(lines), encoding="utf-8")


def test_manifest_without_language_detects_it(tiny_conference):
    _drop_language(tiny_conference, "T2")
    _drop_language(tiny_conference, "T1", "auto")
    conf = conference.load(tiny_conference)
    assert [s.language for s in conf.sessions] == ["en", "fr"]


def test_undetectable_language_names_the_manifest(tiny_conference):
    _drop_language(tiny_conference, "T2")
    (tiny_conference / "transcripts" / "t2.txt").write_text(
        "Amal Benali (Maroc): Wir empfehlen, dass das Technische Sekretariat jedes Werkzeug sorgfältig prüft.\n",
        encoding="utf-8")
    with pytest.raises(ManifestError) as info:
        conference.load(tiny_conference)
    assert str(info.value).startswith(str(tiny_conference / "conference.yml"))
    assert "session T2" in str(info.value) and "declare its language" in str(info.value)


def test_validate_reports_every_bad_transcript(tiny_conference):
    (tiny_conference / "transcripts" / "t1.txt").write_text("", encoding="utf-8")
    (tiny_conference / "transcripts" / "t2.txt").write_bytes(b"\x00\x01binary")
    result = CliRunner().invoke(main, ["validate", str(tiny_conference)])
    assert result.exit_code == 2
    assert "t1.txt: is empty" in result.output and "t2.txt:1: holds NUL bytes" in result.output
    assert "Traceback" not in result.output


def test_turns_uses_the_conference_participants(tiny_conference):
    result = CliRunner().invoke(main, ["turns", str(tiny_conference / "transcripts" / "t2.txt"), "--format",
                                       "jsonl", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    # "La Présidente" is the session chair; "Maroc" is the participant's delegation, Morocco
    assert records[0]["speaker"] == "Claire Dubois"
    assert records[1]["delegation"] == "Morocco"
