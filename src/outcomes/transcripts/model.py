"""The normalised transcript: what every reader returns."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import List, Optional


@dataclass
class Turn:
    """One uninterrupted stretch of speech by one speaker.

    Attributes
    ----------
    speaker : str
        Canonical speaker name ("Unknown speaker" for prose without labels).
    delegation : str or None
        The State or organisation the speaker represents, where known.
    start, end : float or None
        Seconds from the start of the recording, where the format has times.
    text : str
        What was said, normalised (NFC, single spaces).
    line : int
        Source position: the 1-based line of a text file, the cue number of
        captions and subtitles, the segment index of diarised JSON, the
        paragraph number of a Word document.
    role : str or None
        "chair" for the person chairing the session.
    """

    speaker: str
    delegation: Optional[str]
    start: Optional[float]
    end: Optional[float]
    text: str
    line: int
    role: Optional[str] = None

    def to_dict(self) -> dict:
        """Return the turn as a JSON-ready dict."""
        return asdict(self)


@dataclass
class Transcript:
    """A transcript as read: its turns and what looked odd while reading.

    Attributes
    ----------
    path : str
        The file it came from, as given.
    format : str
        The reader that read it ("text", "webvtt", "srt", "diarised", "docx").
    turns : list of Turn
        In spoken order, consecutive turns of one speaker merged.
    warnings : list of str
        Non-fatal oddities, as ``path:line: message``; they end up in the report's annex.
    language : str or None
        A language declared inside the file (WebVTT header, Whisper JSON), if any.
    """

    path: str
    format: str
    turns: List[Turn]
    warnings: List[str] = field(default_factory=list)
    language: Optional[str] = None

    @property
    def words(self) -> int:
        """Return the number of words spoken."""
        return sum(len(t.text.split()) for t in self.turns)
