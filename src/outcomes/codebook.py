"""The theme codebook: themes, their labels, and their terms per language (a YAML file).

A theme is data, not code: see the comments at the top of the default codebook
(``outcomes/data/codebook.yml``) for how terms, weights and exclusions work.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from . import yamlfile
from .errors import CodebookError, shorten
from .files import MAX_YAML_BYTES

TIERS = ("strong", "medium", "weak")
DEFAULT_WEIGHTS = {"strong": 0.9, "medium": 0.6, "weak": 0.3}
EXCLUDE_PREFIX = "context_exclude_"
REQUIRES_PREFIX = "requires_"
#: Sentences before a sentence, in its turn, where the rest of a theme's required anchors may stand.
DEFAULT_CONTEXT = 2

_LANGUAGE = r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*"
_TERMS = {"type": ["array", "null"], "items": {"type": "string", "pattern": r"\S"}}
_TEXTS = {"type": "object", "additionalProperties": {"type": "string"}}
#: What a codebook may hold. Keys are checked to be text before (see :mod:`outcomes.yamlfile`).
SCHEMA = {
    "type": "object",
    "required": ["themes"],
    "properties": {
        "version": {"type": ["integer", "string"]},
        "threshold": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
        "weights": {
            "type": ["object", "null"],
            "properties": {tier: {"type": "number", "minimum": 0, "maximum": 1} for tier in TIERS},
            "additionalProperties": False,
        },
        "themes": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "label"],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "label": dict(_TEXTS, required=["en"]),
                    "description": dict(_TEXTS, type=["object", "null"]),
                    "context": {"type": "integer", "minimum": 0, "maximum": 50},
                    "threshold": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                    "strong_in_view": {"type": "boolean"},
                },
                "patternProperties": {
                    # a language ("id" is two letters too, and is not one)
                    rf"^(?!id$){_LANGUAGE}$": {
                        "type": "object",
                        "properties": {tier: _TERMS for tier in TIERS},
                        "additionalProperties": False,
                    },
                    rf"^{EXCLUDE_PREFIX}{_LANGUAGE}$": _TERMS,
                    # named groups of anchor terms: the theme needs one term of every group nearby
                    rf"^{REQUIRES_PREFIX}{_LANGUAGE}$": {
                        "type": "object",
                        "minProperties": 1,
                        "additionalProperties": dict(_TERMS, type="array", minItems=1),
                    },
                },
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}


@dataclass(frozen=True)
class Term:
    """One cue: the words to find, the theme they signal and how strongly."""

    text: str
    words: Tuple[str, ...]
    tier: str
    weight: float


@dataclass
class Theme:
    """One theme of the codebook."""

    id: str
    labels: Dict[str, str]
    descriptions: Dict[str, str]
    terms: Dict[str, List[Term]]  # language -> terms
    exclude: Dict[str, Tuple[str, ...]]  # language -> context words
    # language -> named groups of anchor terms; each group must be met within `context` sentences
    requires: Dict[str, Dict[str, Tuple[str, ...]]] = field(default_factory=dict)
    context: int = DEFAULT_CONTEXT
    threshold: Optional[float] = None  # the codebook's threshold when None
    # whether a strong term puts the theme's subject in view without its anchor groups
    strong_in_view: bool = True

    def label(self, language: str) -> str:
        """Return the theme's label in ``language`` (English when missing)."""
        return self.labels.get(language) or self.labels.get("en") or self.id


@dataclass
class Codebook:
    """All themes, the scoring threshold, and where they came from."""

    themes: List[Theme]
    threshold: float
    path: str
    sha256: str
    weights: Dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))

    def threshold_of(self, theme_id: str) -> float:
        """Return the score at which a sentence carries ``theme_id``: the theme's own, else the codebook's."""
        own = self.theme(theme_id).threshold
        return self.threshold if own is None else own

    @property
    def ids(self) -> List[str]:
        """Return the theme ids in codebook order."""
        return [t.id for t in self.themes]

    def theme(self, theme_id: str) -> Theme:
        """Return the theme with id ``theme_id``."""
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(theme_id)

    def languages(self) -> List[str]:
        """Return the languages that have terms for every theme."""
        sets = [set(t.terms) for t in self.themes]
        return sorted(set.intersection(*sets)) if sets else []


def default_path() -> Path:
    """Return the path of the default codebook shipped with the package."""
    return Path(str(resources.files("outcomes") / "data" / "codebook.yml"))


def _words(term: str) -> Tuple[str, ...]:
    # Split like the tokenizers do around apostrophes and hyphens is not needed:
    # terms are matched against spaCy tokens, and we tokenise terms in the component.
    return tuple(term.lower().split())


def load(path: Optional[str] = None) -> Codebook:
    """Load and check a codebook.

    Parameters
    ----------
    path : str or Path, optional
        A codebook YAML file; the default codebook when None or "default".

    Returns
    -------
    Codebook

    Raises
    ------
    CodebookError
        When the file is missing, not a regular file, too large, not YAML, breaks
        :data:`SCHEMA` (a string where a list of terms is expected, a weight that is
        not a number from 0 to 1...), holds control characters, or a theme id is
        used twice or a theme has no terms; the message names the line.
    """
    source = default_path() if path in (None, "default") else Path(path)
    key = _content_key(source)
    if key in _PARSED:  # the same bytes were checked and parsed in this process already
        return _PARSED[key]
    book = _parse(source)
    if key is not None:
        if len(_PARSED) >= 8:
            _PARSED.clear()
        _PARSED[key] = book
    return book


#: Codebooks parsed in this process, by file and SHA-256 of their bytes (a long-lived preview parses once).
_PARSED: Dict[Tuple[str, str], "Codebook"] = {}


def _content_key(source: Path) -> Optional[Tuple[str, str]]:
    """Return (file, SHA-256 of its bytes) for a small regular file, else None (it is then parsed, and checked)."""
    try:
        if not source.is_file() or source.stat().st_size > MAX_YAML_BYTES:
            return None
        return str(source.resolve()), hashlib.sha256(source.read_bytes()).hexdigest()
    except OSError:
        return None


def _parse(source: Path) -> Codebook:
    """Parse and check the codebook at ``source`` (see :func:`load`)."""
    document = yamlfile.load(source, CodebookError, "codebook")
    data = document.data
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list) or not data["themes"]:
        raise CodebookError("must be a mapping with a non-empty 'themes' list", source, 1)
    yamlfile.validate(document, SCHEMA, CodebookError, "codebook", explain=lambda e: _explain(e, data))
    yamlfile.refuse_control_characters(document, CodebookError)
    weights = dict(DEFAULT_WEIGHTS)
    weights.update(data.get("weights") or {})
    themes: List[Theme] = []
    seen: Dict[str, int] = {}
    for index, entry in enumerate(data["themes"]):
        line = document.line(["themes", index])
        if entry["id"] in seen:
            raise CodebookError(f"theme id {shorten(entry['id'])} is used twice (first at line "
                                f"{seen[entry['id']]}); theme ids must be unique", source, line)
        seen[entry["id"]] = line
        themes.append(_theme(entry, weights, document, index))
    return Codebook(themes=themes, threshold=float(data.get("threshold", 0.5)), path=str(source),
                    sha256=hashlib.sha256(document.raw).hexdigest(), weights=weights)


def _theme(entry: dict, weights: Dict[str, float], document: yamlfile.Document, index: int) -> Theme:
    """Return the theme of a codebook entry that passed the schema."""
    theme_id = entry["id"]
    terms: Dict[str, List[Term]] = {}
    exclude: Dict[str, Tuple[str, ...]] = {}
    requires: Dict[str, Dict[str, Tuple[str, ...]]] = {}
    for key, value in entry.items():
        if key in ("id", "label", "description", "context", "threshold", "strong_in_view"):
            continue
        if key.startswith(EXCLUDE_PREFIX):
            exclude[key[len(EXCLUDE_PREFIX):]] = tuple(w.lower() for w in value or [])
            continue
        if key.startswith(REQUIRES_PREFIX):
            requires[key[len(REQUIRES_PREFIX):]] = {group: tuple(t.strip() for t in items)
                                                    for group, items in value.items()}
            continue
        language_terms = [Term(item.strip(), _words(item), tier, float(weights[tier]))
                          for tier, items in value.items() for item in items or []]
        if not language_terms:
            raise CodebookError(f"theme {shorten(theme_id)} has no terms for language {shorten(key)}",
                                document.path, document.line(["themes", index, key]))
        terms[key] = language_terms
    if not terms:
        raise CodebookError(f"theme {shorten(theme_id)} has no terms; give a language (en, fr) with strong, "
                            "medium or weak terms", document.path, document.line(["themes", index]))
    return Theme(theme_id, dict(entry["label"]), dict(entry.get("description") or {}), terms, exclude,
                 requires, int(entry.get("context", DEFAULT_CONTEXT)),
                 float(entry["threshold"]) if "threshold" in entry else None,
                 bool(entry.get("strong_in_view", True)))


def _explain(error, data: dict) -> Optional[str]:
    """Return a codebook-specific message for a schema error, or None for the generic one."""
    path = list(error.path)
    where = ".".join(str(p) for p in path)
    if path == ["threshold"]:
        return f"threshold must be a number in (0, 1], not {shorten(error.instance)}"
    if len(path) == 2 and path[0] == "weights":
        return f"{where} must be a number from 0 to 1, not {shorten(error.instance)}"
    if len(path) == 2 and path[0] == "themes" and error.validator == "required" and "id" not in error.instance:
        return f"theme {path[1] + 1} has no 'id'"
    extra = (yamlfile.unknown_keys(error) or [None])[0] if error.validator == "additionalProperties" else None
    if extra is not None and len(path) in (2, 3) and path[0] == "themes":
        if len(path) == 3:
            return (f"theme {shorten(data['themes'][path[1]].get('id'))}, language {shorten(path[2])}: "
                    f"unknown tier {shorten(extra)} (use {', '.join(TIERS)})")
        return (f"{where}: unknown key {shorten(extra)} (a theme has id, label, description, a language code "
                f"such as en or fr, context, threshold, strong_in_view, {REQUIRES_PREFIX}<language> and {EXCLUDE_PREFIX}<language>)")
    return None
