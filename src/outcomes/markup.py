"""Input text as HTML: escaped, and isolated for the bidirectional algorithm; and text without its accents.

A leaf module, shared by the report's chapters (:mod:`outcomes.sections`) and the
transcript pages (:mod:`outcomes.pages`).
"""

from __future__ import annotations

import unicodedata
from html import escape


def escaped(value) -> str:
    """Escape any value for HTML; None and NaN become empty.

    Use it alone for attribute values and for the report's own strings; text
    content that comes from the input goes through :func:`isolate`.
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return escape(str(value), quote=True)


def isolate(value) -> str:
    """Return input text as HTML content: escaped and wrapped in ``<bdi>``.

    A ``<bdi>`` is a bidi isolate with ``dir="auto"``: its text takes its
    direction from its first strong character, and an override or embedding
    it holds (U+202A-U+202E, U+2066-U+2069, U+200F...) ends at its boundary,
    so nothing outside it is reordered. Empty values give no element.

    Parameters
    ----------
    value : object
        A name, title, quote... None and NaN count as empty.

    Returns
    -------
    str
        HTML.
    """
    text = escaped(value)
    return f"<bdi>{text}</bdi>" if text else ""


def unaccented(text: str) -> str:
    """Return ``text`` without its accents, compatibility forms decomposed ("Vérifié" -> "Verifie")."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
