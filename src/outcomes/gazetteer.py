"""The gazetteer of States and organisations (a data file shipped with the package).

Light on purpose (YAML only, no spaCy): transcripts use it to give delegations
one canonical English name ("Maroc" and "Morocco" are one delegation), and the
entity component in :mod:`outcomes.nlp.entities` uses it to find mentions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Tuple

import yaml

from .errors import InputError
from .markup import unaccented


@dataclass(frozen=True)
class Entry:
    """One State or organisation with its names per language."""

    id: str
    kind: str  # "state" or the organisation's kind
    name: str  # canonical English name
    names: Dict[str, Tuple[str, ...]]  # language -> names (and acronyms)
    adjectives: Dict[str, Tuple[str, ...]]  # language -> adjectives/demonyms
    cwc_party: Optional[bool] = None


def _fold(text: str) -> str:
    text = unaccented(text.replace("’", "'")).lower().strip()
    for article in ("the ", "le ", "la ", "les ", "l'"):
        if text.startswith(article):
            text = text[len(article):]
    return " ".join(text.split())


def default_path() -> Path:
    """Return the path of the gazetteer shipped with the package."""
    return Path(str(resources.files("outcomes") / "data" / "gazetteer.yml"))


@lru_cache(maxsize=4)
def load(path: Optional[str] = None) -> Tuple[Entry, ...]:
    """Load the gazetteer (cached per path).

    Raises
    ------
    InputError
        When the file is not the expected YAML.
    """
    source = Path(path) if path else default_path()
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read the gazetteer ({exc})", source) from exc
    entries: List[Entry] = []
    for state in data.get("states", []):
        entries.append(Entry(
            id=state["id"], kind="state", name=state["en"],
            names={"en": tuple([state["en"], *state.get("en_alt", [])]),
                   "fr": tuple([state["fr"], *state.get("fr_alt", [])])},
            adjectives={"en": tuple(state.get("en_adj", [])), "fr": tuple(state.get("fr_adj", []))},
            cwc_party=state.get("cwc_party"),
        ))
    for org in data.get("organisations", []):
        entries.append(Entry(
            id=org["id"], kind=org.get("kind", "organisation"), name=org["en"][0],
            names={"en": tuple(org.get("en", [])), "fr": tuple(org.get("fr", []))},
            adjectives={"en": (), "fr": ()},
        ))
    return tuple(entries)


@lru_cache(maxsize=1)
def _by_name() -> Dict[str, Entry]:
    index: Dict[str, Entry] = {}
    for entry in load():
        for names in entry.names.values():
            for name in names:
                index.setdefault(_fold(name), entry)
    return index


def canonical_delegation(delegation: str) -> str:
    """Return the canonical English name of a delegation written in any known form.

    Unknown delegations (a university, a company) are returned as written.
    """
    entry = _by_name().get(_fold(delegation))
    return entry.name if entry else delegation.strip()


@lru_cache(maxsize=1)
def _known_names() -> Tuple[FrozenSet[str], FrozenSet[str]]:
    """Return the folded names and, apart, the acronyms ("WHO", "U.N." as "UN"), which only match in capitals."""
    folded, acronyms = set(), set()
    for entry in load():
        for names in entry.names.values():
            for name in names:
                bare = name.replace(".", "")
                if bare.isupper() and " " not in bare:
                    acronyms.add(bare)
                else:
                    folded.add(_fold(name))
    return frozenset(folded), frozenset(acronyms)


def is_known(name: str) -> bool:
    """Return True if ``name`` is a State or organisation of the gazetteer, in any of its listed forms.

    Names compare folded ("le Maroc", "MAROC" and "Maroc" are one); acronyms only in
    capitals, as the gazetteer asks ("WHO", not "who").
    """
    folded, acronyms = _known_names()
    return _fold(name) in folded or name.strip().replace(".", "") in acronyms
