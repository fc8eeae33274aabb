"""What a build reads, checked before anything runs: the inputs, the output's default place, the build date.

Bad input stops the build here, with every problem named (file and line), before a
session is analysed or a file is written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import List, Optional

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
    checks += [lambda s=session: warnings.extend(conference.read_transcript(s).warnings)
               for session in conference.sessions]
    for check in checks:
        try:
            check()
        except OutcomesError as exc:
            if errors is None:
                raise
            errors.append(exc)
    return warnings
