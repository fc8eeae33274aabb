"""The report model on disk: ``report.json``, written once by the aggregate stage and read by all the rest.

The build computes the :class:`~outcomes.aggregate.Report` once (:func:`outcomes.build.aggregate_stage`)
and saves it here; the report notebook loads it and displays it; the exports and the
transcript pages are written from the same object. Nothing downstream aggregates again.

The file is versioned (:data:`FORMAT`) and described by a JSON Schema
(``outcomes/data/report.schema.json``): its tables are pandas "table" documents, each
with its own Table Schema of columns and types, so that a table read back has the
types it was written with. The inputs a report rests on (the manifest, the codebook,
the curation file) are not copied into it: they are read again from the conference
folder, and the provenance record in the model names each one with its SHA-256, so a
changed input is refused rather than silently mixed in (:class:`ModelError`).

Typed records for what the model holds one by one: :class:`Finding` (one finding and
theme, as the exports give it) and :class:`Warning` (code, file, line, message).
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Dict, List, Optional

import pandas as pd

from .errors import OutcomesError

#: The version of ``report.json``; a file of another version is refused, never half-read.
FORMAT = 1
FILE = "report.json"
#: The Report's tables, saved as pandas "table" documents.
TABLES = ("sentences", "findings", "sessions", "session_themes", "prominence", "speakers", "delegations",
          "mentions", "proposals", "subtopics", "positions", "differences", "session_quotes", "shown_proposals",
          "drafted", "days", "provenance", "pipelines")


class ModelError(OutcomesError):
    """A ``report.json`` that cannot be used: another format, a changed input, or not a report model."""


@dataclass(frozen=True)
class Warning:
    """One warning of a build, as the report's annex and ``manifest.json`` list it.

    Attributes
    ----------
    code : str
        What kind of warning (``speaker``, ``encoding``, ``timing``, ``curation``, ``session``, ``long-turn``,
        ``other``): stable, for filtering.
    file : str or None
        The file it is about, relative to the conference folder where it is inside it.
    line : int or None
        The line in that file.
    message : str
        The sentence a rapporteur reads.
    """

    code: str
    file: Optional[str]
    line: Optional[int]
    message: str

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line is not None else "") if self.file else None
        return f"{where}: {self.message}" if where else self.message

    @classmethod
    def parse(cls, text: str) -> "Warning":
        """Return the record of a warning line (``file:line: message``, ``file: message`` or ``session S: ...``)."""
        found = _LOCATED.match(text)
        if found and not text.startswith("session "):
            file, line, message = found.group("file"), found.group("line"), found.group("message")
            return cls(_code(message), file, int(line) if line else None, message)
        return cls(_code(text), None, None, text)


_LOCATED = re.compile(r"^(?P<file>[^:\s][^:]*?)(?::(?P<line>\d+))?: (?P<message>.+)$", re.S)
# the first pattern a warning's message matches gives its code
_CODES = (
    ("speaker", re.compile(r"speaker|delegation|participant", re.I)),
    ("encoding", re.compile(r"UTF-8|Windows-1252|encoding", re.I)),
    ("timing", re.compile(r"\bcue\b|starts before|time", re.I)),
    ("long-turn", re.compile(r"runs past", re.I)),
    ("curation", re.compile(r"curation|finding id|matches no", re.I)),
    ("session", re.compile(r"^session |no sentence", re.I)),
)


def _code(message: str) -> str:
    return next((code for code, pattern in _CODES if pattern.search(message)), "other")


@dataclass(frozen=True)
class Finding:
    """One finding under one theme: a sentence of a session that carries the theme, with where it was said."""

    id: str
    session: str
    session_title: str
    date: Optional[str]
    language: str
    speaker: str
    delegation: Optional[str]
    start: Optional[str]
    line: int
    turn: int
    theme: str
    subtopic: Optional[str]
    score: float
    confidence: Optional[float]
    proposal: Optional[str]
    summary: Optional[str]
    text: str
    cues: List[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Return the finding as ``findings.json`` gives it."""
        return asdict(self)


def schema() -> dict:
    """Return the JSON Schema of ``report.json`` (shipped as ``outcomes/data/report.schema.json``)."""
    return json.loads(_schema_text())


@lru_cache(maxsize=1)
def _schema_text() -> str:
    return (resources.files("outcomes") / "data" / "report.schema.json").read_text(encoding="utf-8")


def to_document(report) -> dict:
    """Return the JSON document of ``report`` (an :class:`~outcomes.aggregate.Report`)."""
    def table(frame: pd.DataFrame) -> dict:
        return json.loads(frame.to_json(orient="table", index=True, date_format="iso", force_ascii=False, double_precision=15))

    return {
        "format": FORMAT,
        "conference": {"title": report.conference.title, "root": str(report.conference.root)},
        "sessions_analysed": [a.id for a in report.analyses],
        "tables": {name: table(getattr(report, name)) for name in TABLES},
        "key_statements": {theme: table(frame) for theme, frame in report.key_statements.items()},
        "figures": report.figures,
        "warnings": [asdict(Warning.parse(w)) for w in report.warnings],
        "evaluation": table(report.evaluation) if report.evaluation is not None else None,
        "versions": report.versions,
        "unattributed": {str(k): int(v) for k, v in report.unattributed.items()},
    }


def save(report, folder: Path) -> Path:
    """Write ``report.json`` into ``folder`` and return its path."""
    target = Path(folder) / FILE
    target.write_text(json.dumps(to_document(report), ensure_ascii=False, indent=None) + "\n", encoding="utf-8")
    return target


def load(path: Path, conference=None):
    """Return the :class:`~outcomes.aggregate.Report` saved at ``path``.

    The session analyses are read from the same folder (``<session>.json``), the manifest,
    codebook and curation from the conference folder.

    Raises
    ------
    ModelError
        When the file is of another format, or an input changed since it was written.
    """
    from . import aggregate
    from .analysis import SessionAnalysis
    from .codebook import load as load_codebook
    from .conference import load as load_conference
    from .curation import load as load_curation
    from .analysis import file_sha256

    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: not a readable report model ({exc})") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        found = document.get("format") if isinstance(document, dict) else None
        raise ModelError(f"{path}: report model format {found!r}, this outcomes reads format {FORMAT}; "
                         "build again")
    conference = conference or load_conference(document["conference"]["root"])

    def table(data: dict) -> pd.DataFrame:
        frame = pd.read_json(io.StringIO(json.dumps(data)), orient="table", precise_float=True)
        # text columns come back as they were built (objects, None where missing), not as NaN
        for spec in data["schema"]["fields"]:
            name = spec["name"]
            if spec["type"] in ("string", "any") and name in frame:
                column = frame[name].astype(object)
                frame[name] = column.where(column.notna(), None)
        return frame

    try:
        tables = {name: table(document["tables"][name]) for name in TABLES}
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{path}: not a complete report model ({exc}); build again") from exc
    codebook = load_codebook(conference.codebook)
    now = {"manifest": conference.manifest_path, "codebook": Path(codebook.path),
           "curation": conference.curation_path}
    for row in tables["provenance"].itertuples():
        source = now.get(row.role, conference.root / row.path)
        if source is None or not Path(source).is_file() or file_sha256(source) != row.sha256:
            raise ModelError(f"{path}: {row.path} changed since the report model was written; build again")
    analyses = [SessionAnalysis.load(path.parent / f"{session}.json") for session in document["sessions_analysed"]]
    evaluation = table(document["evaluation"]) if document["evaluation"] is not None else None
    return aggregate.Report(
        conference=conference, codebook=codebook, curation=load_curation(conference.curation_path, conference.root),
        analyses=analyses, key_statements={t: table(d) for t, d in document["key_statements"].items()},
        figures=document["figures"], warnings=[str(Warning(**w)) for w in document["warnings"]],
        evaluation=evaluation, versions=document["versions"],
        unattributed=pd.Series(document["unattributed"], dtype=int), **tables)


def records(report) -> Dict[str, List[Finding]]:
    """Return the report's findings as typed records, per theme."""
    from .aggregate import findings_records

    found: Dict[str, List[Finding]] = {}
    for record in findings_records(report):
        found.setdefault(record["theme"], []).append(Finding(**record))
    return found
