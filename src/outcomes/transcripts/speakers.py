"""Who speaks: speaker labels as tools write them, and the manifest's directory of participants.

A label is read into a name and a delegation or affiliation (:func:`split_label`),
without honorifics, by :class:`SpeakerDirectory`, which knows the manifest's
participants, their aliases and delegations, and the chair. A placeholder ("nan",
"None", "N/A") is never a name, a delegation or an affiliation (:func:`present`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, NamedTuple, Optional, Tuple

from ..gazetteer import is_known
from ..markup import unaccented
from .cleaning import clean_text

UNKNOWN_SPEAKER = "Unknown speaker"


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
    folded = unaccented(name.replace("’", "'")).lower()
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
