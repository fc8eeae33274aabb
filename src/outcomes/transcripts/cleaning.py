"""Clean text as every reader needs it: one kind of space, no control characters, no line-end hyphenation."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[ \t\r\x0b\x0c\x1c-\x1f\x85\u00a0\u2000-\u200b\u202f\u3000]+")
# Every other C0 and C1 control but tab and newline: an ESC in a caption must never reach
# the HTML, the CSV or a terminal (NUL is refused earlier, by decode).
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]+")
_HYPHEN_BREAK = re.compile(r"(\w)-\n(?=[a-zà-öø-ÿ])")


def clean_text(text: str) -> str:
    """Return ``text`` in NFC with caption line breaks and runs of spaces folded, control characters removed.

    A word hyphenated across two caption lines ("verifi-\\ncation") is joined.
    """
    text = unicodedata.normalize("NFC", text)
    if not text.isprintable():  # a fast check first: most text has no control character at all
        text = _CONTROLS.sub("", text)
    text = _HYPHEN_BREAK.sub(r"\1", text)
    text = text.replace("\n", " ")
    return _SPACES.sub(" ", text).strip()
