"""Normalise what readers find: bytes to text, messy typography, speaker names, turns.

Readers return *raw* turns (the label as written); :func:`finish` turns them
into canonical :class:`~outcomes.transcripts.model.Turn` objects with the help
of a :class:`SpeakerDirectory` built from the conference manifest.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from ..errors import TranscriptError
from .model import Transcript, Turn

UNKNOWN_SPEAKER = "Unknown speaker"
#: Longest turn we read, in characters: spaCy's own default limit for one text.
MAX_TURN_CHARS = 1_000_000
_TIME_LIKE = re.compile(r"^\s*\d{1,2}:\d{2}(?::\d{2})?[.,]\d")

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode(raw: bytes, path: str) -> Tuple[str, List[str]]:
    """Decode a transcript's bytes, trying the encodings rapporteurs' files come in.

    Parameters
    ----------
    raw : bytes
        The file's content.
    path : str
        The file, for messages.

    Returns
    -------
    text : str
        The decoded text.
    warnings : list of str
        A warning when the file was not UTF-8 and Windows-1252 was assumed.

    Raises
    ------
    TranscriptError
        When the file is empty, holds only white space, or is binary data.
    """
    warnings: List[str] = []
    text: Optional[str] = None
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise TranscriptError(f"starts with a {encoding} byte-order mark but is not valid "
                                      f"{encoding} ({exc.reason}); save it again as UTF-8", path) from exc
            break
    if text is None:
        if b"\x00" in raw:
            line = raw[: raw.index(b"\x00")].count(b"\n") + 1
            raise TranscriptError("holds NUL bytes: this looks like binary data, not a transcript; "
                                  "export the transcript as text (UTF-8)", path, line)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
            warnings.append(f"{path}: not valid UTF-8; read as Windows-1252. Save it as UTF-8 to be sure "
                            "accents are right")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise TranscriptError("holds NUL characters: this looks like binary data, not a transcript; "
                              "export the transcript again as text", path, line)
    if not text.strip():
        raise TranscriptError("is empty: there is no speech to read", path)
    # NFC before any parsing: a decomposed "Aïcha" must match the same patterns as a composed one
    text = unicodedata.normalize("NFC", text)
    return text.replace("\r\n", "\n").replace("\r", "\n"), warnings


# Control characters that separate words (vertical tab, form feed, the information
# separators, NEL, a stray carriage return) fold into a space like any other.
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


_TIMESTAMP = re.compile(r"^(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?$")


def check_timings(path: str, text: str, pattern: "re.Pattern", example: str) -> List[int]:
    """Check every cue timing line of a caption file; return the line numbers of the timings.

    A line that starts like a time but is not a valid ``start --> end`` (a single
    arrow, minutes over 59, a missing part) is an error naming its line: caption
    libraries skip such cues silently, and their speech would be lost.
    """
    lines: List[int] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if "-->" not in line and not _TIME_LIKE.match(line):
            continue
        match = pattern.match(line)
        parts = [p.strip().split()[0] for p in line.split("-->")[:2]] if match else []
        if not match or any(parse_timestamp(p) is None for p in parts):
            raise TranscriptError(f"malformed cue timing {line.strip()[:60]!r}; write it as '{example}' "
                                  "(minutes and seconds 00-59)", path, number)
        lines.append(number)
    return lines


def parse_timestamp(value: str) -> Optional[float]:
    """Return ``hh:mm:ss(.mmm)`` or ``mm:ss`` as seconds, or None if it is not a time."""
    match = _TIMESTAMP.match(value.strip())
    if not match:
        return None
    hours, minutes, seconds, millis = match.groups()
    if (hours is not None and int(minutes) >= 60) or int(seconds) >= 60:
        return None
    total = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    return total + (int(millis.ljust(3, "0")) / 1000 if millis else 0.0)


# Titles and honorifics dropped from names; chair titles resolved to the session chair.
_HONORIFICS = {
    # not "he" or "me": they are also surnames (He Yafei); H.E. and Me. keep their dots
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "h.e", "sir", "dame",
    "m", "mme", "mlle", "pr", "s.e", "ambassador", "ambassadeur", "ambassadrice",
}
_CHAIR_TITLES = {
    "the president", "the chair", "the chairperson", "the chairman", "the chairwoman", "chair",
    "the moderator", "moderator", "the co-chair", "le président", "la présidente", "le president",
    "la presidente", "président", "présidente", "le modérateur", "la modératrice", "modérateur",
    "modératrice", "la coprésidente", "le coprésident",
}


def is_chair_title(label: str) -> bool:
    """Return True if ``label`` is a chair's title ("The President", "La Présidente") rather than a name."""
    return label.strip().lower() in _CHAIR_TITLES


_ROLE_NOTES = re.compile(r"\b(pr[ée]sident[e]?|chair(?:person|man|woman)?|mod[ée]rat(?:eur|rice)|moderator|"
                         r"spoke in \w+|s'exprime en \w+|interpretation from \w+)\b", re.I)


def _key(name: str) -> Tuple[str, ...]:
    folded = unicodedata.normalize("NFKD", name.replace("’", "'"))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    words = re.sub(r"[^a-z0-9' -]+", " ", folded).replace("-", " ").split()
    return tuple(w for w in words if w not in _HONORIFICS and not (w.endswith(".") and w.rstrip(".") in _HONORIFICS))


def strip_honorifics(label: str) -> str:
    """Return a speaker label without titles such as "Dr.", "Mme" or "H.E."."""
    words = label.split()
    while len(words) > 1 and (words[0].lower() in _HONORIFICS
                              or (words[0].endswith(".") and words[0].lower().rstrip(".") in _HONORIFICS)):
        words = words[1:]
    return " ".join(words)


@dataclass
class SpeakerDirectory:
    """Who may speak in a session: resolves labels as written to canonical names.

    Parameters
    ----------
    participants : dict
        Canonical name -> delegation (from the manifest's participant list).
    chair : str, optional
        The session chair's canonical name; chair titles ("The President",
        "La Présidente") resolve to it.
    aliases : dict
        Label as written -> canonical name (the manifest's ``speakers`` map,
        e.g. diarisation labels such as ``SPEAKER_00``).
    delegation_names : callable, optional
        Maps a delegation as written ("Maroc") to its canonical form ("Morocco").
    """

    participants: Dict[str, Optional[str]] = field(default_factory=dict)
    chair: Optional[str] = None
    aliases: Dict[str, str] = field(default_factory=dict)
    delegation_names: Optional[object] = None

    def __post_init__(self) -> None:
        self._by_key = {_key(name): name for name in self.participants}
        by_surname: Dict[str, List[str]] = {}
        for name in self.participants:
            key = _key(name)
            if key:
                by_surname.setdefault(key[-1], []).append(name)
        self._by_surname = {k: v[0] for k, v in by_surname.items() if len(v) == 1}

    def knows(self, label: str) -> bool:
        """Return True if ``label`` names a participant, an alias or the chair by title."""
        return self.lookup(label) is not None or is_chair_title(label)

    def lookup(self, label: str) -> Optional[str]:
        """Return the canonical participant ``label`` refers to, or None."""
        if label in self.aliases:
            return self.aliases[label]
        key = _key(label)
        if not key:
            return None
        if key in self._by_key:
            return self._by_key[key]
        if len(key) == 1 and key[0] in self._by_surname:
            return self._by_surname[key[0]]
        # "Dr. Amal Benali" vs "Amal Benali"; "Okafor" vs "Chiamaka Okafor"
        if key[-1] in self._by_surname:
            candidate = self._by_surname[key[-1]]
            if set(key) <= set(_key(candidate)):
                return candidate
        return None

    def resolve(self, label: Optional[str], delegation: Optional[str] = None,
                note: Optional[str] = None) -> Tuple[str, Optional[str], Optional[str]]:
        """Return ``(speaker, delegation, role)`` for a label as written.

        Parameters
        ----------
        label : str or None
            The speaker as the file writes it; None for prose without labels.
        delegation : str, optional
            The delegation the label gave in parentheses.
        note : str, optional
            Any other parenthesised note ("présidente", "spoke in French").
        """
        if not label:
            return UNKNOWN_SPEAKER, None, None
        label = clean_text(label)
        delegation = clean_text(delegation) if delegation else delegation
        note = clean_text(note) if note else note
        role = None
        notes = " ".join(x for x in (delegation, note) if x)
        if _ROLE_NOTES.search(notes) and re.search(r"pr[ée]sid|chair|mod[ée]rat", notes, re.I):
            role = "chair"
        if delegation:
            # "(Maroc, présidente)" -> "Maroc"
            parts = [p.strip() for p in delegation.split(",") if p.strip() and not _ROLE_NOTES.fullmatch(p.strip())]
            delegation = parts[0] if parts else None
            if delegation and _ROLE_NOTES.fullmatch(delegation):
                delegation = None
        if is_chair_title(label):
            role = "chair"
            if self.chair:
                return self.chair, self.participants.get(self.chair) or delegation, role
            return label, delegation, role
        canonical = self.lookup(label)
        if canonical is not None:
            if self.chair and canonical == self.chair:
                role = "chair"
            return canonical, self.participants.get(canonical) or self._delegation(delegation), role
        name = strip_honorifics(label)
        if name.isupper() and len(name) > 3:
            name = name.title()
        return name, self._delegation(delegation), role

    def _delegation(self, delegation: Optional[str]) -> Optional[str]:
        if delegation and callable(self.delegation_names):
            return self.delegation_names(delegation)
        return delegation


_PARTICLES = {"de", "da", "du", "des", "van", "von", "der", "den", "el", "al", "le", "la", "ben", "bin", "y"}
# First words of caption phrases that look like names but are not ("Article Six: ...").
_NOT_NAMES = {"article", "annex", "schedule", "part", "section", "paragraph", "resolution", "note", "question",
              "point", "item", "session", "panel", "chapter", "figure", "table", "first", "second", "third"}
_CUE_PREFIX = re.compile(r"^(?:-\s*)?(?P<name>[A-ZÀ-ÖØ-Þ][\w'’.\-]*(?:\s+[\w'’.\-]+){0,5})"
                     r"(?:\s*\((?P<deleg>[^()]{1,80})\))?\s?:\s+(?P<text>.+)$", re.S)
def speaker_prefix(text: str, directory: Optional[SpeakerDirectory]):
    """Split ``"Name: text"`` into (name, delegation, text) when Name is a plausible speaker."""
    match = _CUE_PREFIX.match(text)
    if not match:
        return None
    name = match["name"]
    words = name.split()
    known = directory is not None and directory.knows(name)
    # An unknown floor speaker ("Ingrid Solberg: Thank you, Chair.") still starts a turn
    # when the prefix looks like a name: two to four capitalised words.
    looks_like_name = 2 <= len(words) <= 4 and all(
        w in _PARTICLES or (w[0].isupper() and any(c.islower() for c in w)) for w in words)
    if looks_like_name and directory is not None and directory.participants:
        looks_like_name = words[0].lower() not in _NOT_NAMES
    if not (known or match["deleg"] or looks_like_name):
        return None
    return name, match["deleg"], match["text"]


@dataclass
class RawTurn:
    """A turn as a reader found it, before names are resolved."""

    label: Optional[str]
    text: str
    line: int
    start: Optional[float] = None
    end: Optional[float] = None
    delegation: Optional[str] = None
    note: Optional[str] = None


def join_speech(before: str, after: str) -> str:
    """Join two pieces of one speech, undoing a word hyphenated across cues."""
    if _continues_word(before, after):
        return before[:-1] + after
    return f"{before} {after}"


def _continues_word(before: str, after: str) -> bool:
    """Return True if ``before`` ends in a word hyphenated across cues that ``after`` finishes.

    Only the last two characters of ``before`` matter, so its tail is enough.
    """
    return before.endswith("-") and len(before) > 1 and before[-2].isalpha() and after[:1].islower()


def turn_too_long(path: str, line: int, size: int, where: str = "") -> TranscriptError:
    """Return the error for a turn of ``size`` characters or more, past :data:`MAX_TURN_CHARS`.

    Parameters
    ----------
    path : str
        The file, for the message.
    line : int
        Where the turn starts.
    size : int
        Its length so far.
    where : str
        Where reading stopped, e.g. " by line 120004", for the message.
    """
    return TranscriptError(f"has a turn too long to read ({size:,} characters{where}; the limit is "
                           f"{MAX_TURN_CHARS:,}): split the text into paragraphs or speaker turns", path, line)


class _Speech:
    """The text of one turn, merged from consecutive pieces of one speaker's speech.

    The pieces are kept in a list and joined once, at the end: joining strings one at
    a time copies the whole turn at each step, which is quadratic in its length.
    """

    __slots__ = ("turn", "parts", "size", "tail")  # one per turn: a million turns is a million of these

    def __init__(self, turn: Turn):
        self.turn = turn
        self.parts = [turn.text]
        self.size = len(turn.text)
        self.tail = turn.text[-2:]  # all that join_speech looks at

    def fits(self, text: str) -> bool:
        """Return True if ``text`` can join the turn without passing :data:`MAX_TURN_CHARS`."""
        return self.size + 1 + len(text) <= MAX_TURN_CHARS

    def add(self, text: str) -> None:
        """Append ``text`` as :func:`join_speech` would."""
        if _continues_word(self.tail, text):
            self.parts[-1] = self.parts[-1][:-1]
            joined = self.tail[:-1] + text
            self.size += len(text) - 1
        else:
            self.parts.append(" ")
            joined = self.tail + " " + text
            self.size += len(text) + 1
        self.parts.append(text)
        self.tail = joined[-2:]

    def close(self) -> None:
        """Give the turn its merged text."""
        if len(self.parts) > 1:
            self.turn.text = "".join(self.parts)


def finish(path: str, fmt: str, raw_turns: Sequence[RawTurn], directory: Optional[SpeakerDirectory],
           warnings: Iterable[str] = (), language: Optional[str] = None, merge: bool = True) -> Transcript:
    """Resolve speakers, clean text and merge consecutive turns of one speaker.

    Prose without speakers keeps one turn per paragraph (``merge=False``) so that
    each quote still points at its own line. A merged turn never passes
    :data:`MAX_TURN_CHARS`: the piece that would pass it starts a new turn of the
    same speaker, with a warning.

    Raises
    ------
    TranscriptError
        When no speech at all was found, or one piece of speech is longer than
        :data:`MAX_TURN_CHARS`.
    """
    directory = directory or SpeakerDirectory()
    warnings = list(warnings)
    speeches: List[_Speech] = []
    unknown_labels = set()
    for raw in raw_turns:
        if len(raw.text) > MAX_TURN_CHARS:
            raise turn_too_long(path, raw.line, len(raw.text))
        text = clean_text(raw.text)
        if not text:
            continue
        speaker, delegation, role = directory.resolve(raw.label, raw.delegation, raw.note)
        if raw.label and directory.participants and directory.lookup(raw.label) is None \
                and not is_chair_title(raw.label):
            unknown_labels.add((speaker, raw.line))
        last = speeches[-1] if speeches else None
        if merge and last and last.turn.speaker == speaker and last.turn.delegation == delegation:
            if last.fits(text):
                last.add(text)
                last.turn.end = raw.end if raw.end is not None else last.turn.end
                continue
            warnings.append(f"{path}:{raw.line}: {speaker}'s speech runs past {MAX_TURN_CHARS:,} characters "
                            "without another speaker; it continues as a new turn here")
        speeches.append(_Speech(Turn(speaker=speaker, delegation=delegation, start=raw.start, end=raw.end,
                                     text=text, line=raw.line, role=role)))
    for speech in speeches:
        speech.close()
    turns = [speech.turn for speech in speeches]
    if not turns:
        raise TranscriptError("holds no speech: every turn is empty", path)
    seen = set()
    for speaker, line in sorted(unknown_labels, key=lambda x: x[1]):
        if speaker not in seen:
            seen.add(speaker)
            warnings.append(f"{path}:{line}: speaker '{speaker}' is not in the manifest's participant list")
    for turn in turns:
        if turn.delegation is None and turn.speaker not in seen and turn.speaker != UNKNOWN_SPEAKER:
            seen.add(turn.speaker)
            warnings.append(f"{path}:{turn.line}: speaker '{turn.speaker}' has no delegation")
    return Transcript(path=path, format=fmt, turns=turns, warnings=warnings, language=language)
