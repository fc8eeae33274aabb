"""WebVTT captions, as video-conferencing platforms export them.

Parsing is webvtt-py's (header, NOTE blocks, cue settings, inline tags); we add
speakers from ``<v Name>`` voice tags or ``Name:`` prefixes, and a cue without
either continues the previous speaker.
"""

from __future__ import annotations

import html
import io
import re
from typing import List, Optional

import webvtt as _webvtt
from webvtt.errors import MalformedFileError

from ..errors import TranscriptError
from .normalise import RawTurn, SpeakerDirectory, check_timings, decode, finish, parse_timestamp, speaker_prefix
from .registry import register

_TIMING = re.compile(r"^\s*(?:\d{1,2}:)?\d{2}:\d{2}\.\d{3}\s+-->\s+(?:\d{1,2}:)?\d{2}:\d{2}\.\d{3}(?:\s+.*)?$")
_LANGUAGE = re.compile(r"^Language:\s*([A-Za-z-]+)", re.M)


def _sniff(data: bytes) -> bool:
    head = data[:16].lstrip(b"\xef\xbb\xbf")
    return head.startswith(b"WEBVTT")


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
        body = html.unescape(caption.text)  # WebVTT escapes &, < and > as character references
        label, delegation = caption.voice, None
        if not label:
            found = speaker_prefix(body, directory)
            if found:
                label, delegation, body = found
        if label is None and turns:
            label, delegation = turns[-1].label, turns[-1].delegation
        turns.append(RawTurn(label=label, text=body, line=number, start=start, end=end, delegation=delegation))
    language = _LANGUAGE.search(text.split("\n\n", 1)[0])
    return finish(path, "webvtt", turns, directory, warnings, language.group(1).lower() if language else None)
