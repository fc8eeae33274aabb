"""Speaker-labelled text and Markdown, and plain prose with no speaker at all.

Label styles read (one at the start of a line, speech after the colon)::

    Name: ...                       NAME: ...
    Name (Delegation): ...          Ms. X (Sweden) (spoke in French): ...
    [00:12:03] Name: ...            Name [00:12:03]: ...
    Mr. Okafor (Nigeria): ...       The President: ...
    Le Président : ...              Mme Dupont (France) : ...
    **Name:** ... (Markdown)

Lines without a label continue the previous speaker's turn; lines wholly in
brackets (``[The meeting was called to order at 9.35 a.m.]``) are procedural
notes, not speech. A file in which no label is found is prose by one unknown speaker.
"""

from __future__ import annotations

import re
from typing import List, Optional

from .normalise import (MAX_TURN_CHARS, RawTurn, SpeakerDirectory, decode, finish, is_chair_title,
                        parse_timestamp, turn_too_long)
from .registry import register

_NAME_WORD = r"(?:[A-ZÀ-ÖØ-Þ][\w'’.\-]*|d[eu]|da|dos|del|des|van|von|der|den|el|al|le|la|ben|bin|ibn|di|y)"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_LABEL = re.compile(
    rf"""^\s*(?:\*\*)?
    (?:\[(?P<ts>{_TIME})\]\s*|(?P<ts_bare>{_TIME})\s+)?
    (?P<name>[A-ZÀ-ÖØ-Þ][\w'’.\-]*(?:[ \t]+{_NAME_WORD}){{0,6}})
    (?:\s*\((?P<deleg>[^()\n]{{1,80}})\))?
    (?:\s*\((?P<note>[^()\n]{{1,80}})\))?
    (?:\s*\[(?P<ts2>{_TIME})\])?
    [ \t\u00a0\u202f]?:(?:\*\*)?[ \t]*(?P<text>.*)$""",
    re.X,
)
_NOTE_LINE = re.compile(r"^\s*[\[(].*[\])]\s*$")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s")


def _label(line: str, directory: Optional[SpeakerDirectory]):
    match = _LABEL.match(line)
    if not match:
        return None
    name = match["name"].strip()
    words = name.split()
    plausible = (
        match["deleg"] is not None
        or (match["ts"] or match["ts_bare"] or match["ts2"]) is not None
        or (directory is not None and directory.knows(name))
        or is_chair_title(name)
        or (name.isupper() and len(name) > 2)
        # Without a participant list, two to five capitalised words make a name; with one,
        # "Article X: ..." at the start of a paragraph must not become a speaker.
        or (not (directory and directory.participants) and 2 <= len(words) <= 5
            and sum(w[0].isupper() for w in words) >= 2 and match["text"].strip() != "")
    )
    return match if plausible else None


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
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            if current.turn is not None and current.turn.label is None:
                current.close()  # prose: a blank line ends a paragraph
            continue
        match = _label(line, directory)
        if not match and (_NOTE_LINE.match(stripped) or _MD_HEADING.match(stripped)):
            continue
        if match:
            labelled = True
            stamp = match["ts"] or match["ts_bare"] or match["ts2"]
            turns.append(RawTurn(label=match["name"], text=match["text"], line=number,
                                 start=parse_timestamp(stamp) if stamp else None,
                                 delegation=match["deleg"], note=match["note"]))
            current.start(turns[-1])
        elif current.turn is not None:
            current.add(stripped, number)
        elif not labelled:
            turns.append(RawTurn(label=None, text=stripped, line=number))
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
    prose = all(t.label is None for t in turns)
    if prose:
        warnings.append(f"{path}: no speaker labels found; read as prose by one unknown speaker")
    return finish(path, "text", turns, directory, warnings, merge=not prose)
