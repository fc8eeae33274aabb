"""Diarised JSON from speech-to-text tools.

Two shapes are read: Whisper-style ``{"segments": [{"start", "end", "text", "speaker"?}]}``
and a plain list ``[{"speaker", "start", "end", "text"}]``. Diarisation labels such as
``SPEAKER_00`` become names through the manifest's ``speakers`` map.
"""

from __future__ import annotations

import json
import math
from typing import List, Optional

from ..errors import TranscriptError
from .normalise import RawTurn, SpeakerDirectory, decode, finish
from .registry import register


def _number(value, path: str, index: int, key: str) -> Optional[float]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TranscriptError(f"segment {index}: '{key}' must be a number of seconds, not {value!r}", path)
    if not math.isfinite(value):
        raise TranscriptError(f"segment {index}: '{key}' is {value}, not a number of seconds", path)
    if value < 0:
        raise TranscriptError(f"segment {index}: '{key}' is negative ({value})", path)
    return float(value)


@register("diarised", (".json",))
def read_diarised(path: str, data: bytes, directory: Optional[SpeakerDirectory]):
    """Read diarised speech-to-text JSON."""
    text, warnings = decode(data, path)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TranscriptError(f"is not valid JSON: {exc.msg}", path, exc.lineno) from exc
    except RecursionError as exc:
        raise TranscriptError("is JSON too deeply nested to be a transcript", path) from exc
    language = None
    if isinstance(document, dict):
        segments = document.get("segments")
        language = document.get("language") if isinstance(document.get("language"), str) else None
        if not isinstance(segments, list):
            raise TranscriptError("is JSON but has no 'segments' list; expected {\"segments\": [{\"start\", "
                                  "\"end\", \"text\", \"speaker\"}]} or a list of such objects", path)
    elif isinstance(document, list):
        segments = document
    else:
        raise TranscriptError("is JSON of the wrong shape: expected an object with 'segments' or a list", path)
    if not segments:
        raise TranscriptError("has no segments: there is no speech to read", path)
    turns: List[RawTurn] = []
    for index, segment in enumerate(segments):
        if not isinstance(segment, dict):
            raise TranscriptError(f"segment {index} is {type(segment).__name__}, not an object", path)
        body = segment.get("text")
        if not isinstance(body, str):
            raise TranscriptError(f"segment {index} has no 'text' string", path)
        start = _number(segment.get("start"), path, index, "start")
        end = _number(segment.get("end"), path, index, "end")
        if start is not None and end is not None and end < start:
            raise TranscriptError(f"segment {index} ends ({end}) before it starts ({start})", path)
        speaker = segment.get("speaker")
        if speaker is not None and not isinstance(speaker, str):
            speaker = str(speaker)
        turns.append(RawTurn(label=speaker, text=body, line=index, start=start, end=end))
    return finish(path, "diarised", turns, directory, warnings, language)
