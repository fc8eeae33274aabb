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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional

import yaml

from .errors import CurationError  # noqa: F401  (re-exported for callers)

STATUSES = ("draft", "final")


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
    path: Optional[str] = None

    def referenced_ids(self) -> List[str]:
        """Return every finding id the file mentions."""
        ids = list(self.pin) + list(self.exclude) + list(self.rewrite)
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


def _strings(value, what: str, path) -> List[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CurationError(f"'{what}' must be a list of finding ids", path)
    return list(value)


def load(path) -> Curation:
    """Load a curation file; a missing file means no curation.

    Raises
    ------
    CurationError
        When the file is not YAML or its fields have the wrong shape.
    """
    path = Path(path)
    if not path.exists():
        return Curation()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise CurationError(f"is not valid YAML: {exc.problem}", path, mark.line + 1 if mark else None) from exc
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CurationError(f"cannot be read ({exc})", path) from exc
    if not isinstance(data, dict):
        raise CurationError("must be a mapping (status, key_messages, pin, exclude, rewrite)", path)
    status = str(data.get("status", "draft"))
    if status not in STATUSES:
        raise CurationError(f"status '{status}' is not one of {', '.join(STATUSES)}", path)
    messages = []
    for item in data.get("key_messages") or []:
        if isinstance(item, str):
            messages.append(KeyMessage(item))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            messages.append(KeyMessage(item["text"], _strings(item.get("evidence"), "evidence", path)))
        else:
            raise CurationError("each key message needs a 'text'", path)
    rewrite = data.get("rewrite") or {}
    if not isinstance(rewrite, dict) or not all(isinstance(v, str) for v in rewrite.values()):
        raise CurationError("'rewrite' must map finding ids to text", path)
    return Curation(
        status=status, version=str(data.get("version", "0.1")),
        executive_summary=str(data.get("executive_summary") or "").strip(),
        key_messages=messages, pin=_strings(data.get("pin"), "pin", path),
        exclude=_strings(data.get("exclude"), "exclude", path),
        rewrite={str(k): v for k, v in rewrite.items()}, path=str(path.name),
    )
