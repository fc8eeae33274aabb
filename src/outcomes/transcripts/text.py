"""Speaker-labelled text and Markdown, and plain prose with no speaker at all.

Label styles read at the start of a line, the speech after the colon::

    Name: ...                       NAME: ...
    Name (Delegation): ...          Ms. X (Sweden) (spoke in French): ...
    [00:12:03] Name: ...            Name [00:12:03]: ...
    Mr. Okafor (Nigeria): ...       The President: ...
    Le Président : ...              Mme Dupont (France) : ...
    **Name:** ... (Markdown)        [00:00:01 - 00:00:05] SPEAKER_00: ...
    Speaker 1: ...                  [SPEAKER_00]: ... (whisperX)

Labels on a line of their own, the speech on the lines after them::

    SPEAKER_01                      diarised speech-to-text exports (pyannote, whisperX):
    Speaker 1                       a diarisation label, which the manifest's ``speakers``
    [SPEAKER_01]                    map turns into a name
    [SPEAKER_01] 00:01:02           the same with its start time (speech may follow on the line)
    Amal Benali  1:02               Otter: two spaces or a tab, then m:ss, mm:ss or h:mm:ss
    Amal Benali (00:01:02):         Rev, Descript (speech may follow on the line); the time
    Speaker 1 (00:00:05):           in parentheses is a start time, never a delegation
    GRACE MWANGI                    an all-caps name, in a file where one comes back
    Amal Benali                     a name the session's participant list knows

A line alone is a label only in these forms, so that "Thank you." or a title never is.
Lines without a label continue the previous speaker's turn; lines wholly in brackets
(``[The meeting was called to order at 9.35 a.m.]``) are procedural notes, not speech.

A United Nations verbatim record taken from its PDF (``S/PV.8225``, ``A/79/PV.12``) is
read by :mod:`~outcomes.transcripts.unrecord`'s rules as well: labels in the middle of
flattened lines ("... adopted. The President (spoke in Spanish): I wish ..."), without
the cover page, the page furniture, the procedural sentences and the interpretation notes.

A file in which no label is found is prose by one unknown speaker, a turn a paragraph.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, List, Optional, Set

from .normalise import (MAX_TURN_CHARS, RawTurn, SpeakerDirectory, decode, finish, is_chair_title,
                        parse_timestamp, turn_too_long)
from .registry import register
from .unrecord import NAME_WORD, Label, Piece, parenthesised, pieces

_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_RANGE = rf"(?P<start>{_TIME})(?:[ \t]*(?:-->|[-–])[ \t]*(?P<end>{_TIME}))?"
#: Diarisation labels: SPEAKER_00, Speaker 1, SPK_2, Speaker A (AssemblyAI).
_DIARISED = r"(?:SPEAKER|[Ss]peaker|SPK)[ _\-]?\d{1,3}|(?:SPEAKER|Speaker) [A-Z](?![\w'’.\-])"
_NAME = rf"(?:{_DIARISED}|[A-ZÀ-ÖØ-Þ][\w'’.\-]*(?:[ \t]+{NAME_WORD}){{0,6}})"
_LABEL = re.compile(
    rf"""^\s*(?:\*\*)?
    (?:\[{_RANGE}\]\s*|(?P<ts_bare>{_TIME})\s+)?
    (?P<name>{_NAME})
    (?:\s*\((?P<deleg>[^()\n]{{1,80}})\))?
    (?:\s*\((?P<note>[^()\n]{{1,80}})\))?
    (?:\s*\[(?P<ts2>{_TIME})\])?
    [ \t\u00a0\u202f]?:(?:\*\*)?[ \t]*(?P<text>.*)$""",
    re.X,
)
# A label with no colon: "SPEAKER_01", "[SPEAKER_01] 00:01:02 ...", "Amal Benali  1:02".
_HEAD = re.compile(
    rf"""(?:\*\*)?(?:\[(?P<bracketed>{_NAME})\]|(?P<name>{_NAME}))(?:\*\*)?
    (?:(?P<gap>[ \t]+)(?P<open>[\[(]?){_RANGE}[\])]?)?
    [ \t]*:?[ \t]*(?P<text>.*)""",
    re.X,
)
_IS_DIARISED = re.compile(_DIARISED)
_CAPS = re.compile(r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’.\-]+(?:[ \t]+[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’.\-]*){0,4}")
_NOTE_LINE = re.compile(r"^\s*[\[(].*[\])]\s*$")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s")
_EXPORT_NOTE = re.compile(r"Transcribed by https?://\S+", re.I)  # Otter's last line


def _label(line: str, directory: Optional[SpeakerDirectory]) -> Optional[Label]:
    """Return the label that starts ``line`` ("Name: ..."), or None."""
    match = _LABEL.match(line)
    if not match:
        return None
    name = " ".join(match["name"].split())
    words = name.split()
    delegation, note, stamp = parenthesised(match["deleg"], match["note"])
    stamp = _seconds(match["start"] or match["ts_bare"] or match["ts2"]) if stamp is None else stamp
    plausible = (
        match["deleg"] is not None
        or stamp is not None
        or _IS_DIARISED.fullmatch(name) is not None
        or (directory is not None and directory.knows(name))
        or is_chair_title(name)
        or (name.isupper() and len(name) > 2)
        # Without a participant list, two to five capitalised words make a name; with one,
        # "Article X: ..." at the start of a paragraph must not become a speaker.
        or (not (directory and directory.participants) and 2 <= len(words) <= 5
            and sum(w[0].isupper() for w in words) >= 2 and match["text"].strip() != "")
    )
    if not plausible:
        return None
    return Label(name, match["text"], stamp, _seconds(match["end"]), delegation, note)


def _own_line(line: str, directory: Optional[SpeakerDirectory], caps: Set[str]) -> Optional[Label]:
    """Return the label of a line that holds one without a colon, or None.

    ``line`` is stripped. A diarisation label, a name followed by a time, a name the
    directory knows or an all-caps name in ``caps`` (see :func:`_caps_labels`) is one;
    speech may follow on the line only a bracketed label or a time.
    """
    match = _HEAD.fullmatch(line)
    if not match:
        return None
    name = " ".join((match["bracketed"] or match["name"]).split())
    diarised = _IS_DIARISED.fullmatch(name) is not None
    stamp = match["start"]
    if stamp and not (match["open"] or match["bracketed"] or diarised or len(match["gap"]) > 1
                      or "\t" in match["gap"]):
        return None  # "Amal Benali 1:02": Otter puts two spaces or a tab before the time
    if stamp is not None:
        plausible = True
    elif match["text"] and match["bracketed"] is None:
        plausible = False  # "Thank you." is a name and speech only to a regex
    else:
        plausible = (diarised or (not match["text"] and name in caps)
                     or (directory is not None and directory.knows(name)))
    return Label(name, match["text"], _seconds(stamp), _seconds(match["end"])) if plausible else None


def _seconds(stamp: Optional[str]) -> Optional[float]:
    """Return a time as written ("1:02:03") in seconds; None for no time."""
    return parse_timestamp(stamp) if stamp else None


def _caps_labels(lines: Iterable[str]) -> Set[str]:
    """Return the all-caps names alone on a line that are labels.

    One that stands alone more than once is; once one is, the file writes its labels
    so, and any other of two words or more ("HENRIK STRAND") is too.
    """
    alone = (line.strip().rstrip(":").rstrip() for line in lines)
    counts = Counter(" ".join(name.split()) for name in alone if _CAPS.fullmatch(name))
    if all(count == 1 for count in counts.values()):
        return set()
    return {name for name, count in counts.items() if count > 1 or " " in name}


class _Lines:
    """The lines of the turn being read, joined once when it ends.

    ``text += line`` copies the whole turn at each line, which is quadratic in its
    length; and the length limit is checked at each line, so a turn far past it
    stops there instead of being read to the end first.
    """

    def __init__(self, path: str):
        self.path = path
        self.turn: Optional[RawTurn] = None
        self.lines: List[str] = []
        self.size = 0

    def start(self, turn: RawTurn) -> None:
        """Close the current turn and begin ``turn``."""
        self.close()
        self.turn, self.lines, self.size = turn, [turn.text], len(turn.text)
        if self.size > MAX_TURN_CHARS:
            raise turn_too_long(self.path, turn.line, self.size)

    def add(self, line: str, number: int) -> None:
        """Append ``line`` (file line ``number``) to the current turn."""
        self.size += 1 + len(line)
        if self.size > MAX_TURN_CHARS:
            raise turn_too_long(self.path, self.turn.line, self.size, f" by line {number}")
        self.lines.append(line)

    def close(self) -> None:
        """Give the current turn its text; there is no current turn afterwards."""
        if self.turn is not None and len(self.lines) > 1:
            self.turn.text = "\n".join(self.lines)
        self.turn, self.lines, self.size = None, [], 0


def parse(path: str, text: str, directory: Optional[SpeakerDirectory]) -> List[RawTurn]:
    """Return the raw turns of labelled text; prose without labels gives one turn per paragraph.

    Raises
    ------
    TranscriptError
        As soon as a turn passes :data:`~outcomes.transcripts.normalise.MAX_TURN_CHARS`.
    """
    turns: List[RawTurn] = []
    current = _Lines(path)
    labelled = False
    record = pieces(text)
    if record is None:
        lines = text.split("\n")
        caps = _caps_labels(lines)
        record = (Piece(number, line) for number, line in enumerate(lines, start=1))
    else:
        caps = set()  # a UN record's all-caps lines are headings
    for piece in record:
        stripped = piece.text.strip()
        label = piece.label
        if label is None and piece.line_start and stripped:
            label = _label(piece.text, directory) or _own_line(stripped, directory, caps)
        if label is None and not stripped:
            if current.turn is not None and current.turn.label is None:
                current.close()  # prose: a blank line ends a paragraph
            continue
        if label is None and (_NOTE_LINE.match(stripped) or _MD_HEADING.match(stripped)
                              or _EXPORT_NOTE.fullmatch(stripped)):
            continue
        if label is not None:
            labelled = True
            turns.append(RawTurn(label=label.name, text=label.text, line=piece.number, start=label.start,
                                 end=label.end, tag=label.delegation, note=label.note))
            current.start(turns[-1])
        elif current.turn is not None:
            current.add(stripped, piece.number)
        elif not labelled:
            turns.append(RawTurn(label=None, text=stripped, line=piece.number))
            current.start(turns[-1])
    current.close()
    if labelled:
        # header lines before the first label are a title, not speech
        turns = [t for t in turns if t.label is not None]
    _close_times(turns)
    return turns


def _close_times(turns: List[RawTurn]) -> None:
    """Give each timed turn the next turn's start as its end."""
    for here, following in zip(turns, turns[1:]):
        if here.start is not None and following.start is not None and here.end is None:
            here.end = following.start


@register("text", (".txt", ".md", ".markdown", ".text"))
def read_text(path: str, data: bytes, directory: Optional[SpeakerDirectory]):
    """Read speaker-labelled text, Markdown or prose."""
    text, warnings = decode(data, path)
    turns = parse(path, text, directory)
    prose = all(t.label is None for t in turns)  # unlabelled speech is warned about by finish, as in every format
    return finish(path, "text", turns, directory, warnings, merge=not prose)
