"""WebVTT captions, as video-conferencing platforms export them.

Parsing is webvtt-py's (header, NOTE blocks, cue settings, inline tags); we add
speakers as :func:`~outcomes.transcripts.normalise.caption_turn` reads them:
``<v Name>`` voice tags (Teams), ``Name:`` prefixes (Zoom, with role tags such as
``Ashlee Kupor (SL):`` read as affiliations unless they name a known State or
organisation), names in capitals (``GRACE MWANGI:``) and live captioners' ``>>``
(``>> NAME:``; a bare ``>>`` is a new, unnamed speaker). A cue without any
continues the previous speaker. Lines that a cue repeats from the bottom of the
cue before (roll-up captions, as YouTube's automatic ones) are read once. Captions
without any label become paragraphs of
"Unknown speaker" split at pauses, each with its first cue's start and its last
cue's end; ``Turn.line`` is the number (from 1) of the turn's first cue, and
``Turn.cues`` where each cue starts in its text.
"""

from __future__ import annotations

import html
import io
import re
from typing import List, Optional

import webvtt as _webvtt
from webvtt.errors import MalformedFileError

from ..errors import TranscriptError
from .normalise import RawTurn, SpeakerDirectory, caption_turn, check_timings, decode, finish, parse_timestamp
from .registry import register

_TIMING = re.compile(r"^\s*(?:\d{1,2}:)?\d{2}:\d{2}\.\d{3}\s+-->\s+(?:\d{1,2}:)?\d{2}:\d{2}\.\d{3}(?:\s+.*)?$")
_LANGUAGE = re.compile(r"^Language:\s*([A-Za-z-]+)", re.M)


def _sniff(data: bytes) -> bool:
    head = data[:16].lstrip(b"\xef\xbb\xbf")
    return head.startswith(b"WEBVTT")


def _not_shown_before(lines: List[str], shown: List[str]) -> List[str]:
    """Return a cue's lines without those at its start that the cue before showed last.

    Roll-up captions (YouTube's automatic ones) show each line twice, at the bottom of one
    cue and at the top of the next, with a 10 ms cue between them that shows it once more.
    """
    for count in range(min(len(lines), len(shown)), 0, -1):
        if lines[:count] == shown[-count:]:
            return lines[count:]
    return lines


@register("webvtt", (".vtt", ".webvtt"), sniff=_sniff)
def read_webvtt(path: str, data: bytes, directory: Optional[SpeakerDirectory]):
    """Read WebVTT captions."""
    text, warnings = decode(data, path)
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise TranscriptError("is not WebVTT: the first line must be 'WEBVTT'", path, 1)
    timing_lines = check_timings(path, text, _TIMING, "00:00:01.000 --> 00:00:04.000")
    try:
        captions = _webvtt.from_buffer(io.StringIO(text))
    except MalformedFileError as exc:
        raise TranscriptError(f"is not valid WebVTT ({exc}); check the cue timings and blank lines "
                              "between cues", path) from exc
    except (ValueError, IndexError) as exc:
        raise TranscriptError(f"is not valid WebVTT ({exc})", path) from exc
    if not len(captions):
        raise TranscriptError("is WebVTT with no cues: there is no speech to read", path)
    turns: List[RawTurn] = []
    previous_end = None
    shown: List[str] = []  # the lines of the cue before, as shown
    for number, caption in enumerate(captions, start=1):
        start, end = parse_timestamp(caption.start), parse_timestamp(caption.end)
        line = timing_lines[number - 1] if number - 1 < len(timing_lines) else None
        if start is None or end is None:
            raise TranscriptError(f"cue {number} has an unreadable time '{caption.start} --> {caption.end}'",
                                  path, line)
        if end < start:
            raise TranscriptError(f"cue {number} ends ({caption.end}) before it starts ({caption.start})",
                                  path, line)
        if previous_end is not None and start + 0.001 < turns[-1].start:
            warnings.append(f"{path}:{number}: cue {number} starts before the previous cue")
        previous_end = end
        lines = [" ".join(row.split()) for row in html.unescape(caption.text).split("\n") if row.strip()]
        # WebVTT escapes &, < and > as character references
        body = "\n".join(lines if caption.voice else _not_shown_before(lines, shown))
        shown = [] if caption.voice else lines
        turns.append(caption_turn(body, number, start, end, directory, turns[-1] if turns else None, caption.voice))
    language = _LANGUAGE.search(text.split("\n\n", 1)[0])
    return finish(path, "webvtt", turns, directory, warnings, language.group(1).lower() if language else None)
