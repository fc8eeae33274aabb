"""Word documents: one paragraph per turn, the speaker label in bold or plain.

Parsing is python-docx's. Headings are titles, not speech; a paragraph without a
label continues the previous speaker.
"""

from __future__ import annotations

import io
import zipfile
from typing import List, Optional

from ..errors import TranscriptError
from .normalise import RawTurn, SpeakerDirectory, finish
from .registry import register
from .text import parse


def _sniff(data: bytes) -> bool:
    return data[:2] == b"PK" and b"word/" in data[:4096]


@register("docx", (".docx",), sniff=_sniff)
def read_docx(path: str, data: bytes, directory: Optional[SpeakerDirectory]):
    """Read a Word document."""
    import docx  # python-docx; imported here because it is slow to import

    if not data.strip():
        raise TranscriptError("is empty: there is no speech to read", path)
    if data[:2] != b"PK":
        raise TranscriptError("is not a Word document (.docx is a zip archive); save it from Word as .docx, "
                              "or rename it to .txt if it is text", path)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TranscriptError(f"is not a readable Word document ({exc}); open it in Word and save it again",
                              path) from exc
    except Exception as exc:  # python-docx raises bare package errors on broken parts
        raise TranscriptError(f"is not a readable Word document ({type(exc).__name__}: {exc})", path) from exc
    lines: List[str] = []
    numbers: List[int] = []
    for number, paragraph in enumerate(document.paragraphs, start=1):
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style.lower().startswith(("heading", "title")):
            continue
        lines.append(paragraph.text.replace("\n", " "))
        numbers.append(number)
    if not any(line.strip() for line in lines):
        raise TranscriptError("is a Word document with no text", path)
    raw: List[RawTurn] = parse(path, "\n\n".join(lines), directory)
    # parse() counted lines of the joined text: map them back to paragraph numbers
    for turn in raw:
        turn.line = numbers[(turn.line - 1) // 2]
    prose = all(t.label is None for t in raw)
    warnings = [f"{path}: no speaker labels found; read as prose by one unknown speaker"] if prose else []
    return finish(path, "docx", raw, directory, warnings, merge=not prose)
