"""Word documents: one paragraph per turn, the speaker label in bold or plain.

Parsing is python-docx's. Headings are titles, not speech; a paragraph without a
label continues the previous speaker.

A .docx is a zip archive, and python-docx unpacks every part into memory and
builds an object per paragraph: a 1 MB archive can unpack to gigabytes, a 150 KB
one can hold 800,000 paragraphs. The archive is checked first, from its
directory and by streaming its XML, against the limits below.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from typing import Dict, List, Optional

from ..errors import TranscriptError, shorten
from ..files import MB, describe_size
from .normalise import RawTurn, SpeakerDirectory, finish
from .registry import MAX_BYTES, register
from .text import parse

#: Most parts (zip members) a Word document may hold; Word writes 10 to 30, an image adds one.
MAX_PARTS = 1_000
#: Most bytes one part may unpack to: the transcript size limit.
MAX_PART_BYTES = MAX_BYTES
#: Most bytes all parts together may unpack to.
MAX_UNPACKED_BYTES = 2 * MAX_BYTES
#: Highest compression ratio of a part that unpacks to over :data:`RATIO_FROM_BYTES`.
#: Word's own XML compresses about 3 to 35 to 1; deflate cannot pass about 1,030 to 1.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1 * MB
#: Most paragraphs read (python-docx takes about 60 microseconds each, lxml some memory each);
#: a day of conference speech is a few thousand.
MAX_PARAGRAPHS = 100_000

# A paragraph's start tag: <w:p>, <w:p w:rsidR=...>, <w:p/>; not <w:pPr>, <w:proofErr>.
_PARAGRAPH = re.compile(rb"<w:p[\s>/]")
_CHUNK = 1 * MB
_UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, OSError, ValueError)


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
    check_archive(path, data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TranscriptError(f"is not a readable Word document ({exc}); open it in Word and save it again",
                              path) from exc
    except Exception as exc:  # python-docx raises bare package errors on broken parts
        raise TranscriptError(f"is not a readable Word document ({type(exc).__name__}: {exc})", path) from exc
    lines: List[str] = []
    numbers: List[int] = []
    styles: Dict[Optional[str], str] = {}
    for number, paragraph in enumerate(document.paragraphs, start=1):
        if _style_name(document, paragraph, styles).lower().startswith(("heading", "title")):
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
    # unlabelled speech is warned about by finish, as in every format
    return finish(path, "docx", raw, directory, merge=not prose)


def _style_name(document, paragraph, names: Dict[Optional[str], str]) -> str:
    """Return the name of ``paragraph``'s style, looked up once per style id.

    ``paragraph.style`` searches the styles part on every call, about a millisecond
    a paragraph with Word's own styles; the lookup below is the same, cached.
    """
    style_id = paragraph._p.style  # the w:pStyle value, None for the default style
    if style_id not in names:
        from docx.enum.style import WD_STYLE_TYPE

        style = document.part.get_style(style_id, WD_STYLE_TYPE.PARAGRAPH)
        names[style_id] = (style.name if style is not None else "") or ""
    return names[style_id]


def check_archive(path: str, data: bytes) -> None:
    """Refuse a Word document that would take too much memory or time to parse, before parsing it.

    Checks, in order: the number of parts, the compression method, each part's and
    all parts' unpacked size as the archive declares them, the compression ratio,
    then the number of paragraphs, counted by streaming the XML parts (never more
    bytes than a part declares, nor than :data:`MAX_PART_BYTES`).

    Parameters
    ----------
    path : str
        The file, for messages.
    data : bytes
        The archive.

    Raises
    ------
    TranscriptError
        When a limit is passed, or the archive cannot be read.
    """
    # Before zipfile builds an object per member: the central directory's signature, counted
    if data.count(b"PK\x01\x02") > MAX_PARTS:
        raise _too_many_parts(path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_sizes(path, members)
            paragraphs = sum(_count_paragraphs(archive, member) for member in members
                             if member.filename.endswith(".xml"))
    except _UNREADABLE as exc:
        raise TranscriptError(f"is not a readable Word document ({exc}); open it in Word and save it again",
                              path) from exc
    if paragraphs > MAX_PARAGRAPHS:
        raise TranscriptError(f"is a Word document of {paragraphs:,} paragraphs; the most read is "
                              f"{MAX_PARAGRAPHS:,}, far more than a session's transcript: split it into one "
                              "document per session, or save it as text (.txt)", path)


def _too_many_parts(path: str) -> TranscriptError:
    return TranscriptError(f"is a zip archive of more than {MAX_PARTS:,} parts, not a Word document; "
                           "save the transcript again from Word as .docx", path)


def _check_sizes(path: str, members: List[zipfile.ZipInfo]) -> None:
    """Check the parts' count, compression method, unpacked sizes and ratios, as the archive declares them."""
    if len(members) > MAX_PARTS:
        raise _too_many_parts(path)
    total = 0
    for member in members:
        name = shorten(member.filename, 60)
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # bzip2 and LZMA inflate a whole block at once, past any size the reader would stop at
            raise TranscriptError(f"is a Word document whose part {name} is compressed in a way Word never "
                                  f"uses (method {member.compress_type}); save it again from Word", path)
        if member.file_size > MAX_PART_BYTES:
            raise TranscriptError(f"is a Word document whose part {name} unpacks to "
                                  f"{describe_size(member.file_size)}, over the {describe_size(MAX_PART_BYTES)} "
                                  "read: this is not a transcript (perhaps a zip bomb); save the transcript "
                                  "again from Word, or as text (.txt)", path)
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
            raise TranscriptError(f"is a Word document whose part {name} is compressed {ratio:,.0f} to 1 "
                                  f"(Word's are under {MAX_RATIO} to 1): this is not a transcript (perhaps a "
                                  "zip bomb); save the transcript again from Word, or as text (.txt)", path)
        total += member.file_size
    if total > MAX_UNPACKED_BYTES:
        raise TranscriptError(f"is a Word document that unpacks to {describe_size(total)}, over the "
                              f"{describe_size(MAX_UNPACKED_BYTES)} read; save the transcript again from Word "
                              "without images, or as text (.txt)", path)


def _count_paragraphs(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> int:
    """Return the paragraph start tags in one XML part, read in chunks, at most :data:`MAX_PART_BYTES`."""
    count = 0
    tail = b""
    left = MAX_PART_BYTES
    with archive.open(member) as stream:
        while left > 0:
            chunk = stream.read(min(_CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            window = tail + chunk
            count += len(_PARAGRAPH.findall(window))
            # a tag cut by the chunk boundary is counted in the next window; one wholly in
            # the kept tail (shorter than a tag) cannot be counted twice
            tail = window[-4:]
    return count
