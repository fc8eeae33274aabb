"""What a build reads, checked before anything runs: the inputs, the output's default place, the build date.

Bad input stops the build here, with every problem named (file and line), before a
session is analysed or a file is written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from .conference import Conference
from .errors import InputError, OutcomesError

def default_output(conference: Conference) -> Path:
    """Return ``reports/<conference folder name>``."""
    return Path("reports") / conference.root.resolve().name


def input_files(conference: Conference) -> List[Path]:
    """Return every file the build reads from the conference folder (an output may hold none of them)."""
    files = [conference.manifest_path, conference.curation_path] + [s.transcript for s in conference.sessions]
    if conference.codebook != "default":
        files.append(Path(conference.codebook))
    return files


def check_build_date(value: Optional[str]) -> str:
    """Return ``value`` (today when None) if it is an ISO date, or raise :class:`InputError`."""
    if value is None:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise InputError(f"build date {str(value)[:40]!r} is not a date; write it as YYYY-MM-DD") from None


def check_inputs(conference: Conference, errors: Optional[List[OutcomesError]] = None) -> List[str]:
    """Read every transcript once so that bad input fails before any notebook runs.

    Parameters
    ----------
    conference : Conference
        The loaded manifest.
    errors : list, optional
        When given, a bad transcript's error is appended here and reading goes
        on with the next one (``outcomes validate`` reports every problem);
        otherwise the first error is raised.

    Returns
    -------
    list of str
        The readers' warnings.
    """
    from .codebook import load as load_codebook
    from .curation import load as load_curation

    warnings: List[str] = []
    checks = [lambda: load_codebook(conference.codebook),
              lambda: load_curation(conference.curation_path, conference.root)]
    known = _known_reads(conference)
    checks += [lambda s=session: warnings.extend(_transcript_warnings(conference, s, known))
               for session in conference.sessions]
    for check in checks:
        try:
            check()
        except OutcomesError as exc:
            if errors is None:
                raise
            errors.append(exc)
    return warnings


#: Transcripts read without error in this process: (session, transcript, manifest, reader code) -> warnings.
#: A long-lived process (``outcomes preview``) then reads again only what changed.
_READ: Dict[Tuple[str, str, str, str], List[str]] = {}


def _known_reads(conference: Conference) -> Optional[Tuple[str, str]]:
    """Return what every transcript's read depends on besides its own bytes: the manifest and the reader code."""
    from .analysis import file_sha256
    from .fingerprint import ANALYSIS_CODE, code

    try:
        return file_sha256(conference.manifest_path), code(ANALYSIS_CODE)
    except OSError:
        return None


def _transcript_warnings(conference: Conference, session, known: Optional[Tuple[str, str]]) -> List[str]:
    """Return the warnings of reading ``session``'s transcript, reading it only if it or its reader changed."""
    from .analysis import file_sha256

    if known is None:
        return list(conference.read_transcript(session).warnings)
    try:
        key = (session.id, file_sha256(session.transcript), *known)
    except OSError:  # unreadable: let the reader say so, with its own message
        return list(conference.read_transcript(session).warnings)
    if key not in _READ:
        if len(_READ) >= 1024:  # a long preview session: forget the old reads rather than grow
            _READ.clear()
        _READ[key] = list(conference.read_transcript(session).warnings)
    return list(_READ[key])
