"""Tests for outcomes.conference: loading, validation and path safety of conference.yml.

Conferences are built in ``tmp_path``; the sample conference is only read.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from outcomes.conference import load
from outcomes.errors import ManifestError

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample-conference"

MANIFEST = """\
title: "Test conference"
dates:
  start: 2024-10-22
  end: 2024-10-24
venue: "Rabat"
organisers: ["OPCW"]
languages: [en, fr]
participants:
  - {name: "Youssef El Amrani", delegation: "Morocco", role: "Chair"}
  - {name: "Chiamaka Okafor", delegation: "Nigeria"}
sessions:
  - id: S01
    title: "Opening"
    date: {date}
    start: "09:30"
    end: "10:40"
    language: {language}
    chair: "Youssef El Amrani"
    transcript: {transcript}
  - id: {second_id}
    title: "Diarised"
    date: 2024-10-23
    language: fr
    transcript: transcripts/S02.json
    speakers:
      SPEAKER_00: "Chiamaka Okafor"
"""

S01_TEXT = "Opening\n\nThe President: Welcome.\n\nMr. Okafor (Nigeria): Thank you.\n"
S02_JSON = '[{"start": 0, "end": 1, "text": "Bonjour.", "speaker": "SPEAKER_00"}]'


def manifest_text(**changes) -> str:
    values = {"date": "2024-10-22", "language": "en", "transcript": "transcripts/S01.txt", "second_id": "S02"}
    values.update(changes)
    text = MANIFEST
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """Return the 1-based line of the ``occurrence``-th line containing ``fragment``."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    return found[occurrence - 1]


@pytest.fixture
def conference_dir(tmp_path):
    """Return a factory: write a conference folder (manifest text, transcripts) and return it."""

    def _make(text: "str | None" = None, name: str = "conf") -> Path:
        root = tmp_path / name
        (root / "transcripts").mkdir(parents=True)
        (root / "transcripts" / "S01.txt").write_text(S01_TEXT, encoding="utf-8")
        (root / "transcripts" / "S02.json").write_text(S02_JSON, encoding="utf-8")
        if text is not None:
            (root / "conference.yml").write_text(text, encoding="utf-8")
        return root

    return _make


def load_error(root: Path) -> ManifestError:
    with pytest.raises(ManifestError) as info:
        load(root)
    return info.value


def assert_names(error: ManifestError, root: Path, line: "int | None", fragment: str) -> None:
    manifest = root / "conference.yml"
    where = f"{manifest}:{line}: " if line is not None else f"{manifest}: "
    assert str(error).startswith(where), str(error)
    assert fragment in str(error)
    assert error.line == line


# ---------------------------------------------------------------------------
# a valid conference
# ---------------------------------------------------------------------------

def test_valid_conference_loads(conference_dir):
    root = conference_dir(manifest_text())
    conference = load(root)
    assert conference.title == conference.short_title == "Test conference"
    assert (conference.start, conference.end) == (dt.date(2024, 10, 22), dt.date(2024, 10, 24))
    assert conference.languages == ["en", "fr"]
    assert conference.participants == {"Youssef El Amrani": "Morocco", "Chiamaka Okafor": "Nigeria"}
    assert conference.roles["Youssef El Amrani"] == "Chair"
    assert [(s.id, s.date, s.language, s.start, s.end) for s in conference.sessions] == [
        ("S01", dt.date(2024, 10, 22), "en", "09:30", "10:40"),
        ("S02", dt.date(2024, 10, 23), "fr", None, None),
    ]
    assert conference.sessions[0].transcript == root / "transcripts" / "S01.txt"
    assert conference.manifest_path == root / "conference.yml"
    assert conference.codebook == "default"
    assert conference.illustrative is False


def test_read_transcript_uses_the_chair_and_participants(conference_dir):
    conference = load(conference_dir(manifest_text()))
    turns = conference.read_transcript(conference.session("S01")).turns
    assert [(t.speaker, t.delegation, t.role, t.line) for t in turns] == [
        ("Youssef El Amrani", "Morocco", "chair", 3), ("Chiamaka Okafor", "Nigeria", None, 5)]


def test_read_transcript_maps_diarisation_labels(conference_dir):
    conference = load(conference_dir(manifest_text()))
    session = conference.session("S02")
    assert session.speakers == {"SPEAKER_00": "Chiamaka Okafor"}
    turns = conference.read_transcript(session).turns
    assert [(t.speaker, t.delegation, t.text) for t in turns] == [("Chiamaka Okafor", "Nigeria", "Bonjour.")]


def test_directory_canonicalises_delegations(conference_dir):
    conference = load(conference_dir(manifest_text()))
    directory = conference.directory(conference.session("S01"))
    assert directory.chair == "Youssef El Amrani"
    assert directory.resolve("Karim Tazi", "Maroc") == ("Karim Tazi", "Morocco", None)


def test_manifest_with_bom_and_quoted_dates(conference_dir):
    text = manifest_text(date='"2024-10-22"').replace("start: 2024-10-22", 'start: "2024-10-22"')
    root = conference_dir(text)
    (root / "conference.yml").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    conference = load(root)
    assert conference.start == conference.sessions[0].date == dt.date(2024, 10, 22)


def test_unknown_session_id(conference_dir):
    root = conference_dir(manifest_text())
    with pytest.raises(ManifestError) as info:
        load(root).session("S99")
    assert str(info.value) == f"{root / 'conference.yml'}: no session 'S99'; sessions are: S01, S02"


# ---------------------------------------------------------------------------
# manifest errors: each names conference.yml and the line where there is one
# ---------------------------------------------------------------------------

def test_missing_manifest(conference_dir):
    root = conference_dir(None)
    assert_names(load_error(root), root, None, "does not exist")


def test_folder_that_does_not_exist(tmp_path):
    with pytest.raises(ManifestError) as info:
        load(tmp_path / "nowhere")
    assert str(info.value).startswith(f"{tmp_path / 'nowhere'}: is not a folder")


def test_manifest_not_utf8(conference_dir):
    root = conference_dir("title: \"Conf\u00e9rence\"\n")
    (root / "conference.yml").write_bytes("title: \"Conférence\"\n".encode("cp1252"))
    assert_names(load_error(root), root, None, "is not UTF-8")


def test_yaml_syntax_error_names_the_line(conference_dir):
    text = manifest_text().replace('venue: "Rabat"', "venue: [Rabat")
    root = conference_dir(text)
    error = load_error(root)
    assert str(error).startswith(f"{root / 'conference.yml'}:")
    assert "is not valid YAML" in str(error)
    assert error.line is not None and line_of(text, "venue: [Rabat") <= error.line <= line_of(text, "languages:")


def test_manifest_that_is_not_a_mapping(conference_dir):
    root = conference_dir("- just\n- a list\n")
    assert_names(load_error(root), root, 1, "must be a mapping")


def test_no_sessions(conference_dir):
    text = manifest_text().split("sessions:")[0] + "sessions: []\n"
    root = conference_dir(text)
    assert_names(load_error(root), root, line_of(text, "sessions: []"), "sessions: [] should be non-empty")


def test_sessions_key_missing(conference_dir):
    root = conference_dir(manifest_text().split("sessions:")[0])
    assert_names(load_error(root), root, 1, "'sessions' is a required property")


def test_schema_error_names_the_line(conference_dir):
    text = manifest_text().replace('start: "09:30"', 'start: "9h30"')
    root = conference_dir(text)
    assert_names(load_error(root), root, line_of(text, 'start: "9h30"'), "sessions.0.start")


def test_unknown_key(conference_dir):
    text = manifest_text().replace("    chair:", "    rapporteur: X\n    chair:")
    root = conference_dir(text)
    assert_names(load_error(root), root, line_of(text, "rapporteur"), "unknown key 'rapporteur'")


def test_duplicate_session_ids(conference_dir):
    text = manifest_text(second_id="S01")
    root = conference_dir(text)
    error = load_error(root)
    assert_names(error, root, line_of(text, "- id: S01", 2), "session id 'S01' is used twice")
    assert f"first at line {line_of(text, '- id: S01')}" in str(error)


def test_impossible_quoted_date(conference_dir):
    text = manifest_text(date='"2024-02-30"')
    root = conference_dir(text)
    assert_names(load_error(root), root, line_of(text, '"2024-02-30"'), "not a real date")


def test_impossible_date(conference_dir):
    text = manifest_text(date="2024-02-30")
    root = conference_dir(text)
    assert_names(load_error(root), root, line_of(text, "date: 2024-02-30"), "not a real date")


def test_session_date_outside_the_conference(conference_dir):
    text = manifest_text(date="2024-10-25")
    root = conference_dir(text)
    assert_names(load_error(root), root, line_of(text, "date: 2024-10-25"),
                 "session S01: date 2024-10-25 is outside the conference (2024-10-22 to 2024-10-24)")


def test_conference_ends_before_it_starts(conference_dir):
    text = manifest_text().replace("end: 2024-10-24", "end: 2024-10-20")
    root = conference_dir(text)
    assert_names(load_error(root), root, line_of(text, "end: 2024-10-20"), "is before dates.start")


def test_session_ends_before_it_starts(conference_dir):
    text = manifest_text().replace('end: "10:40"', 'end: "08:00"')
    root = conference_dir(text)
    assert_names(load_error(root), root, line_of(text, 'end: "08:00"'), "ends (08:00) before it starts (09:30)")


def test_unknown_session_language(conference_dir):
    text = manifest_text(language="de")
    root = conference_dir(text)
    assert_names(load_error(root), root, line_of(text, "language: de"), "language 'de' is not supported")


def test_unknown_conference_language(conference_dir):
    text = manifest_text().replace("languages: [en, fr]", "languages: [en, es]")
    root = conference_dir(text)
    assert_names(load_error(root), root, line_of(text, "languages:"), "language 'es' is not supported")


@pytest.mark.parametrize("relative", ["../outside.txt", "transcripts/../../outside.txt"])
def test_transcript_path_escaping_with_dotdot(conference_dir, tmp_path, relative):
    (tmp_path / "outside.txt").write_text(S01_TEXT, encoding="utf-8")
    text = manifest_text(transcript=relative)
    root = conference_dir(text)
    assert_names(load_error(root), root, line_of(text, f"transcript: {relative}"), "leads outside the conference")


def test_dotdot_that_stays_inside_is_allowed(conference_dir):
    root = conference_dir(manifest_text(transcript="transcripts/../transcripts/S01.txt"))
    assert load(root).sessions[0].transcript.resolve() == (root / "transcripts" / "S01.txt").resolve()


def test_symlink_pointing_outside(conference_dir, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text(S01_TEXT, encoding="utf-8")
    text = manifest_text(transcript="transcripts/link.txt")
    root = conference_dir(text)
    try:
        os.symlink(outside, root / "transcripts" / "link.txt")
    except (OSError, NotImplementedError):
        pytest.skip("symbolic links are not available here")
    assert_names(load_error(root), root, line_of(text, "transcript: transcripts/link.txt"),
                 "leads outside the conference")


def test_symlinked_folder_pointing_outside(conference_dir, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "S01.txt").write_text(S01_TEXT, encoding="utf-8")
    text = manifest_text(transcript="linked/S01.txt")
    root = conference_dir(text)
    try:
        os.symlink(tmp_path / "elsewhere", root / "linked", target_is_directory=True)
    except (OSError, NotImplementedError):
        pytest.skip("symbolic links are not available here")
    assert_names(load_error(root), root, line_of(text, "transcript: linked/S01.txt"), "leads outside")


def test_symlink_inside_the_folder_is_allowed(conference_dir):
    text = manifest_text(transcript="transcripts/alias.txt")
    root = conference_dir(text)
    try:
        os.symlink(root / "transcripts" / "S01.txt", root / "transcripts" / "alias.txt")
    except (OSError, NotImplementedError):
        pytest.skip("symbolic links are not available here")
    assert load(root).sessions[0].transcript == root / "transcripts" / "alias.txt"


@pytest.mark.parametrize("absolute", ["/etc/hostname", '"C:\\\\transcripts\\\\S01.txt"', "C:/transcripts/S01.txt"],
                         ids=["posix", "windows-backslash", "windows-slash"])
def test_absolute_transcript_path(conference_dir, absolute):
    text = manifest_text(transcript=absolute)
    root = conference_dir(text)
    assert_names(load_error(root), root, line_of(text, "transcript: " + absolute[:4]), "is absolute")


def test_missing_transcript_file(conference_dir):
    text = manifest_text(transcript="transcripts/S09.txt")
    root = conference_dir(text)
    assert_names(load_error(root), root, line_of(text, "transcript: transcripts/S09.txt"),
                 "session S01: transcript 'transcripts/S09.txt' does not exist")


def test_transcript_that_is_a_folder(conference_dir):
    text = manifest_text(transcript="transcripts")
    root = conference_dir(text)
    assert_names(load_error(root), root, line_of(text, "transcript: transcripts"), "is a folder, not a file")


# ---------------------------------------------------------------------------
# the sample conference (read only)
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample():
    if not (SAMPLE / "conference.yml").is_file():
        pytest.fail(f"the sample conference is missing at {SAMPLE}")
    return load(SAMPLE)


def test_sample_conference_sessions(sample):
    assert len(sample.sessions) == 10
    assert [s.id for s in sample.sessions] == [f"S{n:02d}" for n in range(1, 11)]
    assert sum(s.language == "fr" for s in sample.sessions) == 4
    assert len({s.transcript.suffix for s in sample.sessions}) >= 4
    assert all(s.transcript.is_file() for s in sample.sessions)
    assert all(s.chair in sample.participants for s in sample.sessions)


def test_sample_conference_reads_in_at_least_four_formats(sample):
    formats = {sample.read_transcript(s).format for s in sample.sessions}
    assert len(formats) >= 4
    assert formats <= {"text", "webvtt", "srt", "diarised", "docx"}


@pytest.mark.parametrize("session_id", [f"S{n:02d}" for n in range(1, 11)])
def test_sample_transcript_reads(sample, session_id):
    session = sample.session(session_id)
    transcript = sample.read_transcript(session)
    assert transcript.words > 1500
    assert len({t.speaker for t in transcript.turns}) >= 3
    assert all(t.text for t in transcript.turns)
    assert transcript.turns[0].speaker == session.chair
