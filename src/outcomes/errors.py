"""Exceptions raised by outcomes.

The tree::

    OutcomesError                 root: catch this to catch everything we raise
    ├── InputError                a file a rapporteur gave us is wrong (carries path, line)
    │   ├── ManifestError         conference.yml: schema, dates, ids, paths
    │   ├── TranscriptError       a transcript cannot be read as its format
    │   ├── CodebookError         the theme codebook is malformed
    │   ├── CurationError         curation.yml is malformed
    │   └── OutputError           the output folder cannot be used (it holds the conference, or files
    │                             outcomes did not write); nothing was written or deleted
    ├── PipelineError             a spaCy pipeline is missing or cannot be loaded
    ├── RenderError               the HTML or PDF could not be produced (no Chromium, say)
    ├── StorageError              the disk refused a write (full, read-only); the published report is intact
    ├── BusyError                 another build is publishing to the same output folder
    └── BuildError                a notebook failed while building (carries session, cell)

Every error has a message that says what to do. ``InputError`` renders as
``path:line: message`` so editors and CI logs can jump to the place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional


class OutcomesError(Exception):
    """Root of every error raised by outcomes."""


class InputError(OutcomesError):
    """Report a problem in an input file, with its path and line.

    Parameters
    ----------
    message : str
        What is wrong and what to do about it.
    path : str or Path, optional
        The file at fault.
    line : int, optional
        The 1-based line (or cue number) at fault, where the format has lines.
    """

    def __init__(self, message: str, path: "Optional[str | Path]" = None, line: Optional[int] = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path or ""
        if self.path and self.line is not None:
            where = f"{self.path}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class ManifestError(InputError):
    """Report a problem in a conference manifest."""


class TranscriptError(InputError):
    """Report a transcript that cannot be read."""


class CodebookError(InputError):
    """Report a malformed theme codebook."""


class CurationError(InputError):
    """Report a malformed curation file."""


class OutputError(InputError):
    """Report an output folder that outcomes will not publish into (a bad ``--output``)."""


class PipelineError(OutcomesError):
    """Report a spaCy pipeline that is not installed or does not load."""


class RenderError(OutcomesError):
    """Report that the HTML or PDF could not be produced."""


class StorageError(OutcomesError):
    """Report a write the system refused (disk full, read-only file system, no permission)."""


class BusyError(OutcomesError):
    """Report that another build holds the lock of the output folder."""


class BuildError(OutcomesError):
    """Report a notebook that failed during a build.

    Parameters
    ----------
    message : str
        What failed.
    session : str, optional
        The session id whose notebook failed, or None for the report notebook.
    cell : int, optional
        The index of the failing cell in the executed notebook.
    notebook : str, optional
        Where the failed executed notebook was written.
    """

    def __init__(self, message: str, session: Optional[str] = None, cell: Optional[int] = None,
                 notebook: Optional[str] = None):
        self.session = session
        self.cell = cell
        self.notebook = notebook
        super().__init__(message)


def shorten(value, limit: int = 80) -> str:
    """Return ``repr``-like text of ``value`` cut to about ``limit`` characters, for messages.

    A message quotes what it found in a file; a value expanded from a YAML alias bomb
    or a 10 MB line must not become a 300 MB error line, so nothing is ever
    rendered in full before it is cut (``reprlib`` stops at a few items a level).
    """
    import reprlib

    short = reprlib.Repr()
    short.maxstring = short.maxother = limit
    short.maxlist = short.maxtuple = short.maxdict = short.maxset = 8
    short.maxlevel = 3
    text = short.repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text
