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

import yaml

from .errors import CodebookError

TIERS = ("strong", "medium", "weak")
DEFAULT_WEIGHTS = {"strong": 0.9, "medium": 0.6, "weak": 0.3}


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
        When the file is missing, not YAML, or a theme lacks an id, labels or terms.
    """
    source = default_path() if path in (None, "default") else Path(path)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise CodebookError(f"cannot be read ({exc.strerror})", source) from exc
    try:
        data = yaml.safe_load(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise CodebookError("is not UTF-8 text", source) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise CodebookError(f"is not valid YAML: {exc.problem}", source, mark.line + 1 if mark else None) from exc
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list) or not data["themes"]:
        raise CodebookError("must be a mapping with a non-empty 'themes' list", source)
    weights = dict(DEFAULT_WEIGHTS)
    weights.update(data.get("weights") or {})
    threshold = data.get("threshold", 0.5)
    if not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
        raise CodebookError(f"threshold must be a number in (0, 1], not {threshold!r}", source)
    themes: List[Theme] = []
    seen = set()
    for index, entry in enumerate(data["themes"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise CodebookError(f"theme {index + 1} has no 'id'", source)
        theme_id = entry["id"]
        if theme_id in seen:
            raise CodebookError(f"theme id '{theme_id}' is used twice", source)
        seen.add(theme_id)
        labels = entry.get("label") or {}
        if not isinstance(labels, dict) or "en" not in labels:
            raise CodebookError(f"theme '{theme_id}' needs a label with at least 'en'", source)
        terms: Dict[str, List[Term]] = {}
        exclude: Dict[str, Tuple[str, ...]] = {}
        for key, value in entry.items():
            if key in ("id", "label", "description"):
                continue
            if key.startswith("context_exclude_"):
                exclude[key[len("context_exclude_"):]] = tuple(w.lower() for w in value or [])
                continue
            if not isinstance(value, dict):
                raise CodebookError(f"theme '{theme_id}': '{key}' should be a language with strong/medium/weak "
                                    "term lists", source)
            language_terms: List[Term] = []
            for tier, items in value.items():
                if tier not in TIERS:
                    raise CodebookError(f"theme '{theme_id}', language '{key}': unknown tier '{tier}' "
                                        f"(use {', '.join(TIERS)})", source)
                for item in items or []:
                    if not isinstance(item, str) or not item.strip():
                        raise CodebookError(f"theme '{theme_id}', language '{key}': term {item!r} is not text",
                                            source)
                    language_terms.append(Term(item.strip(), _words(item), tier, float(weights[tier])))
            if not language_terms:
                raise CodebookError(f"theme '{theme_id}' has no terms for language '{key}'", source)
            terms[key] = language_terms
        if not terms:
            raise CodebookError(f"theme '{theme_id}' has no terms", source)
        themes.append(Theme(theme_id, dict(labels), dict(entry.get("description") or {}), terms, exclude))
    return Codebook(themes=themes, threshold=float(threshold), path=str(source),
                    sha256=hashlib.sha256(raw).hexdigest(), weights=weights)
