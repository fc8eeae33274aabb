"""Normalise what readers find: bytes to text, messy typography, speaker names, turns.

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
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from ..errors import TranscriptError
from ..gazetteer import is_known
from .model import Transcript, Turn

UNKNOWN_SPEAKER = "Unknown speaker"
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
    "modératrice", "la coprésidente", "le coprésident", "the acting president", "the acting chair",
    "le président par intérim", "la présidente par intérim",
}


def _alias_key(label: str) -> str:
    """Return a diarisation label folded: "SPEAKER_01", "Speaker 1" and "speaker-01" are one."""
    return re.sub(r"(?<!\d)0+(?=\d)", "", re.sub(r"[\s_\-]+", "", label)).casefold()


def is_chair_title(label: str) -> bool:
    """Return True if ``label`` is a chair's title ("The President", "La Présidente") rather than a name."""
    return label.strip().lower() in _CHAIR_TITLES


_CHAIR_NOTE = re.compile(r"pr[ée]sid|chair|mod[ée]rat", re.I)
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


# What a spreadsheet or a manifest writes for "no value": never a delegation, an affiliation or a name.
_MISSING = {"nan", "none", "null", "nil", "n/a", "n.a.", "n.a", "na", "unknown", "not applicable", "tbd", "tba"}
_NO_LETTERS = re.compile(r"^[\W_]*$")


def present(value: object) -> Optional[str]:
    """Return ``value`` cleaned, or None when it says nothing.

    None, empty or blank text, punctuation alone ("-", "—", "?"), and the placeholders
    spreadsheets and manifests write for a missing value ("nan", "None", "null", "N/A")
    are all missing.
    """
    if value is None:
        return None
    text = clean_text(str(value))
    if _NO_LETTERS.match(text) or text.lower() in _MISSING:
        return None
    return text


class Speaker(NamedTuple):
    """A speaker label as :meth:`SpeakerDirectory.identify` resolves it.

    Attributes
    ----------
    name : str
        The canonical name.
    delegation, role, affiliation : str or None
        As in :class:`~outcomes.transcripts.model.Turn`.
    doubtful : str or None
        The parts of a caption label's parenthesised suffix that are neither a known
        State or organisation nor a listed participant's delegation (now the affiliation),
        for the warning.
    """

    name: str
    delegation: Optional[str]
    role: Optional[str]
    affiliation: Optional[str] = None
    doubtful: Optional[str] = None


def display_name(label: str) -> str:
    """Return a label not in the participant list as a name: no titles, capitals ("GRACE MWANGI") in title case."""
    name = strip_honorifics(label)
    return name.title() if name.isupper() and len(name) > 3 else name


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
    speaker : str, optional
        The one person who speaks in the session (a statement read by one person):
        speech without a label is theirs instead of "Unknown speaker".
    speaker_delegation : str, optional
        That person's delegation when the participant list does not give it.
    """

    participants: Dict[str, Optional[str]] = field(default_factory=dict)
    chair: Optional[str] = None
    aliases: Dict[str, str] = field(default_factory=dict)
    delegation_names: Optional[object] = None
    speaker: Optional[str] = None
    speaker_delegation: Optional[str] = None

    def __post_init__(self) -> None:
        self._by_key = {_key(name): name for name in self.participants}
        by_surname: Dict[str, List[str]] = {}
        for name in self.participants:
            key = _key(name)
            if key:
                by_surname.setdefault(key[-1], []).append(name)
        self._by_surname = {k: v[0] for k, v in by_surname.items() if len(v) == 1}
        self._delegation_keys = {_key(d) for d in map(present, self.participants.values()) if d}
        self._single: Tuple[Tuple[Optional[str], Optional[str]], Optional[Speaker]] = ((None, None), None)

    def knows(self, label: str) -> bool:
        """Return True if ``label`` names a participant, an alias, the session's one speaker or the chair by title."""
        return self.lookup(label) is not None or is_chair_title(label)

    def lookup(self, label: str) -> Optional[str]:
        """Return the canonical participant (or the session's one speaker) ``label`` refers to, or None."""
        if label in self.aliases:
            return self.aliases[label]
        folded = _alias_key(label)  # "Speaker 1" for "SPEAKER_01", "speaker-1"
        alias = next((name for written, name in self.aliases.items() if _alias_key(written) == folded), None)
        if alias is not None:
            return alias
        listed = self._listed(label)
        single = self.single_speaker()
        if listed is None and single is not None:
            key, own = _key(label), _key(single.name)
            if key and (key == own or key == own[-1:]):  # "GRACE MWANGI", "Mwangi"
                return single.name
        return listed

    def _listed(self, label: str) -> Optional[str]:
        """Return the participant ``label`` refers to, or None."""
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

    def single_speaker(self) -> Optional[Speaker]:
        """Return the session's one speaker (see ``speaker``) as resolved, or None when there is none."""
        wanted = (self.speaker, self.speaker_delegation)
        if self._single[0] != wanted:
            name = present(self.speaker)
            found = None
            if name:
                listed = self._listed(name)
                name = listed or display_name(name)
                delegation = present(self.participants.get(listed)) if listed else None
                found = Speaker(name, delegation or self._delegation(self.speaker_delegation),
                                "chair" if name == self.chair else None)
            self._single = (wanted, found)
        return self._single[1]

    def resolve(self, label: Optional[str], delegation: Optional[str] = None,
                note: Optional[str] = None) -> Tuple[str, Optional[str], Optional[str]]:
        """Return ``(speaker, delegation, role)`` for a label as written; see :meth:`identify`."""
        return self.identify(label, delegation, note)[:3]

    def identify(self, label: Optional[str], delegation: Optional[str] = None, note: Optional[str] = None,
                 tag: Optional[str] = None) -> Speaker:
        """Return the :class:`Speaker` a label as written refers to.

        Parameters
        ----------
        label : str or None
            The speaker as the file writes it; None for speech without a label, which
            is the session's one speaker if the directory names one, else "Unknown speaker".
        delegation : str, optional
            The delegation the label gave in parentheses, trusted as written (text records).
        note : str, optional
            Any other parenthesised note ("présidente", "spoke in French").
        tag : str, optional
            A caption label's parenthesised suffix, whose meaning is unsure: each
            comma-separated part that is a known State or organisation (the gazetteer) or a
            listed participant's delegation is the delegation; the rest ("SL", "Host") is
            the affiliation. A listed participant's own delegation always wins.

        Delegations and affiliations that say nothing ("nan", "None", "N/A", "-") are None.
        """
        label = present(label)
        if not label:
            return self.single_speaker() or Speaker(UNKNOWN_SPEAKER, None, None)
        delegation, note, tag = present(delegation), present(note), present(tag)
        notes = " ".join(x for x in (delegation, note, tag) if x)
        role = "chair" if _ROLE_NOTES.search(notes) and _CHAIR_NOTE.search(notes) else None
        # "(Maroc, présidente)" -> "Maroc"
        delegation = next(iter(_plain_parts(delegation)), None)
        affiliation = doubtful = None
        if tag:
            parts = _plain_parts(tag)
            known = [p for p in parts if self.is_delegation(p)]
            doubtful = ", ".join(p for p in parts if p not in known) or None
            delegation = delegation or next(iter(known), None)
            affiliation = ", ".join(p for p in parts if p != delegation) or None
        if is_chair_title(label):
            if self.chair:
                return Speaker(self.chair, self._listed_delegation(self.chair) or delegation, "chair",
                               affiliation, doubtful)
            return Speaker(display_name(label), delegation, "chair", affiliation, doubtful)
        canonical = self.lookup(label)
        if canonical is not None:
            if self.chair and canonical == self.chair:
                role = "chair"
            return Speaker(canonical, self._listed_delegation(canonical) or self._delegation(delegation), role,
                           affiliation, doubtful)
        return Speaker(display_name(label), self._delegation(delegation), role, affiliation, doubtful)

    def is_delegation(self, written: str) -> bool:
        """Return True if ``written`` is a known State or organisation, or a listed participant's delegation."""
        if is_known(written) or _key(written) in self._delegation_keys:
            return True
        canonical = self._delegation(written)
        return canonical is not None and _key(canonical) in self._delegation_keys

    def _listed_delegation(self, name: str) -> Optional[str]:
        """Return the delegation the manifest gives ``name`` (participant list, else ``speaker_delegation``)."""
        listed = present(self.participants.get(name))
        if listed is None and self.single_speaker() is not None and name == self.single_speaker().name:
            return self.single_speaker().delegation
        return listed

    def _delegation(self, delegation: Optional[str]) -> Optional[str]:
        delegation = present(delegation)
        if delegation and callable(self.delegation_names):
            return present(self.delegation_names(delegation))
        return delegation


def _plain_parts(suffix: Optional[str]) -> List[str]:
    """Return the comma-separated parts of a parenthesised suffix that are not role notes ("présidente")."""
    if not suffix:
        return []
    parts = (present(p) for p in suffix.split(","))
    return [p for p in parts if p and not _ROLE_NOTES.fullmatch(p)]


_PARTICLES = {"de", "da", "du", "des", "van", "von", "der", "den", "el", "al", "le", "la", "ben", "bin", "y"}
# First words of caption phrases that look like names but are not: "Article Six: ...", "The Question: ...",
# "KEY POINTS: ...". Not "he", "an" or "so": they are also names (He Yafei, An Nguyen, So-yeon Park).
_NOT_NAMES = {
    "article", "annex", "schedule", "part", "section", "paragraph", "resolution", "note", "question",
    "point", "points", "item", "session", "panel", "chapter", "figure", "table", "first", "second", "third",
    "the", "a", "this", "that", "these", "those", "our", "my", "your", "their", "its", "we", "i", "you",
    "they", "it", "and", "but", "or", "now", "here", "there", "then", "next", "key", "main", "final",
    "thank", "thanks", "good", "dear", "ladies", "what", "why", "how", "when", "where", "which", "one", "two",
    "three", "four", "five", "in", "on", "at", "for", "with", "as", "if", "to", "of", "by", "from", "all",
    "today", "step", "recommendation", "conclusion", "summary", "agenda", "answer", "bottom", "let", "please",
}
# A live captioner's speaker change: ">>" (or ">>>"), escaped or not, before the speech.
_CHANGE = re.compile(r"^\s*(?:>>+|(?:&gt;){2,})[ \t]*")
_CUE_PREFIX = re.compile(r"(?:-\s*)?(?P<name>[A-ZÀ-ÖØ-Þ][\w'’.\-]*(?:\s+[\w'’.\-]+){0,5})"
                         r"(?:\s*\((?P<deleg>[^()]{1,80})\))?(?:\s*\((?P<note>[^()]{1,80})\))?"
                         r"[ \t\u00a0\u202f]?:(?:\s+(?P<text>.*))?$", re.S)


def speaker_prefix(text: str, directory: Optional[SpeakerDirectory]):
    """Split a caption's ``"Name: text"`` into ``(name, suffix, text)`` when Name is a plausible speaker.

    Read: ``Grace Mwangi:``, ``GRACE MWANGI:``, ``DR. AMAL BENALI:``, ``Ashlee Kupor (SL):``,
    ``Mr. Okafor (Nigeria) (spoke in French):`` and any of these after a live captioner's
    ``>>``. ``suffix`` is what the parentheses held (two are joined with ", "), or None.
    A chair's title or a name the directory knows is always a speaker; otherwise two to
    four capitalised words (one to six before parentheses) that do not start like a
    sentence or a heading ("The Question:", "Article Six:"). A name in capitals counts
    only when the speech after it is not in capitals too, or after ``>>``: in captions
    written wholly in capitals, "RISK FACTORS: THREE" is speech, not a label.
    """
    marked = _CHANGE.match(text)
    match = _CUE_PREFIX.match(text, marked.end() if marked else 0)
    if not match:
        return None
    name = match["name"]
    suffix = ", ".join(x for x in (match["deleg"], match["note"]) if x) or None
    speech = match["text"] or ""
    known = is_chair_title(name) or (directory is not None and directory.knows(name))
    if not known and not _looks_like_name(name.split(), suffix is not None, bool(marked) or not speech.isupper()):
        return None
    return name, suffix, speech


def _looks_like_name(words: List[str], suffixed: bool, capitals: bool) -> bool:
    """Return True if ``words`` look like a person's name (``capitals``: words in capitals count)."""
    if words[0].lower().rstrip(".") in _NOT_NAMES or not (1 if suffixed else 2) <= len(words) <= (6 if suffixed else 4):
        return False
    return all(w in _PARTICLES or (w[0].isupper() and (any(c.islower() for c in w) or (capitals and w.isupper())))
               for w in words)


def split_label(label: str, directory: Optional[SpeakerDirectory] = None) -> Tuple[str, Optional[str]]:
    """Split a voice label ``"Ashlee Kupor (SL)"`` into ``("Ashlee Kupor", "SL")``; no suffix gives None.

    The suffix is split off only after a space, and never from a label the directory knows whole.
    """
    name, bracket, rest = label.rstrip().rpartition("(")
    if bracket and name[-1:].isspace() and name.strip() and rest.endswith(")") and ")" not in rest[:-1] \
            and len(rest) <= 81 and not (directory is not None and directory.knows(label)):
        return name.strip(), rest[:-1]
    return label, None


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
