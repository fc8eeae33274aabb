"""The conference manifest (``conference.yml``): schema, loading, validation, path safety.

The manifest names the conference, its participants and its sessions; each
session points at one transcript file inside the conference folder.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from . import yamlfile
from .errors import ManifestError, shorten
from .gazetteer import canonical_delegation
from .transcripts import SpeakerDirectory, Transcript, formats, read
from .transcripts.normalise import present

MANIFEST = "conference.yml"
SUPPORTED_LANGUAGES = ("en", "fr")

_TIME = r"^([01]\d|2[0-3]):[0-5]\d$"
SCHEMA = {
    "type": "object",
    "required": ["title", "sessions"],
    "properties": {
        "title": {"type": "string", "minLength": 1},
        "short_title": {"type": "string"},
        "dates": {
            "type": "object",
            "required": ["start", "end"],
            "properties": {"start": {}, "end": {}},
            "additionalProperties": False,
        },
        "venue": {"type": "string", "minLength": 1},
        "organisers": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "languages": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "illustrative": {"type": "boolean"},
        "illustrative_notice": {"type": "string"},
        "codebook": {"type": "string"},
        "participants": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "delegation": {"type": ["string", "null"]},
                    "role": {"type": ["string", "null"]},
                },
                "additionalProperties": False,
            },
        },
        "sessions": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "transcript"],
                "properties": {
                    "id": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"},
                    "title": {"type": "string", "minLength": 1},
                    "date": {},
                    "start": {"type": "string", "pattern": _TIME},
                    "end": {"type": "string", "pattern": _TIME},
                    "language": {"type": "string"},
                    "chair": {"type": "string"},
                    "panellists": {"type": "array", "items": {"type": "string"}},
                    "transcript": {"type": "string", "minLength": 1},
                    "format": {"type": "string"},
                    "speakers": {"type": "object", "additionalProperties": {"type": "string"}},
                    "speaker": {"type": "string", "minLength": 1},
                    "delegation": {"type": "string", "minLength": 1},
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}


@dataclass
class Session:
    """One session of the conference, as the manifest declares it."""

    id: str
    title: str  # the manifest's title, else the id
    date: Optional[dt.date]  # None when neither the session nor a one-day conference gives one
    language: str  # "en" or "fr"; detected from the transcript when the manifest says auto or nothing
    transcript: Path
    start: Optional[str] = None
    end: Optional[str] = None
    chair: Optional[str] = None
    panellists: List[str] = field(default_factory=list)
    format: Optional[str] = None
    speakers: Dict[str, str] = field(default_factory=dict)
    speaker: Optional[str] = None  # the one person who reads the session's statement, if the manifest names one
    delegation: Optional[str] = None  # that person's delegation
    entry: dict = field(default_factory=dict)


@dataclass
class Conference:
    """A conference: its manifest and where its files are."""

    root: Path
    title: str
    short_title: str
    start: Optional[dt.date]  # None when neither the manifest's dates nor any session's date says
    end: Optional[dt.date]
    venue: str  # "" when the manifest gives none
    organisers: List[str]
    languages: List[str]
    sessions: List[Session]
    participants: Dict[str, Optional[str]]
    roles: Dict[str, Optional[str]]
    illustrative: bool = False
    illustrative_notice: str = ""
    codebook: str = "default"

    @property
    def manifest_path(self) -> Path:
        """Return the path of ``conference.yml``."""
        return self.root / MANIFEST

    @property
    def curation_path(self) -> Path:
        """Return the path of the rapporteur's ``curation.yml`` (it may not exist)."""
        return self.root / "curation.yml"

    def session(self, session_id: str) -> Session:
        """Return the session with id ``session_id``.

        Raises
        ------
        ManifestError
            When no session has that id.
        """
        for session in self.sessions:
            if session.id == session_id:
                return session
        known = ", ".join(s.id for s in self.sessions)
        raise ManifestError(f"no session '{session_id}'; sessions are: {known}", self.manifest_path)

    def directory(self, session: Session) -> SpeakerDirectory:
        """Return the speaker directory used to read ``session``'s transcript."""
        return SpeakerDirectory(participants=dict(self.participants), chair=session.chair,
                                aliases=dict(session.speakers), delegation_names=canonical_delegation,
                                speaker=session.speaker, speaker_delegation=session.delegation)

    def read_transcript(self, session: Session) -> Transcript:
        """Read ``session``'s transcript with the conference's participants."""
        return read(session.transcript, fmt=session.format, directory=self.directory(session))


def _as_date(value, what: str, path: Path, line: Optional[int]) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ManifestError(f"{what} is {shorten(value)}, not a real date (write YYYY-MM-DD)", path, line)


def _inside(root: Path, relative: str, manifest: Path, line: Optional[int], what: str = "transcript") -> Path:
    """Return ``root/relative`` if it stays inside ``root`` once links are followed."""
    if "\x00" in relative:
        raise ManifestError(f"{what} path holds a NUL character", manifest, line)
    if Path(relative).is_absolute() or re.match(r"^[A-Za-z]:[\\/]", relative):
        raise ManifestError(f"{what} path {shorten(relative)} is absolute; give it relative to the conference folder",
                            manifest, line)
    candidate = root / relative
    real_root = root.resolve()
    try:
        target = candidate.resolve()
    except (RuntimeError, OSError) as exc:  # Python 3.11 says RuntimeError for a loop of links
        raise ManifestError(f"{what} path {shorten(relative)} is a symbolic link that leads round in a loop",
                            manifest, line) from exc
    try:
        target.relative_to(real_root)
    except ValueError as exc:
        raise ManifestError(f"{what} path {shorten(relative)} leads outside the conference folder "
                            "(through '..' or a symbolic link); copy the file into the folder", manifest, line) from exc
    return candidate


def _explain(error) -> Optional[str]:
    """Return a clearer message than the schema's for a time YAML read as a number, or None."""
    path = list(error.path)
    if path and path[-1] in ("start", "end") and isinstance(error.instance, int):
        where = ".".join(str(p) for p in path)
        return (f"{where}: {shorten(error.instance)} is not a time: YAML reads an unquoted 25:00 as a number; "
                "write times in quotes, as \"09:30\"")
    return None


def load(conference_dir) -> Conference:
    """Load and validate a conference folder's manifest.

    Parameters
    ----------
    conference_dir : str or Path
        The folder holding ``conference.yml``.

    Returns
    -------
    Conference

    Raises
    ------
    ManifestError
        When the manifest is missing, not a regular file, too large, not YAML, breaks
        the schema, has impossible dates, unknown languages, duplicate keys or
        session ids, control characters, or points at transcripts that are missing
        or outside the folder.
    """
    root = Path(conference_dir)
    manifest = root / MANIFEST
    if not root.is_dir():
        raise ManifestError("is not a folder; give the conference folder that holds conference.yml", root)
    if not os.path.lexists(manifest):
        raise ManifestError("does not exist; every conference folder needs a conference.yml", manifest)
    document = yamlfile.load(manifest, ManifestError, "conference manifest")
    data = document.data
    if not isinstance(data, dict):
        raise ManifestError("must be a mapping with at least a title and sessions", manifest, 1)
    yamlfile.validate(document, SCHEMA, ManifestError, "manifest", explain=_explain)
    start, end = _dates(document)
    for language in data.get("languages") or []:
        if language not in SUPPORTED_LANGUAGES:
            raise ManifestError(f"language {shorten(language)} is not supported; "
                                f"use one of {', '.join(SUPPORTED_LANGUAGES)}", manifest, document.line(["languages"]))
    codebook = _codebook(root, document)
    participants: Dict[str, Optional[str]] = {}
    roles: Dict[str, Optional[str]] = {}
    for person in data.get("participants") or []:
        participants[person["name"]] = present(person.get("delegation"))
        roles[person["name"]] = present(person.get("role"))
    seen: Dict[str, int] = {}
    sessions = [_session(root, document, index, start, end, seen) for index in range(len(data["sessions"]))]
    start, end = _span(start, end, sessions)
    # after the checks above, so that a NUL in a transcript path is named as such
    yamlfile.refuse_control_characters(document, ManifestError)
    conference = Conference(
        root=root, title=data["title"], short_title=data.get("short_title") or data["title"],
        start=start, end=end, venue=data.get("venue") or "", organisers=list(data.get("organisers") or []),
        languages=list(data.get("languages") or []), sessions=sessions, participants=participants, roles=roles,
        illustrative=bool(data.get("illustrative", False)),
        illustrative_notice=data.get("illustrative_notice", "") or "", codebook=codebook,
    )
    for index, session in enumerate(sessions):
        if session.language == "auto":
            session.language = _detect_language(conference, session, document.line(["sessions", index]))
    if not conference.languages:  # not declared: the languages its sessions are in
        conference.languages = sorted({session.language for session in sessions})
    return conference


def _span(start: Optional[dt.date], end: Optional[dt.date],
          sessions: List[Session]) -> "tuple[Optional[dt.date], Optional[dt.date]]":
    """Return the conference's first and last days: as declared, else those of its dated sessions.

    A session without a date takes the conference's day when the conference lasts one day.
    """
    if start is None:
        dated = [s.date for s in sessions if s.date is not None]
        start, end = (min(dated), max(dated)) if dated else (None, None)
    if start is not None and start == end:
        for session in sessions:
            session.date = session.date or start
    return start, end


def _dates(document: yamlfile.Document) -> "tuple[Optional[dt.date], Optional[dt.date]]":
    """Return the conference's first and last days, checked; None and None when the manifest has no dates."""
    dates, manifest = document.data.get("dates"), document.path
    if dates is None:
        return None, None
    start = _as_date(dates["start"], "dates.start", manifest, document.line(["dates", "start"]))
    end = _as_date(dates["end"], "dates.end", manifest, document.line(["dates", "end"]))
    if end < start:
        raise ManifestError(f"dates.end ({end}) is before dates.start ({start})", manifest,
                            document.line(["dates", "end"]))
    return start, end


def _codebook(root: Path, document: yamlfile.Document) -> str:
    """Return "default" or the path of the conference's own codebook, which must lie in the folder."""
    codebook = document.data.get("codebook", "default")
    if codebook == "default":
        return codebook
    line = document.line(["codebook"])
    codebook_path = _inside(root, codebook, document.path, line, what="codebook")
    if not codebook_path.exists():
        raise ManifestError(f"codebook {shorten(codebook)} does not exist (paths are relative to the conference "
                            "folder)", document.path, line)
    if not codebook_path.is_file():  # a folder, a FIFO or a device: never opened
        raise ManifestError(f"codebook {shorten(codebook)} is not a regular file", document.path, line)
    return str(codebook_path)


def _session(root: Path, document: yamlfile.Document, index: int, start: Optional[dt.date],
             end: Optional[dt.date], seen: Dict[str, int]) -> Session:
    """Return the checked session at ``index`` of the manifest; ``seen`` maps the ids so far to their lines."""
    entry, manifest = document.data["sessions"][index], document.path
    line = document.line(["sessions", index])
    if entry["id"] in seen:
        raise ManifestError(f"session id '{entry['id']}' is used twice (first at line {seen[entry['id']]}); "
                            "session ids must be unique", manifest, line)
    seen[entry["id"]] = line
    what = f"session {entry['id']}"
    date_line = document.line(["sessions", index, "date"])
    date = _as_date(entry["date"], f"{what}: date", manifest, date_line) if entry.get("date") is not None else None
    if date is not None and start is not None and not start <= date <= end:
        raise ManifestError(f"{what}: date {date} is outside the conference ({start} to {end})", manifest, date_line)
    language = entry.get("language", "auto")
    if language != "auto" and language not in SUPPORTED_LANGUAGES:
        raise ManifestError(f"{what}: language {shorten(language)} is not supported; "
                            f"use one of {', '.join(SUPPORTED_LANGUAGES)} or auto", manifest,
                            document.line(["sessions", index, "language"]))
    if entry.get("start") and entry.get("end") and entry["end"] < entry["start"]:
        raise ManifestError(f"{what}: ends ({entry['end']}) before it starts ({entry['start']})",
                            manifest, document.line(["sessions", index, "end"]))
    if entry.get("format") and entry["format"] not in formats():
        raise ManifestError(f"{what}: unknown transcript format {shorten(entry['format'])}; "
                            f"known: {', '.join(formats())}", manifest, document.line(["sessions", index, "format"]))
    transcript_line = document.line(["sessions", index, "transcript"])
    transcript = _inside(root, entry["transcript"], manifest, transcript_line)
    if transcript.is_dir():
        raise ManifestError(f"{what}: transcript {shorten(entry['transcript'])} is a folder, not a file",
                            manifest, transcript_line)
    if not transcript.is_file():
        problem = "is not a regular file (a FIFO or a device)" if transcript.exists() else "does not exist"
        raise ManifestError(f"{what}: transcript {shorten(entry['transcript'])} {problem}",
                            manifest, transcript_line)
    return Session(
        id=entry["id"], title=entry.get("title") or entry["id"], date=date, language=language,
        transcript=transcript, start=entry.get("start"), end=entry.get("end"), chair=present(entry.get("chair")),
        panellists=list(entry.get("panellists") or []), format=entry.get("format"),
        speakers={label: name for label, name in (entry.get("speakers") or {}).items() if present(name)},
        speaker=present(entry.get("speaker")), delegation=present(entry.get("delegation")), entry=entry,
    )


def _detect_language(conference: Conference, session: Session, line: Optional[int]) -> str:
    """Return the detected language of a session whose manifest entry does not declare one."""
    from .language import detect

    transcript = conference.read_transcript(session)
    try:
        return detect(t.text for t in transcript.turns)
    except ValueError as exc:
        raise ManifestError(f"session {session.id}: {exc}; declare its language in the manifest",
                            conference.manifest_path, line) from exc


def session_for(transcript_path) -> "Optional[tuple]":
    """Return ``(conference, session)`` whose manifest names ``transcript_path``, or None.

    Looks for ``conference.yml`` in the file's folder and its parents, so that
    ``outcomes turns`` reads a transcript with its conference's participants.
    """
    path = Path(transcript_path).resolve()
    for folder in path.parents:
        if (folder / MANIFEST).is_file():
            try:
                conference = load(folder)
            except ManifestError:
                return None
            for session in conference.sessions:
                if session.transcript.resolve() == path:
                    return conference, session
            return None
    return None
