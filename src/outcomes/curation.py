"""The rapporteur's curation (``curation.yml``): overrides that survive every rebuild.

Findings are addressed by their stable id (see :func:`outcomes.analysis.finding_id`),
which changes only when the words of the sentence change. The file::

    status: draft            # draft | final
    version: "0.3"
    executive_summary: |     # the rapporteur's own text for the executive summary
      ...
    key_messages:            # shown in the executive summary, in this order
      - text: "..."
        evidence: [S01-1a2b3c4d]
    pin: [S02-...]           # always a key statement of its theme
    exclude: [S05-...]       # never in the report (a misread sentence, an off-topic remark)
    rewrite:                 # a summary line shown above the quote, which stays verbatim
      S03-...: "..."
    subtopics:               # a theme's sub-topics, each named by any one of its findings
      - finding: S02-...     # the sub-topic that holds this finding (in `theme`, or in any theme)
        theme: verification  # optional
        label: "Shared reference data"   # rename it
        merge: [S04-...]     # fold in the sub-topics that hold these findings
        hide: false          # leave it out of the report (its findings stay in the explorer and exports)

A sub-topic is named by a finding, not by a number or its label: grouping runs again at
every build, and a session added later may move its centre or its words, but a finding
keeps its id, so the edit follows the point it was made on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional

from . import yamlfile
from .errors import CurationError, shorten

STATUSES = ("draft", "final")
_IDS = {"type": ["array", "null"], "items": {"type": "string", "minLength": 1}}
#: What a curation file may hold (see the module docstring). Keys are checked to be text before.
SCHEMA = {
    "type": "object",
    "properties": {
        "status": {"type": "string", "enum": list(STATUSES)},
        "version": {"type": ["string", "number"]},
        "executive_summary": {"type": ["string", "null"]},
        "key_messages": {
            "type": ["array", "null"],
            "items": {
                # a bare text, or a text with its evidence
                "type": ["string", "object"],
                "required": ["text"],
                "properties": {"text": {"type": "string"}, "evidence": _IDS},
                "additionalProperties": False,
            },
        },
        "pin": _IDS,
        "exclude": _IDS,
        "rewrite": {"type": ["object", "null"], "additionalProperties": {"type": "string"}},
        "subtopics": {
            "type": ["array", "null"],
            "items": {
                "type": "object",
                "required": ["finding"],
                "properties": {"finding": {"type": "string", "minLength": 1}, "theme": {"type": "string"},
                               "label": {"type": "string", "minLength": 1}, "merge": _IDS,
                               "hide": {"type": "boolean"}},
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}


@dataclass(frozen=True)
class SubtopicEdit:
    """The rapporteur's edit of one sub-topic, named by one of its findings (see the module)."""

    finding: str
    theme: Optional[str] = None
    label: str = ""
    merge: tuple = ()
    hide: bool = False


@dataclass
class KeyMessage:
    """A key message written by the rapporteur, with the findings that support it."""

    text: str
    evidence: List[str] = field(default_factory=list)


@dataclass
class Curation:
    """What the rapporteur decided."""

    status: str = "draft"
    version: str = "0.1"
    executive_summary: str = ""
    key_messages: List[KeyMessage] = field(default_factory=list)
    pin: List[str] = field(default_factory=list)
    exclude: List[str] = field(default_factory=list)
    rewrite: Dict[str, str] = field(default_factory=dict)
    subtopics: List[SubtopicEdit] = field(default_factory=list)
    path: Optional[str] = None

    def referenced_ids(self) -> List[str]:
        """Return every finding id the file mentions."""
        ids = list(self.pin) + list(self.exclude) + list(self.rewrite)
        for edit in self.subtopics:
            ids += [edit.finding, *edit.merge]
        for message in self.key_messages:
            ids.extend(message.evidence)
        return ids

    def unknown_ids(self, known: Iterable[str]) -> List[str]:
        """Return a warning for every referenced id that matches no finding."""
        known = set(known)
        missing = sorted({i for i in self.referenced_ids() if i not in known})
        where = self.path or "curation.yml"
        return [f"{where}: finding id '{i}' matches no sentence of this build (its words may have changed)"
                for i in missing]


def load(path, root=None) -> Curation:
    """Load a curation file; a missing file means no curation.

    Parameters
    ----------
    path : str or Path
        The curation file, ``curation.yml`` in the conference folder.
    root : str or Path, optional
        The conference folder the file must stay in once symbolic links are
        followed; the file's own folder when None.

    Returns
    -------
    Curation

    Raises
    ------
    CurationError
        When the file leads outside the folder, is not a regular file, is too
        large, is not YAML, repeats a key, breaks :data:`SCHEMA` or holds
        control characters; the message names the line.
    """
    path = Path(path)
    if not os.path.lexists(path):
        return Curation()
    _refuse_outside(path, Path(root) if root is not None else path.parent)
    document = yamlfile.load(path, CurationError, "curation file")
    data = document.data
    if data is None:  # an empty file, or comments only
        return Curation(path=str(path.name))
    if not isinstance(data, dict):
        raise CurationError("must be a mapping (status, key_messages, pin, exclude, rewrite, subtopics)", path, 1)
    yamlfile.validate(document, SCHEMA, CurationError, "curation file", explain=_explain)
    yamlfile.refuse_control_characters(document, CurationError)
    messages = [KeyMessage(item) if isinstance(item, str)
                else KeyMessage(item["text"], list(item.get("evidence") or []))
                for item in data.get("key_messages") or []]
    return Curation(
        status=data.get("status", "draft"), version=str(data.get("version", "0.1")),
        executive_summary=(data.get("executive_summary") or "").strip(),
        key_messages=messages, pin=list(data.get("pin") or []), exclude=list(data.get("exclude") or []),
        rewrite=dict(data.get("rewrite") or {}),
        subtopics=[SubtopicEdit(item["finding"], item.get("theme"), item.get("label", ""),
                                tuple(item.get("merge") or ()), bool(item.get("hide", False)))
                   for item in data.get("subtopics") or []],
        path=str(path.name),
    )


def _refuse_outside(path: Path, root: Path) -> None:
    """Refuse a curation file that a symbolic link leads out of the conference folder.

    Whatever it reads ends up published in the report.
    """
    try:
        target = path.resolve()
    except (RuntimeError, OSError) as exc:  # Python 3.11 says RuntimeError for a loop of links
        raise CurationError("is a symbolic link that leads round in a loop; replace it with the file", path) from exc
    try:
        target.relative_to(root.resolve())
    except ValueError as exc:
        raise CurationError("leads outside the conference folder (through a symbolic link); "
                            "copy the file into the folder", path) from exc


def _explain(error) -> Optional[str]:
    """Return a curation-specific message for a schema error, or None for the generic one."""
    path = list(error.path)
    if path == ["status"] and error.validator == "enum":
        return f"status {shorten(error.instance)} is not one of {', '.join(STATUSES)}"
    if len(path) == 2 and path[0] == "key_messages" and error.validator in ("required", "type"):
        return f"key_messages.{path[1]}: each key message needs a 'text' (and may have 'evidence', a list of ids)"
    return None
