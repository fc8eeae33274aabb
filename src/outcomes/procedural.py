"""Procedural sentences: giving the floor, the agenda, rules of procedure, thanks.

They are never key statements or recommendations (see :mod:`outcomes.aggregate`).
The patterns are data (``outcomes/data/procedural.yml``), one list of regular
expressions per language, matched case-insensitively anywhere in a sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Dict, Optional, Pattern

import yaml


#: A finding may be quoted (a key statement, a recommendation shown, a point's or a delegation's
#: statement) when it has this many words and is not procedure: fewer is not a statement, more a speech.
QUOTE_WORDS = (10, 70)


def default_path() -> Path:
    """Return the path of the procedural patterns shipped with the package."""
    return Path(str(resources.files("outcomes") / "data" / "procedural.yml"))


@lru_cache(maxsize=None)
def patterns(path: Optional[str] = None) -> Dict[str, Pattern]:
    """Return one compiled alternation per language from the patterns file (cached)."""
    data = yaml.safe_load(Path(path or default_path()).read_text(encoding="utf-8")) or {}
    return {language: re.compile("|".join(f"(?:{p})" for p in items), re.I)
            for language, items in data.items() if items}


def is_procedural(text: str, language: str) -> bool:
    """Return True if ``text`` is a procedural sentence in ``language`` (a language with no patterns has none)."""
    pattern = patterns().get(language)
    return bool(pattern and pattern.search(text))
