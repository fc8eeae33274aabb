"""SubRip (.srt) subtitles: numbered cues; a ``Name:`` prefix starts a speaker's turn.

Parsing is the ``srt`` library's. Speakers are read as
:func:`~outcomes.transcripts.normalise.caption_turn` reads them: ``Name:``,
``Name (Delegation):``, ``GRACE MWANGI:`` or ``DR. AMAL BENALI:`` in capitals,
``>> NAME:`` and a bare ``>>`` (a new, unnamed speaker) from live captioning; a
cue without any continues the previous speaker. Subtitles without any label (as
platforms export them) become paragraphs of "Unknown speaker" split at pauses,
each with its first cue's start and its last cue's end; ``Turn.line`` is the
number of the turn's first cue, and ``Turn.cues`` where each cue starts in its text.
"""

from __future__ import annotations

import re
from typing import List, Optional

import srt as _srt

from ..errors import TranscriptError
from .normalise import RawTurn, SpeakerDirectory, caption_turn, check_timings, decode, finish
from .registry import register

_FIRST_CUE = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\d+\s*\r?\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->")


_TIMING = re.compile(r"^\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}(?:\s+.*)?$")


def _check_blocks(path: str, text: str) -> None:
    """Check that every block is a number, a timing line, then text (the srt library would merge a broken cue)."""
    lines = text.split("\n")
    number = 0
    while number < len(lines):
        if not lines[number].strip():
            number += 1
            continue
        start = number
        block = []
        while number < len(lines) and lines[number].strip():
            block.append(lines[number])
            number += 1
        if not block[0].strip().lstrip("\ufeff").isdigit():
            raise TranscriptError(f"is not valid SubRip: the cue at line {start + 1} does not start with its number (found "
                                  f"{block[0].strip()[:30]!r}); each cue is a number, a timing line, then text",
                                  path, start + 1)
        if len(block) < 2 or not _TIMING.match(block[1]):
            raise TranscriptError(f"is not valid SubRip: cue {block[0].strip()} has no timing line after its number; write "
                                  "'00:00:01,000 --> 00:00:04,000'", path, start + 2)


def _line_of_cue(text: str, index: int) -> Optional[int]:
    match = re.search(rf"(?m)^{index}\s*$", text)
    return text.count("\n", 0, match.start()) + 1 if match else None


@register("srt", (".srt",), sniff=lambda data: bool(_FIRST_CUE.match(data[:200])))
def read_srt(path: str, data: bytes, directory: Optional[SpeakerDirectory]):
    """Read SubRip subtitles."""
    text, warnings = decode(data, path)
    check_timings(path, text, _TIMING, "00:00:01,000 --> 00:00:04,000")
    _check_blocks(path, text)
    try:
        cues = list(_srt.parse(text, ignore_errors=False))
    except _srt.SRTParseError as exc:
        line = text.count("\n", 0, exc.expected_start) + 1
        raise TranscriptError(f"is not valid SubRip: unexpected text {text[exc.expected_start:exc.expected_start + 40]!r}; "
                              "each cue needs a number, a 'hh:mm:ss,mmm --> hh:mm:ss,mmm' line and text", path,
                              line) from exc
    except (ValueError, TypeError) as exc:
        raise TranscriptError(f"is not valid SubRip ({exc})", path) from exc
    if not cues:
        raise TranscriptError("is SubRip with no cues: there is no speech to read", path)
    turns: List[RawTurn] = []
    for cue in cues:
        start, end = cue.start.total_seconds(), cue.end.total_seconds()
        if end < start:
            raise TranscriptError(f"cue {cue.index} ends before it starts", path, _line_of_cue(text, cue.index))
        body = re.sub(r"</?[a-zA-Z][^>]*>", "", cue.content)  # <i>, <b>, <font ...>
        turns.append(caption_turn(body, cue.index, start, end, directory, turns[-1] if turns else None))
    return finish(path, "srt", turns, directory, warnings)
