"""Choose a reader for a transcript file: by content where it tells, else by suffix.

A reader is a function ``(path, data, directory) -> Transcript`` registered under a
name with the suffixes it owns and, optionally, a sniffer that recognises its
content whatever the suffix says (a WebVTT file saved as ``.txt``).
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Optional, Tuple

from ..errors import TranscriptError
from ..files import MB, read_limited
from .model import Transcript
from .normalise import SpeakerDirectory

Reader = Callable[[str, bytes, Optional[SpeakerDirectory]], Transcript]
Sniffer = Callable[[bytes], bool]


@dataclass(frozen=True)
class _Entry:
    name: str
    reader: Reader
    suffixes: Tuple[str, ...]
    sniff: Optional[Sniffer]


_READERS: Dict[str, _Entry] = {}

#: Largest transcript we read; a conference session's transcript is far smaller.
MAX_BYTES = 50 * MB


def register(name: str, suffixes: Tuple[str, ...], sniff: Optional[Sniffer] = None):
    """Register a reader function under ``name`` for ``suffixes`` (decorator)."""

    def decorate(reader: Reader) -> Reader:
        _READERS[name] = _Entry(name, reader, tuple(s.lower() for s in suffixes), sniff)
        return reader

    return decorate


def formats() -> Dict[str, Tuple[str, ...]]:
    """Return the registered format names with their suffixes."""
    return {name: entry.suffixes for name, entry in sorted(_READERS.items())}


def choose(path: Path, data: bytes, fmt: Optional[str] = None) -> str:
    """Return the name of the reader for ``path``.

    Content that a sniffer recognises wins over the suffix, because exports are
    often misnamed; an unknown suffix falls back to plain text.
    """
    if fmt:
        if fmt not in _READERS:
            raise TranscriptError(f"unknown transcript format '{fmt}'; known: {', '.join(sorted(_READERS))}",
                                  str(path))
        return fmt
    sample = data[:4096]
    if sample[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16: sniff the text, not the bytes
        sample = sample.decode("utf-16", errors="ignore").encode("utf-8")
    for entry in _READERS.values():
        if entry.sniff is not None and entry.sniff(sample):
            return entry.name
    suffix = path.suffix.lower()
    for entry in _READERS.values():
        if suffix in entry.suffixes:
            return entry.name
    return "text"


def read(path, fmt: Optional[str] = None, directory: Optional[SpeakerDirectory] = None) -> Transcript:
    """Read a transcript file in any registered format.

    Parameters
    ----------
    path : str or Path
        The transcript file.
    fmt : str, optional
        Force a reader by name instead of choosing by content and suffix.
    directory : SpeakerDirectory, optional
        The session's participants, chair and speaker aliases, used to give
        speakers their canonical names and delegations.

    Returns
    -------
    Transcript

    Raises
    ------
    TranscriptError
        When the file is missing, not a regular file (a device, a FIFO), larger than
        :data:`MAX_BYTES`, empty, or not valid for its format.
    """
    path = Path(path)
    _refuse_before_reading(path)
    data = read_limited(path, MAX_BYTES, TranscriptError, "transcript")
    name = choose(path, data, fmt)
    return _READERS[name].reader(str(path), data, directory)


def _refuse_before_reading(path: Path) -> None:
    """Refuse a regular file whose size is already over :data:`MAX_BYTES`, before opening it.

    Only a regular file's size can be trusted (``/dev/zero`` says 0 bytes);
    :func:`~outcomes.files.read_limited` refuses folders and devices and bounds every
    other case while reading.
    """
    try:
        info = path.stat()
    except OSError:
        return  # read_limited says what is wrong with the path
    if stat.S_ISREG(info.st_mode) and info.st_size > MAX_BYTES:
        raise TranscriptError(f"is {info.st_size // MB} MB; transcripts over {MAX_BYTES // MB} MB are not read",
                              str(path))
