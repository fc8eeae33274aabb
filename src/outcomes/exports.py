"""The report's data exports: ``findings.csv``, ``sessions.csv`` and ``findings.json``.

The CSV files are meant to be opened in a spreadsheet, and a spreadsheet runs a
cell that starts like a formula: a quote such as ``=HYPERLINK("http://…","click
me")``, a speaker or a delegation written that way would become a live link or
a calculation. So, as OWASP recommends against CSV injection, every text cell
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or
their fullwidth forms ``＝ ＋ － ＠``, or any of these after leading spaces,
which some spreadsheets trim) is written with a ``'`` in front; a carriage
return inside a cell is written as a line feed, so that the cell is quoted and
cannot start a row of its own; numbers are written as they are. The JSON export
is for programs, not spreadsheets, and keeps every string verbatim.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import List

import pandas as pd

from . import aggregate
from .aggregate import Report

FINDINGS_CSV = "findings.csv"
FINDINGS_JSON = "findings.json"
SESSIONS_CSV = "sessions.csv"

#: What a spreadsheet may read as the start of a formula (OWASP's list, plus the fullwidth forms).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value):
    """Return a cell value that no spreadsheet reads as a formula.

    Parameters
    ----------
    value : object
        A cell. Only text is changed; numbers, None and NaN come back as they are.

    Returns
    -------
    object
        ``value`` with a ``'`` in front when it is text starting like a formula, and
        its carriage returns written as line feeds.
    """
    if not isinstance(value, str):
        return value
    if value.lstrip(" ").startswith(FORMULA_STARTS):
        value = "'" + value
    # With lines ending in "\n", Python's csv writer quotes a cell holding a line feed but not one
    # holding only a carriage return, where a spreadsheet would start a new row (and a new first cell).
    return value.replace("\r\n", "\n").replace("\r", "\n")


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` with every text cell, and every column name, neutralised.

    Numeric columns are left alone so that their type, and so their formatting, stays.
    """
    out = frame.rename(columns=neutralise)
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column].dtype):
            out[column] = out[column].map(neutralise)
    return out


def write_csv(frame: pd.DataFrame, path) -> Path:
    """Write ``frame`` as a CSV file that is safe to open in a spreadsheet.

    Parameters
    ----------
    frame : DataFrame
        The table; it is not modified.
    path : str or Path
        Where to write.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    neutralised(frame).to_csv(path, index=False, float_format="%.3f", lineterminator="\n")
    return path


def write_json(report: Report, path, build_date: str) -> Path:
    """Write the findings export as JSON, every string verbatim.

    Parameters
    ----------
    report : Report
        The aggregated report (its conference gives the title).
    path : str or Path
        Where to write.
    build_date : str
        ISO date of the build.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    record = {"conference": report.conference.title, "build_date": build_date,
              "codebook_sha256": report.codebook.sha256, "findings": aggregate.findings_records(report)}
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1, allow_nan=False) + "\n", encoding="utf-8")
    return path


def write_all(folder, report: Report, build_date: str) -> List[Path]:
    """Write ``findings.csv``, ``sessions.csv`` and ``findings.json`` into ``folder``.

    Parameters
    ----------
    folder : str or Path
        An existing folder (the build's staging folder).
    report : Report
        The aggregated report.
    build_date : str
        ISO date of the build, recorded in the JSON.

    Returns
    -------
    list of Path
        The files written.
    """
    folder = Path(folder)
    return [write_csv(aggregate.findings_table(report), folder / FINDINGS_CSV),
            write_csv(aggregate.sessions_table(report), folder / SESSIONS_CSV),
            write_json(report, folder / FINDINGS_JSON, build_date)]
