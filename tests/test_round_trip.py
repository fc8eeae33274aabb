"""Real-layout round trip: the sample conference's turns, written as real tools write them, read back.

The turns of a few sample sessions, as read, are written into ``tmp_path`` in ten
layouts that rapporteurs meet (caption exports of Zoom and Teams, SubRip with
names in capitals, diarised speech-to-text in JSON and text, Otter, Rev and
Descript exports, labelled text, Word). Each file is read back with the session's
speaker directory (plus ``aliases`` for the anonymous diarisation labels), and
speaker, delegation and start time must come back turn by turn: times to the
millisecond where the layout writes milliseconds, to the second where it writes
seconds. At least :data:`MIN_MATCH` of the turns must match; the assertion message
gives the figure per layout and per session, with the first differences.

Timed layouts are written from the timed sessions only; layouts without times
(diarised text, labelled text, Word) from every session chosen, and their times are
not compared.
"""

from __future__ import annotations

import dataclasses
import difflib
import html
import json
import math
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from typing import Callable, Dict, List, NamedTuple, Optional, Tuple

import pytest

from outcomes import conference as conference_module
from outcomes.transcripts import read

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample-conference"

#: Sessions with times: S02 (WebVTT), S03 (timed labelled text, in French), S04 (SubRip).
TIMED_SESSIONS = ("S02", "S03", "S04")
#: A session without times: S01 (labelled text, the chair called "The President").
UNTIMED_SESSIONS = ("S01",)
#: Share of turns that must come back with the same speaker, delegation and start.
MIN_MATCH = 0.95
#: Words per caption cue or diarised segment, as platforms cut them.
CUE_WORDS = 12
#: Seconds per word when a turn has no end to spread its cues over.
SECONDS_PER_WORD = 0.4


class Spoken(NamedTuple):
    """One turn of the sample as read: who spoke, for whom, when, what."""

    speaker: str
    delegation: Optional[str]
    start: Optional[float]
    end: Optional[float]
    text: str


class Session(NamedTuple):
    """A sample session's turns, with the diarisation labels a speech-to-text tool would give them."""

    id: str
    turns: List[Spoken]
    labels: Dict[str, str]  # canonical name -> "SPEAKER_00", in order of first appearance
    timed: bool
    language: str


# ---------------------------------------------------------------------------
# the sample's turns as read
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample():
    """Return the sample conference and its chosen sessions' turns (read once for the module)."""
    conf = conference_module.load(SAMPLE)
    sessions = {}
    for session_id in TIMED_SESSIONS + UNTIMED_SESSIONS:
        session = conf.session(session_id)
        transcript = conf.read_transcript(session)
        turns = [Spoken(t.speaker, t.delegation, t.start, t.end, t.text) for t in transcript.turns]
        labels: Dict[str, str] = {}
        for turn in turns:
            labels.setdefault(turn.speaker, f"SPEAKER_{len(labels):02d}")
        timed = all(t.start is not None for t in turns)
        assert timed == (session_id in TIMED_SESSIONS), f"{session_id}: expected {'' if timed else 'no '}times"
        sessions[session_id] = Session(session_id, turns, labels, timed, session.language)
    return conf, sessions


# ---------------------------------------------------------------------------
# time stamps as each layout writes them
# ---------------------------------------------------------------------------

def _millis(seconds: float) -> int:
    return int(round(seconds * 1000))


def _clock(seconds: float, separator: str = ".") -> str:
    """hh:mm:ss.mmm (WebVTT) or hh:mm:ss,mmm (SubRip)."""
    total = _millis(seconds)
    hours, rest = divmod(total, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _hms(seconds: float) -> str:
    """hh:mm:ss, whole seconds (truncated, as exports do)."""
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _otter(seconds: float) -> str:
    """m:ss under an hour, h:mm:ss from an hour on (Otter)."""
    whole = int(seconds)
    if whole >= 3600:
        return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
    return f"{whole // 60}:{whole % 60:02d}"


def _pieces(turn: Spoken) -> List[Tuple[float, float, str]]:
    """Cut a turn into cues of about :data:`CUE_WORDS` words, its time spread over them by words."""
    words = turn.text.split()
    start = turn.start
    end = turn.end if turn.end is not None and turn.end > start else start + SECONDS_PER_WORD * len(words)
    pieces = []
    for first in range(0, len(words), CUE_WORDS):
        last = min(first + CUE_WORDS, len(words))
        piece_start = start + (end - start) * first / len(words)
        piece_end = start + (end - start) * last / len(words)
        pieces.append((piece_start, piece_end, " ".join(words[first:last])))
    return pieces


# ---------------------------------------------------------------------------
# the layouts: one writer each, (session, directory to write into) -> the file
# ---------------------------------------------------------------------------

def write_zoom_vtt(session: Session, folder: Path) -> Path:
    """Zoom: numbered cues, ``Name: text`` on every cue."""
    lines = ["WEBVTT", ""]
    number = 0
    for turn in session.turns:
        for start, end, words in _pieces(turn):
            number += 1
            lines += [str(number), f"{_clock(start)} --> {_clock(end)}",
                      f"{turn.speaker}: {html.escape(words, quote=False)}", ""]
    return _write(folder / f"{session.id}-zoom.vtt", lines)


def write_teams_vtt(session: Session, folder: Path) -> Path:
    """Microsoft Teams: cue ids ``<guid>/<n>-<k>``, ``<v Name>text</v>`` on every cue."""
    guid = uuid.uuid5(uuid.NAMESPACE_URL, f"outcomes-round-trip/{session.id}")
    lines = ["WEBVTT", ""]
    for number, turn in enumerate(session.turns, start=1):
        for part, (start, end, words) in enumerate(_pieces(turn)):
            lines += [f"{guid}/{number}-{part}", f"{_clock(start)} --> {_clock(end)}",
                      f"<v {turn.speaker}>{html.escape(words, quote=False)}</v>", ""]
    return _write(folder / f"{session.id}-teams.vtt", lines)


def write_caps_srt(session: Session, folder: Path) -> Path:
    """SubRip: ``GRACE MWANGI: text`` on a turn's first cue, the cues after it without a label."""
    lines = []
    number = 0
    for turn in session.turns:
        for part, (start, end, words) in enumerate(_pieces(turn)):
            number += 1
            text = f"{turn.speaker.upper()}: {words}" if part == 0 else words
            lines += [str(number), f"{_clock(start, ',')} --> {_clock(end, ',')}", text, ""]
    return _write(folder / f"{session.id}-caps.srt", lines)


def write_whisper_json(session: Session, folder: Path) -> Path:
    """Diarised JSON (Whisper, whisperX): segments with ``speaker`` SPEAKER_00..."""
    segments = [{"start": round(start, 3), "end": round(end, 3), "text": " " + words,
                 "speaker": session.labels[turn.speaker]}
                for turn in session.turns for start, end, words in _pieces(turn)]
    path = folder / f"{session.id}-whisper.json"
    path.write_text(json.dumps({"segments": segments, "language": session.language}, ensure_ascii=False, indent=1),
                    encoding="utf-8")
    return path


def write_diarised_text(session: Session, folder: Path) -> Path:
    """Diarised text: the label alone on a line, the speech indented by two spaces under it."""
    lines = []
    for turn in session.turns:
        lines.append(session.labels[turn.speaker])
        lines += textwrap.wrap(turn.text, width=88, initial_indent="  ", subsequent_indent="  ",
                               break_long_words=False, break_on_hyphens=False)
        lines.append("")
    return _write(folder / f"{session.id}-diarised.txt", lines)


def write_bracket_label_time(session: Session, folder: Path) -> Path:
    """``[SPEAKER_01] 00:01:02`` on a line, the speech on the next."""
    lines = []
    for turn in session.turns:
        lines += [f"[{session.labels[turn.speaker]}] {_hms(turn.start)}", turn.text, ""]
    return _write(folder / f"{session.id}-bracket.txt", lines)


def write_otter(session: Session, folder: Path) -> Path:
    """Otter: ``Amal Benali  1:02`` (two spaces), the speech on the next line, a blank line between."""
    lines = []
    for turn in session.turns:
        lines += [f"{turn.speaker}  {_otter(turn.start)}", turn.text, ""]
    lines.append("Transcribed by https://otter.ai")
    return _write(folder / f"{session.id}-otter.txt", lines)


def write_rev(session: Session, folder: Path) -> Path:
    """Rev, Descript: ``Amal Benali (00:01:02):``, the speech on the next line."""
    lines = []
    for turn in session.turns:
        lines += [f"{turn.speaker} ({_hms(turn.start)}):", turn.text, ""]
    return _write(folder / f"{session.id}-rev.txt", lines)


def write_labelled_text(session: Session, folder: Path, participants: Dict[str, Optional[str]]) -> Path:
    """``Name (Delegation): text`` a turn a line; ``[00:01:02] Name (Delegation): text`` when timed."""
    lines = []
    for turn in session.turns:
        when = f"[{_hms(turn.start)}] " if turn.start is not None else ""
        lines.append(f"{when}{turn.speaker} ({participants[turn.speaker]}): {turn.text}")
    return _write(folder / f"{session.id}-labelled.txt", lines)


def write_docx(session: Session, folder: Path) -> Path:
    """Word: a paragraph a turn, ``Name: text``."""
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading(f"Session {session.id}", level=1)
    for turn in session.turns:
        document.add_paragraph(f"{turn.speaker}: {turn.text}")
    path = folder / f"{session.id}.docx"
    document.save(path)
    return path


def _write(path: Path, lines: List[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class Layout(NamedTuple):
    """How one layout is written and what of it comes back."""

    write: Callable
    times: Optional[float]  # the unit of its times in seconds (0.001, 1); None when it writes none
    needs_times: bool = True  # written only from timed sessions
    diarised: bool = False  # written with SPEAKER_00 labels: read with the aliases
    needs_participants: bool = False


LAYOUTS = {
    "zoom-vtt": Layout(write_zoom_vtt, 0.001),
    "teams-vtt": Layout(write_teams_vtt, 0.001),
    "caps-srt": Layout(write_caps_srt, 0.001),
    "whisper-json": Layout(write_whisper_json, 0.001, diarised=True),
    "diarised-text": Layout(write_diarised_text, None, needs_times=False, diarised=True),
    "bracket-label-time": Layout(write_bracket_label_time, 1, diarised=True),
    "otter": Layout(write_otter, 1),
    "rev": Layout(write_rev, 1),
    "labelled-text": Layout(write_labelled_text, 1, needs_times=False, needs_participants=True),
    "docx": Layout(write_docx, None, needs_times=False),
}


# ---------------------------------------------------------------------------
# reading back
# ---------------------------------------------------------------------------

def _written_start(start: Optional[float], unit: Optional[float]) -> Optional[float]:
    """The start as the layout writes it: to the millisecond, or the second (truncated)."""
    if unit is None or start is None:
        return None
    if unit == 1:
        return float(math.floor(start))
    return _millis(start) / 1000


def _key(speaker, delegation, start) -> tuple:
    return (speaker, delegation, None if start is None else round(start, 3))


def round_trip(conf, session: Session, name: str, folder: Path):
    """Write ``session`` in layout ``name``, read it back; return (expected keys, keys read, warnings)."""
    layout = LAYOUTS[name]
    if layout.needs_participants:
        path = layout.write(session, folder, conf.participants)
    else:
        path = layout.write(session, folder)
    directory = conf.directory(conf.session(session.id))
    if layout.diarised:
        directory = dataclasses.replace(directory, aliases={label: speaker
                                                            for speaker, label in session.labels.items()})
    transcript = read(path, directory=directory)
    # a layout without times is compared without them; an untimed session written in a layout
    # with times (labelled text) must come back untimed
    expected = [_key(t.speaker, conf.participants[t.speaker], _written_start(t.start, layout.times))
                for t in session.turns]
    got = [_key(t.speaker, t.delegation, t.start if layout.times is not None else None) for t in transcript.turns]
    return path, expected, got, transcript.warnings


def matched(expected: list, got: list) -> int:
    """Return how many turns match, in order (a split or a lost turn costs only itself)."""
    blocks = difflib.SequenceMatcher(None, expected, got, autojunk=False).get_matching_blocks()
    return sum(block.size for block in blocks)


def differences(expected: list, got: list, limit: int = 4) -> List[str]:
    """Return the first differences between the expected and the read turns, readably."""
    out = []
    opcodes = difflib.SequenceMatcher(None, expected, got, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        out.append(f"    {tag} turns {i1 + 1}-{i2} {expected[i1:i2][:2]} -> read {got[j1:j2][:2]}"
                   f"{' ...' if max(i2 - i1, j2 - j1) > 2 else ''}")
        if len(out) >= limit:
            break
    return out


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_round_trip(sample, name, tmp_path):
    conf, sessions = sample
    layout = LAYOUTS[name]
    chosen = [s for s in sessions.values() if s.timed or not layout.needs_times]
    total = good = 0
    report = []
    for session in chosen:
        path, expected, got, warnings = round_trip(conf, session, name, tmp_path)
        count = matched(expected, got)
        share = count / max(len(expected), len(got))
        total += max(len(expected), len(got))
        good += count
        report.append(f"  {session.id} ({path.name}): {count}/{max(len(expected), len(got))} = {share:.0%} "
                      f"({len(expected)} turns written, {len(got)} read)")
        if count < len(expected) or len(got) != len(expected):
            report += differences(expected, got) + [f"    warning: {w}" for w in warnings[:3]]
    share = good / total
    assert share >= MIN_MATCH, (f"layout {name}: {good}/{total} turns = {share:.1%} came back with the same "
                                f"speaker, delegation and start (need {MIN_MATCH:.0%})\n" + "\n".join(report))


# ---------------------------------------------------------------------------
# the command line reads a layout the same way
# ---------------------------------------------------------------------------

def test_cli_turns_gives_the_same_speakers(sample, tmp_path):
    conf, sessions = sample
    session = sessions["S02"]
    path = write_teams_vtt(session, tmp_path)
    outcomes = Path(sys.executable).with_name("outcomes")
    command = [str(outcomes)] if outcomes.exists() else [sys.executable, "-m", "outcomes.cli"]
    result = subprocess.run(command + ["turns", str(path), "--format", "jsonl", "--lang", "en"],
                            capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    speakers = [json.loads(line)["speaker"] for line in result.stdout.splitlines() if line.strip()]
    assert speakers == [t.speaker for t in session.turns], result.stderr
