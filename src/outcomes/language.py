"""Detect the language of a session when the manifest does not declare it.

langdetect (a port of Google's language-detection) is small and accurate on
session-length text; its seed is fixed so that a build is deterministic.
"""

from __future__ import annotations

from typing import Iterable

SUPPORTED = ("en", "fr")
_SAMPLE_CHARS = 20_000


def detect(texts: Iterable[str], supported=SUPPORTED) -> str:
    """Return the language code of ``texts`` among ``supported``.

    Parameters
    ----------
    texts : iterable of str
        The turns of a transcript (only the first 20,000 characters are used).

    Returns
    -------
    str
        The supported language with the highest probability.

    Raises
    ------
    ValueError
        When no supported language is detected.
    """
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    sample, size = [], 0
    for text in texts:
        sample.append(text)
        size += len(text)
        if size >= _SAMPLE_CHARS:
            break
    try:
        candidates = detect_langs(" ".join(sample)[:_SAMPLE_CHARS])
    except LangDetectException as exc:
        raise ValueError(f"cannot tell the language of this text ({exc})") from exc
    for candidate in candidates:
        if candidate.lang in supported:
            return candidate.lang
    found = ", ".join(f"{c.lang} ({c.prob:.2f})" for c in candidates)
    raise ValueError(f"detected {found}, none of which is supported ({', '.join(supported)})")
