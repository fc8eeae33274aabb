"""Normalise what readers find: bytes to text, messy typography, speaker names, turns.

Speaker labels and the manifest's directory of participants are :mod:`.speakers`'s;
text cleaning is :mod:`.cleaning`'s (both re-exported here).

Readers return *raw* turns (the label as written); :func:`finish` turns them
into canonical :class:`~outcomes.transcripts.model.Turn` objects with the help
of a :class:`SpeakerDirectory` built from the conference manifest:

- consecutive pieces of one speaker merge into one turn; timed pieces without a
  label (captions as platforms export them) merge into paragraphs instead, split
  at pauses and by length, so that no turn loses its time; every turn keeps where
  each timed piece starts in its text (``Turn.cues``);
- speech without a label is "Unknown speaker", or the session's one speaker when
  the manifest names one (``SpeakerDirectory.speaker``);
- a caption label's parenthesised suffix ("Ashlee Kupor (SL)") is a delegation
  only when it is a known State or organisation or a listed participant's
  delegation, else an affiliation; a listed participant's delegation always wins;
- placeholders ("nan", "None", "N/A", "-") are never a delegation or affiliation;
- warnings (``path:line: message``, one line each) say what could not be attributed.

Caption readers share :func:`caption_turn`, which reads voice tags, ``Name:``
prefixes in any case (``GRACE MWANGI:``, ``DR. AMAL BENALI:``) and live
captioners' ``>>`` speaker changes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from ..errors import TranscriptError
from .cleaning import clean_text  # noqa: F401  (normalise's API)
from .model import Transcript, Turn
from .speakers import (_CHANGE, _HONORIFICS, UNKNOWN_SPEAKER, SpeakerDirectory,  # noqa: F401  (normalise's API)
                       is_chair_title, present, speaker_prefix, split_label)

#: Longest turn we read, in characters: spaCy's own default limit for one text.
MAX_TURN_CHARS = 1_000_000
#: Unlabelled captions: a pause between two cues of this many seconds or more starts a new paragraph.
PARAGRAPH_PAUSE = 2.0
#: Unlabelled captions: a paragraph of this many words ends at the next cue that ends a sentence...
PARAGRAPH_WORDS = 100
#: ... and at the next cue whatever it ends with once it has this many.
MAX_PARAGRAPH_WORDS = 150
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
@dataclass
class RawTurn:
    """A turn as a reader found it, before names are resolved.

    ``delegation`` is a parenthesised delegation trusted as written (text records);
    ``tag`` a caption label's parenthesised suffix, a delegation only if it is a known
    one (see :meth:`SpeakerDirectory.identify`). ``starts_turn`` marks a change of
    speaker that no label names (a live captioner's bare ``>>``): the piece is never
    merged into the turn before it.
    """

    label: Optional[str]
    text: str
    line: int
    start: Optional[float] = None
    end: Optional[float] = None
    delegation: Optional[str] = None
    note: Optional[str] = None
    tag: Optional[str] = None
    starts_turn: bool = False


#: A cue that ends with a title ("Mme", "Mr.", "Dr") leaves its name to the next cue.
_TITLES = sorted(_HONORIFICS | {"madame", "monsieur", "mister"})
_ENDS_WITH_TITLE = re.compile(r"(?:^|\s)(?:" + "|".join(map(re.escape, _TITLES)) + r")\.?\s*$", re.I)


def caption_turn(body: str, line: int, start: float, end: float, directory: Optional[SpeakerDirectory],
                 previous: Optional[RawTurn], voice: Optional[str] = None) -> RawTurn:
    """Return the raw turn of one caption cue (WebVTT, SubRip).

    The speaker is the cue's voice (``<v Name>``), else its ``Name:`` prefix (see
    :func:`speaker_prefix`); a bare ``>>`` starts a turn of an unnamed speaker; any
    other cue continues the previous cue's speaker (``previous``), or has no label.
    """
    marked = _CHANGE.match(body)
    if voice and present(voice):
        label, tag = split_label(voice, directory)
        return RawTurn(label=label, text=body[marked.end():] if marked else body, line=line, start=start, end=end,
                       tag=tag)
    # "... pour Mme" / "Traoré : quels types ..." is one sentence broken across cues, not a new speaker
    found = None if previous is not None and _ENDS_WITH_TITLE.search(previous.text) else speaker_prefix(body, directory)
    if found:
        label, tag, body = found
        return RawTurn(label=label, text=body, line=line, start=start, end=end, tag=tag)
    if marked or previous is None:
        return RawTurn(label=None, text=body[marked.end():] if marked else body, line=line, start=start, end=end,
                       starts_turn=bool(marked))
    return RawTurn(label=previous.label, text=body, line=line, start=start, end=end, delegation=previous.delegation,
                   note=previous.note, tag=previous.tag)


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


_SENTENCE_END = re.compile(r"[.?!…][\"'’”»)\]]?$")


class _Speech:
    """The text of one turn, merged from consecutive pieces of one speaker's speech.

    The pieces are kept in a list and joined once, at the end: joining strings one at
    a time copies the whole turn at each step, which is quadratic in its length. The
    start of each timed piece is kept with its offset in the joined text (``Turn.cues``).
    """

    # one per turn: a million turns is a million of these
    __slots__ = ("turn", "parts", "size", "tail", "words", "cues", "labelled")

    def __init__(self, turn: Turn, labelled: bool = True):
        self.turn = turn
        self.parts = [turn.text]
        self.size = len(turn.text)
        self.tail = turn.text[-2:]  # all that join_speech looks at
        self.words = len(turn.text.split())
        self.cues = None if turn.start is None else [(0, turn.start)]
        self.labelled = labelled

    def fits(self, text: str) -> bool:
        """Return True if ``text`` can join the turn without passing :data:`MAX_TURN_CHARS`."""
        return self.size + 1 + len(text) <= MAX_TURN_CHARS

    def add(self, text: str, start: Optional[float] = None) -> None:
        """Append ``text`` as :func:`join_speech` would; ``start`` is its time, if it has one."""
        if _continues_word(self.tail, text):
            self.parts[-1] = self.parts[-1][:-1]
            joined = self.tail[:-1] + text
            self.size -= 1
            self.words -= 1  # "verifi-" and "cation" are one word
        else:
            self.parts.append(" ")
            joined = self.tail + " " + text
            self.size += 1
        if start is not None:
            self.cues = self.cues or []
            self.cues.append((self.size, start))
        self.parts.append(text)
        self.size += len(text)
        self.words += len(text.split())
        self.tail = joined[-2:]

    def paragraph_ends(self, start: Optional[float]) -> bool:
        """Return True if an unlabelled piece starting at ``start`` begins a new paragraph.

        A paragraph of unlabelled captions ends at a pause of :data:`PARAGRAPH_PAUSE`
        seconds or more, after a sentence once it has :data:`PARAGRAPH_WORDS` words, and
        at :data:`MAX_PARAGRAPH_WORDS` words whatever comes. Untimed pieces never split.
        """
        if start is None:
            return False
        if self.turn.end is not None and start - self.turn.end >= PARAGRAPH_PAUSE:
            return True
        return self.words >= MAX_PARAGRAPH_WORDS or (self.words >= PARAGRAPH_WORDS
                                                     and _SENTENCE_END.search(self.tail) is not None)

    def close(self) -> None:
        """Give the turn its merged text and cue starts."""
        if len(self.parts) > 1:
            self.turn.text = "".join(self.parts)
        self.turn.cues = self.cues


def finish(path: str, fmt: str, raw_turns: Sequence[RawTurn], directory: Optional[SpeakerDirectory],
           warnings: Iterable[str] = (), language: Optional[str] = None, merge: bool = True) -> Transcript:
    """Resolve speakers, clean text and merge consecutive turns of one speaker.

    Prose without speakers keeps one turn per paragraph (``merge=False``) so that
    each quote still points at its own line. Timed pieces without a label (captions
    as platforms export them) merge into paragraphs (see :meth:`_Speech.paragraph_ends`),
    each a turn with its first piece's start and its last piece's end. A merged turn
    never passes :data:`MAX_TURN_CHARS`: the piece that would pass it starts a new
    turn of the same speaker, with a warning. Every turn keeps where its timed pieces
    start (``Turn.cues``).

    Warnings, one line each: speech without a speaker label (once per file, unless the
    directory names the session's one speaker), speakers not in the participant list or
    without a delegation, and caption suffixes read as affiliations (once per speaker).

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
    doubtful: Dict[str, str] = {}
    for raw in raw_turns:
        if len(raw.text) > MAX_TURN_CHARS:
            raise turn_too_long(path, raw.line, len(raw.text))
        text = clean_text(raw.text)
        if not text:
            continue
        who = directory.identify(raw.label, raw.delegation, raw.note, raw.tag)
        labelled = present(raw.label) is not None
        if labelled and directory.participants and directory.lookup(raw.label) is None \
                and not is_chair_title(raw.label):
            unknown_labels.add((who.name, raw.line))
        if who.doubtful and who.name not in doubtful:
            doubtful[who.name] = (f"{path}:{raw.line}: '({who.doubtful})' after '{who.name}' is not a known State "
                                  "or organisation nor a listed participant's delegation; shown as an affiliation, "
                                  "not a delegation")
        last = speeches[-1] if speeches else None
        if merge and last and last.turn.speaker == who.name and last.turn.delegation == who.delegation \
                and not raw.starts_turn and (labelled or not last.paragraph_ends(raw.start)):
            if last.fits(text):
                last.add(text, raw.start)
                last.turn.end = raw.end if raw.end is not None else last.turn.end
                continue
            warnings.append(f"{path}:{raw.line}: {who.name}'s speech runs past {MAX_TURN_CHARS:,} characters "
                            "without another speaker; it continues as a new turn here")
        speeches.append(_Speech(Turn(speaker=who.name, delegation=who.delegation, start=raw.start, end=raw.end,
                                     text=text, line=raw.line, role=who.role, affiliation=who.affiliation),
                                labelled))
    for speech in speeches:
        speech.close()
    turns = [speech.turn for speech in speeches]
    if not turns:
        raise TranscriptError("holds no speech: every turn is empty", path)
    warnings.extend(_speaker_warnings(path, speeches, directory, unknown_labels, doubtful))
    return Transcript(path=path, format=fmt, turns=turns, warnings=warnings, language=language)


def _speaker_warnings(path: str, speeches: List[_Speech], directory: SpeakerDirectory, unknown_labels,
                      doubtful: Dict[str, str]) -> List[str]:
    """Return the warnings about who speaks: unlabelled speech, unknown speakers, suffixes, missing delegations."""
    warnings: List[str] = []
    unlabelled = [s for s in speeches if not s.labelled]
    if unlabelled and directory.single_speaker() is None:
        count, words = len(unlabelled), sum(s.words for s in unlabelled)
        warnings.append(
            f"{path}:{unlabelled[0].turn.line}: {count:,} {'turn' if count == 1 else 'turns'} ({words:,} words) "
            f"{'has' if count == 1 else 'have'} no speaker label and {'is' if count == 1 else 'are'} shown as "
            f"'{UNKNOWN_SPEAKER}'; if one person speaks, name them with 'speaker:' in the session's manifest "
            "entry, or map the file's labels to names with 'speakers:'")
    seen = set()
    for speaker, line in sorted(unknown_labels, key=lambda x: x[1]):
        if speaker not in seen:
            seen.add(speaker)
            warnings.append(f"{path}:{line}: speaker '{speaker}' is not in the manifest's participant list")
    warnings.extend(doubtful.values())
    seen.update(doubtful)
    for speech in speeches:
        turn = speech.turn
        if turn.delegation is None and turn.speaker not in seen and turn.speaker != UNKNOWN_SPEAKER:
            seen.add(turn.speaker)
            warnings.append(f"{path}:{turn.line}: speaker '{turn.speaker}' has no delegation")
    return warnings
