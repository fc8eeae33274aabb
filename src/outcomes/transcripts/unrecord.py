"""United Nations verbatim records, as text taken from their PDF.

A verbatim record of the Security Council (``S/PV.8225``) or the General Assembly
(``A/79/PV.12``) opens with a cover page, repeats a running header and a footer on
each page and, once its text is flattened, has its speaker labels in the middle of lines::

    ... The agenda was adopted. The President (spoke in Spanish): I wish to ...
    ... as we heard this morning. Mr. Okonkwo (Nigeria): I thank ...
    ... Le Président (parle en anglais) : Je donne la parole à Mme Laval (France) : ...

:func:`pieces` cuts such a record into lines and labels for the text reader. The cover
page (all before "The meeting was called to order at ..."), page furniture, procedural
sentences ("The agenda was adopted.") and interpretation notes are blanked out first,
each character replaced by a space, so that every label keeps its line number.
"""

from __future__ import annotations

import re
from typing import Iterator, List, NamedTuple, Optional, Tuple

from .normalise import parse_timestamp

#: One word of a name after the first: capitalised, or a particle ("de", "van", "bin").
NAME_WORD = r"(?:[A-ZÀ-ÖØ-Þ][\w'’.\-]*|d[eu]|da|dos|del|des|van|von|der|den|el|al|le|la|ben|bin|ibn|di|y)"
#: A note on the language spoken, inside its parentheses: "spoke in French", "parle en anglais".
INTERPRETATION = (r"(?:(?:the\s+speaker\s+)?(?:spoke|speaking|continued)\s+in|interpretation\s+from(?:\s+the)?"
                  r"|parle\s+en|s['’]exprime\s+en|interprétation\s+(?:de\s+l['’]|du|de\s+la))\s*\w+")
_INTERPRETATION = re.compile(INTERPRETATION, re.I)


class Label(NamedTuple):
    """A speaker label as read, with the speech that follows it on its line."""

    name: str
    text: str = ""
    start: Optional[float] = None
    end: Optional[float] = None
    delegation: Optional[str] = None
    note: Optional[str] = None


class Piece(NamedTuple):
    """A line of a transcript, or the part of one between two labels.

    ``label`` is set where the piece starts with a label already read; ``line_start``
    is False for a piece that starts in the middle of a line, where only the UN record's
    own labels are looked for.
    """

    number: int
    text: str
    label: Optional[Label] = None
    line_start: bool = True


def parenthesised(*groups: Optional[str]) -> Tuple[Optional[str], Optional[str], Optional[float]]:
    """Sort the parentheses after a name into ``(delegation, note, start)``.

    A time ("(00:01:02)") is when the turn starts, never a delegation; a note on the
    language spoken is a note; the first other parenthesis is the delegation.
    """
    delegation = note = start = None
    for group in filter(None, groups):
        stamp = parse_timestamp(group)
        if stamp is not None and start is None:
            start = stamp
        elif delegation is None and not _INTERPRETATION.fullmatch(group.strip()):
            delegation = group
        else:
            note = group
    return delegation, note, start


# ---------------------------------------------------------------------------
# what a UN record looks like
# ---------------------------------------------------------------------------

def _spaced(pattern: str) -> str:
    """Return ``pattern`` with each space a run of white space: flattening breaks lines anywhere."""
    return pattern.replace(" ", r"\s+")


_SPACE = r"[^\S\n]"  # white space within a line
_SYMBOL = r"\b[ASE]/(?:[A-Z0-9.\-]{1,12}/){0,4}PV\.\d{1,5}\b"
# The record's own symbol stands at the start or the end of a line (cover, running header);
# one quoted in a speech ("(S/PV.8224).") does not make a file a record.
_SYMBOL_AT_EDGE = re.compile(rf"^{_SPACE}*(?P<first>{_SYMBOL})|(?P<last>{_SYMBOL}){_SPACE}*$", re.M)
_AM_PM = r"(?:\d{1,2}(?:[.:]\d{2})?\s*[ap]\.m\.|noon|midnight)"
_OPENED = re.compile(_spaced(rf"The meeting was called to order at {_AM_PM}"
                             r"|La séance est ouverte à [^.\n]{1,40}\."))
_CLOSED = re.compile(_spaced(rf"The meeting rose at {_AM_PM}|La séance est levée à [^.\n]{{1,40}}\."))
_ADOPTED = re.compile(_spaced(r"The agenda was adopted\.|L['’]ordre du jour est adopté\."))
_PROCEDURE = re.compile("|".join([
    _spaced(rf"The meeting (?:was called to order|rose|was suspended|(?:was )?resumed) at {_AM_PM}"
            rf"(?: and (?:was )?resumed at {_AM_PM})?\.?"),
    _spaced(r"La séance est (?:ouverte|levée|suspendue|reprise) à [^.\n]{1,80}\."),
    _ADOPTED.pattern,
    _spaced(r"Adoption of the agenda|Adoption de l['’]ordre du jour"),
    _spaced(r"Agenda item \d{1,3}(?: \(continued\))?|Point \d{1,3} de l['’]ordre du jour(?: \(suite\))?"),
    _spaced(r"In the absence of the President,.{1,200}?took the Chair\."
            r"|En l['’]absence du Président,.{1,200}?assume la présidence\."),
    rf"(?i:\({INTERPRETATION}\))",
    rf"^{_SPACE}*\[[^\]\n]*\]{_SPACE}*$", rf"^{_SPACE}*\([^()\n]*\){_SPACE}*$",  # a whole line in brackets
]), re.M | re.S)
# The footer of the first page, on corrections; it may fall in the middle of a speech.
_FOOTER = re.compile(_spaced(r"(?:This record contains the text of speeches|(?:Le présent|Ce) procès-verbal "
                             r"contient le texte)(?:.{0,1500}?documents\.un\.org\)?\.?|[^.]{0,400}\.)"), re.S)
_JOB, _PAGE = r"\b\d{2}-\d{5}\b", r"\b\d{1,3}/\d{1,3}\b"
_DATE = r"\b\d{2}/\d{2}/\d{4}\b"
_FURNITURE = re.compile(rf"{_JOB}\s+{_PAGE}|{_PAGE}\s+{_JOB}|{_JOB}(?:{_SPACE}*\([A-Z]\))?|\*\d{{7}}\*|{_DATE}"
                        rf"|^{_SPACE}*\d{{1,3}}{_SPACE}*$", re.M)

_HONORIFIC = r"(?:(?:Mr|Mrs|Ms|Dr|Prof|M|H\.E)\.|Mme|Mlle|Miss|Sir|Dame|Lord|Baroness|Archbishop|Cardinal|Sheikh)"
_TITLE = _spaced(r"(?:The|Le|La) (?:(?:Acting|Deputy) |Vice-)?"
                 r"(?:President|Présidente?|Chair(?:person|man|woman)?|Secretary-General|Secrétaire générale?)"
                 r"(?: par intérim)?")
_LABEL = re.compile(rf"""(?:(?<=\s)|\A)
    (?:(?P<title>{_TITLE})|(?P<person>{_HONORIFIC}\s+{NAME_WORD}(?:{_SPACE}+{NAME_WORD}){{0,4}}))
    (?:\s*\((?P<deleg>[^()]{{1,80}}(?:\([^()]{{1,40}}\)[^()]{{0,20}})?)\))?   # "Bolivia (Plurinational State of)"
    (?:\s*\((?P<note>[^()]{{1,80}})\))?
    \s*:(?=\s|\Z)""", re.X)
_SENTENCE_END = set(".?!…”\"»)]")
_NOT_NEWLINE = re.compile(r"[^\n]")


def own_symbol(text: str) -> Optional[str]:
    """Return the document symbol a UN record prints on its cover and headers, or None."""
    match = _SYMBOL_AT_EDGE.search(text)
    return (match["first"] or match["last"]) if match else None


def is_record(text: str) -> bool:
    """Return True if ``text`` looks like a UN verbatim record.

    Its symbol at the edge of a line, its opening sentence ("The meeting was called to
    order at ...", "La séance est ouverte à ...") or "The agenda was adopted." tell; a
    note on the language spoken does when a chair's title is also a label.
    """
    if own_symbol(text) or _OPENED.search(text) or _ADOPTED.search(text):
        return True
    return bool(re.search(rf"\({INTERPRETATION}\)", text, re.I)
                and re.search(rf"{_TITLE}\s*(?:\([^()]{{1,80}}\)\s*)?:", text))


def _blank(match: "re.Match") -> str:
    """Return the match as spaces, keeping its line breaks."""
    found = match.group()
    return _NOT_NEWLINE.sub(" ", found) if "\n" in found else " " * len(found)


def _running_header(symbol: str) -> "re.Pattern":
    """Return a pattern for the record's own symbol and the running header around it.

    The header is the symbol, the agenda item and the date, in either order, on one line
    or (after extraction) on three.
    """
    own = re.escape(symbol) + r"(?:[ \t]*\((?:Resumption|Reprise)[^()\n]{0,12}\))?"
    return re.compile(rf"{own}\s+[^\n]{{1,120}}?\s+{_DATE}|{_DATE}\s+[^\n]{{1,120}}?\s+{own}|{own}")


def _blanked(text: str) -> str:
    """Return ``text`` with page furniture, procedural sentences and interpretation notes blanked."""
    symbol = own_symbol(text)
    patterns = [_running_header(symbol), _FOOTER, _FURNITURE] if symbol else [_FOOTER]
    for pattern in patterns + [_PROCEDURE]:
        text = pattern.sub(_blank, text)
    return text


def _accepted(body: str, match: "re.Match") -> bool:
    """Return True if a label found by :data:`_LABEL` is one.

    A title ("The President") or a name with a delegation is; a bare name ("Mr. Lowcock:")
    only at the start of the text or of a line, or where a sentence ended.
    """
    if match["title"] or match["deleg"]:
        return True
    before = match.start() - 1
    while before >= 0 and body[before].isspace() and body[before] != "\n":
        before -= 1
    return before < 0 or body[before] == "\n" or body[before] in _SENTENCE_END


def _labels(body: str) -> List["re.Match"]:
    """Return the labels of a record's text, in order."""
    found = []
    position = 0
    while True:
        match = _LABEL.search(body, position)
        if match is None:
            return found
        if _accepted(body, match):
            found.append(match)
            position = match.end()
        else:
            position = match.start() + 1


def _bounds(text: str, first: int, last: int) -> Tuple[int, int]:
    """Return where the meeting's speech starts and ends, given where its first and last labels are.

    It starts after the opening sentence before the first label ("The meeting was called
    to order at ..."): all before is the cover page. It ends with the last closing sentence
    ("The meeting rose at ...") after the last label.
    """
    opened = _OPENED.search(text, 0, first)
    end = len(text)
    for closed in _CLOSED.finditer(text, last):
        end = closed.end()
    return (opened.end() if opened else 0), end


def _as_label(match: "re.Match") -> Label:
    delegation, note, _ = parenthesised(match["deleg"], match["note"])
    return Label(name=" ".join((match["title"] or match["person"]).split()), delegation=delegation, note=note)


def _split(body: str, start: int, stop: int, number: int, line_start: bool) -> Iterator[Piece]:
    """Yield the lines of ``body[start:stop]``, the first numbered ``number``."""
    for offset, line in enumerate(body[start:stop].split("\n")):
        yield Piece(number + offset, line, line_start=line_start or offset > 0)


def pieces(text: str) -> Optional[Iterator[Piece]]:
    """Return the pieces of a UN verbatim record, each label a piece of its own.

    Returns
    -------
    iterator of Piece or None
        None if ``text`` is not a UN record, or no UN label is found in it: the text
        reader then reads it line by line as usual.
    """
    if not is_record(text):
        return None
    body = _blanked(text)
    labels = _labels(body)
    if not labels:
        return None
    start, end = _bounds(text, labels[0].start(), labels[-1].end())
    return _walk(body, start, end, labels)


def _walk(body: str, start: int, end: int, labels: List["re.Match"]) -> Iterator[Piece]:
    number = body.count("\n", 0, start) + 1
    position, line_start = start, start == 0 or body[start - 1] == "\n"
    for match in labels:
        yield from _split(body, position, match.start(), number, line_start)
        number += body.count("\n", position, match.start())
        yield Piece(number, "", _as_label(match))
        number += body.count("\n", match.start(), match.end())
        position, line_start = match.end(), False
    yield from _split(body, position, end, number, line_start)
