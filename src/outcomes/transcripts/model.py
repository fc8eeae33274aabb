"""The normalised transcript: what every reader returns."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import List, Optional, Tuple


@dataclass
class Turn:
    """One uninterrupted stretch of speech by one speaker.

    Attributes
    ----------
    speaker : str
        Canonical speaker name ("Unknown speaker" for prose and captions without labels,
        unless the session names the one person who speaks).
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
    affiliation : str or None
        What a caption label said in parentheses when it is not a known State or
        organisation nor a listed participant's delegation: a role or an affiliation
        ("Host", "SL" in ``Ashlee Kupor (SL):``).
    cues : list of (int, float) or None
        Where each timed piece merged into the turn (a caption cue, a diarised segment,
        a timestamped label) starts: ``(offset, start)``, the character offset of its
        first character in ``text`` and its start in seconds, in order; ``cues[0][0]``
        is 0 when the turn's first piece is timed. A piece that finishes a word
        hyphenated across cues starts inside that word. None when nothing had a time.
        ``to_dict`` gives each pair as a two-item list.
    """

    speaker: str
    delegation: Optional[str]
    start: Optional[float]
    end: Optional[float]
    text: str
    line: int
    role: Optional[str] = None
    affiliation: Optional[str] = None
    cues: Optional[List[Tuple[int, float]]] = None

    def to_dict(self) -> dict:
        """Return the turn as a JSON-ready dict (``cues`` as a list of ``[offset, start]`` lists)."""
        data = asdict(self)
        if self.cues is not None:
            data["cues"] = [[offset, start] for offset, start in self.cues]
        return data


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
