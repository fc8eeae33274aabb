"""The conference manifest (``conference.yml``): schema, loading, validation, path safety.

The manifest names the conference, its participants and its sessions; each
session points at one transcript file inside the conference folder.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

import jsonschema
import yaml

from .errors import ManifestError
from .gazetteer import canonical_delegation
from .transcripts import SpeakerDirectory, Transcript, formats, read

MANIFEST = "conference.yml"
SUPPORTED_LANGUAGES = ("en", "fr")

_TIME = r"^([01]\d|2[0-3]):[0-5]\d$"
SCHEMA = {
    "type": "object",
    "required": ["title", "dates", "venue", "organisers", "languages", "sessions"],
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
                "required": ["id", "title", "date", "transcript"],
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
    title: str
    date: dt.date
    language: str  # "en" or "fr"; detected from the transcript when the manifest says auto or nothing
    transcript: Path
    start: Optional[str] = None
    end: Optional[str] = None
    chair: Optional[str] = None
    panellists: List[str] = field(default_factory=list)
    format: Optional[str] = None
    speakers: Dict[str, str] = field(default_factory=dict)
    entry: dict = field(default_factory=dict)


@dataclass
class Conference:
    """A conference: its manifest and where its files are."""

    root: Path
    title: str
    short_title: str
    start: dt.date
    end: dt.date
    venue: str
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
                                aliases=dict(session.speakers), delegation_names=canonical_delegation)

    def read_transcript(self, session: Session) -> Transcript:
        """Read ``session``'s transcript with the conference's participants."""
        return read(session.transcript, fmt=session.format, directory=self.directory(session))


def _line_of(node: yaml.Node, path) -> Optional[int]:
    """Return the 1-based line of the YAML node at ``path`` (keys and indexes)."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    node = value
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return line
        line = node.start_mark.line + 1
    return line


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
    raise ManifestError(f"{what} is {value!r}, not a real date (write YYYY-MM-DD)", path, line)


def _real_date(value: str) -> bool:
    try:
        dt.datetime.fromisoformat(value.replace(" ", "T")) if len(value) > 10 else dt.date.fromisoformat(value)
        return True
    except ValueError:
        return False


def _no_duplicate_keys(node, manifest: Path) -> None:
    """Refuse a mapping that names a key twice (YAML would silently keep the last)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen = {}
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        raise ManifestError(f"key '{key.value}' is given twice (first at line {seen[key.value]}); "
                                            "keep one", manifest, key.start_mark.line + 1)
                    seen[key.value] = key.start_mark.line + 1
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def _inside(root: Path, relative: str, manifest: Path, line: Optional[int], what: str = "transcript") -> Path:
    """Return ``root/relative`` if it stays inside ``root`` once links are followed."""
    if "\x00" in relative:
        raise ManifestError(f"{what} path holds a NUL character", manifest, line)
    if Path(relative).is_absolute() or re.match(r"^[A-Za-z]:[\\/]", relative):
        raise ManifestError(f"{what} path '{relative}' is absolute; give it relative to the conference folder",
                            manifest, line)
    candidate = root / relative
    real_root = root.resolve()
    try:
        candidate.resolve().relative_to(real_root)
    except ValueError as exc:
        raise ManifestError(f"{what} path '{relative}' leads outside the conference folder "
                            "(through '..' or a symbolic link); copy the file into the folder", manifest, line) from exc
    return candidate


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
        When the manifest is missing, is not YAML, breaks the schema, has
        impossible dates, unknown languages, duplicate session ids, or points at
        transcripts that are missing or outside the folder.
    """
    root = Path(conference_dir)
    manifest = root / MANIFEST
    if not root.is_dir():
        raise ManifestError("is not a folder; give the conference folder that holds conference.yml", root)
    try:
        text = manifest.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise ManifestError("does not exist; every conference folder needs a conference.yml", manifest) from exc
    except UnicodeDecodeError as exc:
        raise ManifestError("is not UTF-8 text; save it as UTF-8", manifest) from exc
    try:
        node = yaml.compose(text)
        _no_duplicate_keys(node, manifest)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ManifestError(f"is not valid YAML: {exc.problem}", manifest,
                            mark.line + 1 if mark else None) from exc
    except yaml.YAMLError as exc:
        raise ManifestError(f"is not valid YAML: {exc}", manifest) from exc
    except RecursionError as exc:
        raise ManifestError("is nested too deeply to be a conference manifest", manifest) from exc
    except ValueError as exc:  # PyYAML builds 2024-02-30 as a date and fails
        bad = [(n, value) for n, text_line in enumerate(text.split("\n"), start=1)
               for value in re.findall(r"\b(\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?)", text_line)
               if not _real_date(value)]
        line, value = bad[0] if bad else (None, "a date")
        raise ManifestError(f"{value} is not a real date (write YYYY-MM-DD)", manifest, line) from exc
    if not isinstance(data, dict):
        raise ManifestError("must be a mapping with title, dates, venue, organisers, languages and sessions",
                            manifest, 1)
    errors = sorted(jsonschema.Draft202012Validator(SCHEMA).iter_errors(data), key=lambda e: list(e.path))
    if errors:
        error = errors[0]
        path = list(error.path)
        where = ".".join(str(p) for p in path) or "the manifest"
        message = error.message
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            extra = sorted(k for k in error.instance if k not in allowed)
            if extra:
                path = path + [extra[0]]
                message = f"unknown key '{extra[0]}' (known keys: {', '.join(sorted(allowed))})"
        elif path and path[-1] in ("start", "end") and isinstance(error.instance, int):
            message = (f"{error.instance} is not a time: YAML reads an unquoted 25:00 as a number; "
                       "write times in quotes, as \"09:30\"")
        raise ManifestError(f"{where}: {message}", manifest, _line_of(node, path))

    start = _as_date(data["dates"]["start"], "dates.start", manifest, _line_of(node, ["dates", "start"]))
    end = _as_date(data["dates"]["end"], "dates.end", manifest, _line_of(node, ["dates", "end"]))
    if end < start:
        raise ManifestError(f"dates.end ({end}) is before dates.start ({start})", manifest,
                            _line_of(node, ["dates", "end"]))
    for language in data["languages"]:
        if language not in SUPPORTED_LANGUAGES:
            raise ManifestError(f"language '{language}' is not supported; use one of {', '.join(SUPPORTED_LANGUAGES)}",
                                manifest, _line_of(node, ["languages"]))

    codebook = data.get("codebook", "default")
    if codebook != "default":
        codebook_path = _inside(root, codebook, manifest, _line_of(node, ["codebook"]), what="codebook")
        if not codebook_path.is_file():
            raise ManifestError(f"codebook '{codebook}' does not exist (paths are relative to the conference folder)",
                                manifest, _line_of(node, ["codebook"]))
        codebook = str(codebook_path)
    participants: Dict[str, Optional[str]] = {}
    roles: Dict[str, Optional[str]] = {}
    for person in data.get("participants") or []:
        participants[person["name"]] = person.get("delegation")
        roles[person["name"]] = person.get("role")

    sessions: List[Session] = []
    seen: Dict[str, int] = {}
    for index, entry in enumerate(data["sessions"]):
        line = _line_of(node, ["sessions", index])
        if entry["id"] in seen:
            raise ManifestError(f"session id '{entry['id']}' is used twice (first at line {seen[entry['id']]}); "
                                "session ids must be unique", manifest, line)
        seen[entry["id"]] = line
        date = _as_date(entry["date"], f"session {entry['id']}: date", manifest, _line_of(node, ["sessions", index, "date"]))
        if not start <= date <= end:
            raise ManifestError(f"session {entry['id']}: date {date} is outside the conference ({start} to {end})",
                                manifest, _line_of(node, ["sessions", index, "date"]))
        language = entry.get("language", "auto")
        if language != "auto" and language not in SUPPORTED_LANGUAGES:
            raise ManifestError(f"session {entry['id']}: language '{language}' is not supported; "
                                f"use one of {', '.join(SUPPORTED_LANGUAGES)} or auto", manifest,
                                _line_of(node, ["sessions", index, "language"]))
        if entry.get("start") and entry.get("end") and entry["end"] < entry["start"]:
            raise ManifestError(f"session {entry['id']}: ends ({entry['end']}) before it starts ({entry['start']})",
                                manifest, _line_of(node, ["sessions", index, "end"]))
        if entry.get("format") and entry["format"] not in formats():
            raise ManifestError(f"session {entry['id']}: unknown transcript format '{entry['format']}'; "
                                f"known: {', '.join(formats())}", manifest, _line_of(node, ["sessions", index, "format"]))
        transcript_line = _line_of(node, ["sessions", index, "transcript"])
        transcript = _inside(root, entry["transcript"], manifest, transcript_line)
        if transcript.is_dir():
            raise ManifestError(f"session {entry['id']}: transcript '{entry['transcript']}' is a folder, not a file",
                                manifest, transcript_line)
        if not transcript.is_file():
            raise ManifestError(f"session {entry['id']}: transcript '{entry['transcript']}' does not exist",
                                manifest, transcript_line)
        sessions.append(Session(
            id=entry["id"], title=entry["title"], date=date, language=language, transcript=transcript,
            start=entry.get("start"), end=entry.get("end"), chair=entry.get("chair"),
            panellists=list(entry.get("panellists") or []), format=entry.get("format"),
            speakers=dict(entry.get("speakers") or {}), entry=entry,
        ))
    conference = Conference(
        root=root, title=data["title"], short_title=data.get("short_title") or data["title"],
        start=start, end=end, venue=data["venue"], organisers=list(data["organisers"]),
        languages=list(data["languages"]), sessions=sessions, participants=participants, roles=roles,
        illustrative=bool(data.get("illustrative", False)),
        illustrative_notice=data.get("illustrative_notice", "") or "", codebook=codebook,
    )
    for index, session in enumerate(sessions):
        if session.language == "auto":
            session.language = _detect_language(conference, session, _line_of(node, ["sessions", index]))
    return conference


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
