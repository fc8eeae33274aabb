"""The findings explorer: every finding of the report, filterable in the HTML page.

:func:`render` returns an HTML fragment for the report: filter controls (theme,
sub-topic, session, delegation, speaker, full-text search), a result count, the
findings as JSON data, and the inline script and style sheet
(``templates/outcomes/explorer/``) that filter them in the reader's browser.
Nothing is fetched: the fragment works from ``file://`` and offline. The
explorer is only useful on screen, so print and PDF hide it.

Input text never becomes markup. The findings travel as JSON in a
``<script type="application/json">`` element, with every character that could
end that element or the script escaped; the script builds each row with
``createElement`` and ``textContent``; a finding's link is kept only when it is
a relative URL.

Speed, for a large conference (30,000 findings, over 6 MB of data): the first page
of rows is written here as HTML, so it shows as soon as the browser has parsed
it, before the data that follows it; the data is columnar (each theme, session,
speaker... is written once and rows hold its index, a link to a finding's own
anchor is written as its page); the script lists only the first rows that match
(more on request), and folds the search text to lower case without accents
once, in idle time after the data is read.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Dict, Iterable, List
from urllib.parse import urlsplit

from babel.numbers import format_decimal

from .i18n import LOCALES, number
from .markup import escaped

LANGUAGES = ("en", "fr")

#: Rows listed at a time, by this module for the first page and by the script after.
PAGE = 100

# French typography: a narrow no-break space before : ; ? !
_NNBSP = "\u202f"

STRINGS: Dict[str, Dict[str, str]] = {
    "en": {
        "heading": "Findings explorer",
        "intro": "Every finding of the report. Filter by theme, sub-topic, session, delegation or speaker, "
                 "or search the quotes and names.",
        "noscript": "The filters need JavaScript; without it, only the first findings are listed. Every finding "
                    "is also in the report's exports.",
        "filters": "Filter the findings",
        "theme": "Theme", "all_themes": "All themes",
        "subtopic": "Sub-topic", "all_subtopics": "All sub-topics", "no_subtopic": "No sub-topic",
        "session": "Session", "all_sessions": "All sessions",
        "delegation": "Delegation", "all_delegations": "All delegations", "no_delegation": "No delegation",
        "speaker": "Speaker", "all_speakers": "All speakers",
        "search": "Search", "search_placeholder": "Words of a quote, a name…",
        "reset": "Clear filters",
        "count": "{n} of {total} findings",
        "results": "Findings",
        "none": "No finding matches these filters.",
        "more": "Show {n} more",
        "in_context": "in context",
        "confidence": "confidence {value}",
    },
    "fr": {
        "heading": "Explorateur des constats",
        "intro": "Tous les constats du rapport. Filtrez par thème, sous-thème, séance, délégation ou intervenant, "
                 "ou cherchez dans les citations et les noms.",
        "noscript": f"Les filtres nécessitent JavaScript{_NNBSP}; sans lui, seuls les premiers constats sont listés. "
                    "Tous les constats figurent aussi dans les exports du rapport.",
        "filters": "Filtrer les constats",
        "theme": "Thème", "all_themes": "Tous les thèmes",
        "subtopic": "Sous-thème", "all_subtopics": "Tous les sous-thèmes", "no_subtopic": "Sans sous-thème",
        "session": "Séance", "all_sessions": "Toutes les séances",
        "delegation": "Délégation", "all_delegations": "Toutes les délégations", "no_delegation": "Sans délégation",
        "speaker": "Intervenant", "all_speakers": "Tous les intervenants",
        "search": "Rechercher", "search_placeholder": "Mots d'une citation, un nom…",
        "reset": "Effacer les filtres",
        "count": "{n} constats sur {total}",
        "results": "Constats",
        "none": "Aucun constat ne correspond à ces filtres.",
        "more": "Afficher {n} de plus",
        "in_context": "en contexte",
        "confidence": f"confiance{_NNBSP}: {{value}}",
    },
}

# The strings the script needs; the others are written into the markup here.
_SCRIPT_STRINGS = ("count", "more", "in_context", "confidence", "no_subtopic", "no_delegation")

# The select controls, in the order they appear: (name, key of the "all" option); the label's key is the name.
_SELECTS = (("theme", "all_themes"), ("subtopic", "all_subtopics"), ("session", "all_sessions"),
            ("delegation", "all_delegations"), ("speaker", "all_speakers"))

# Each finding becomes one array, these columns in this order (explorer.js reads them by position). The link
# is a string, or the index of a page in the data's "pages" when it is that page + "#" + the finding's id.
COLUMNS = ("id", "theme", "subtopic", "session", "speaker", "delegation", "language", "text", "link", "confidence")
_ID, _THEME, _SUBTOPIC, _SESSION, _SPEAKER, _DELEGATION, _LANGUAGE, _TEXT, _LINK, _CONFIDENCE = range(len(COLUMNS))

# Inside <script>, "</script" or "<!--" would end or derail the element, and U+2028/9 end a line in old
# JavaScript parsers; in JSON they can only occur inside strings, where \\uXXXX means the same character.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                              "\u2028": "\\u2028", "\u2029": "\\u2029"})


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    """Return the text of ``templates/outcomes/explorer/<name>``."""
    path = resources.files("outcomes") / "templates" / "outcomes" / "explorer" / name
    return path.read_text(encoding="utf-8")


def script_json(value) -> str:
    """Return ``value`` as JSON that is safe to place inside a ``<script>`` element.

    Parameters
    ----------
    value : object
        Anything :func:`json.dumps` accepts.

    Returns
    -------
    str
        Compact JSON with ``<``, ``>``, ``&``, U+2028 and U+2029 written as ``\\uXXXX`` escapes.
    """
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).translate(_SCRIPT_SAFE)


def _sort_key(value: str):
    """Return a key that sorts names alphabetically, case and accents aside ("Émile" beside "Emile")."""
    folded = "".join(c for c in unicodedata.normalize("NFD", value) if not unicodedata.combining(c)).casefold()
    return (folded, value)


def _natural_key(value: str):
    """Return a key that sorts "S2" before "S10"."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part.casefold()) for part in re.split(r"(\d+)", value)
            if part]


def _relative(link) -> str:
    """Return ``link`` when it is a relative URL (into the report's own pages), else ""."""
    if not link:
        return ""
    link = str(link)
    parts = urlsplit(link)
    # a scheme (javascript:, http:), a host or an absolute path would leave the report's folder
    if parts.scheme or parts.netloc or link.lstrip().startswith(("/", "\\")) or any(ord(c) < 32 for c in link):
        return ""
    return link


def _text(value) -> str:
    """Return a finding's field as text; None and NaN become ""."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _index(values: Iterable[str], key) -> Dict[str, int]:
    """Return each distinct non-empty value's position in the sorted list of them."""
    return {value: i for i, value in enumerate(sorted({v for v in values if v}, key=key))}


def data(findings: List[dict], language: str = "en") -> dict:
    """Return the explorer's data: the findings as columnar rows, with the lists the rows index.

    Themes are sorted by label, sessions by id ("S2" before "S10"), sub-topics,
    speakers and delegations alphabetically; rows keep the order of ``findings``.

    Parameters
    ----------
    findings : list of dict
        The findings, each with ``id``, ``theme``, ``theme_label``, ``subtopic``,
        ``session``, ``session_title``, ``speaker``, ``delegation``, ``language``,
        ``text``, ``link`` and ``confidence``; a missing optional key counts as None.
    language : str
        The report's language, "en" or "fr".

    Returns
    -------
    dict
        ``language``, ``page`` (rows listed at a time), ``strings`` (the
        script's strings), ``columns``, ``themes`` (``[id, label]`` pairs),
        ``subtopics``, ``theme_subtopics`` (for each theme, the indices of its
        sub-topics), ``sessions`` (``[id, title]`` pairs), ``speakers``,
        ``delegations``, ``pages`` and ``findings`` (one array per finding, in
        the order of ``COLUMNS``; -1 stands for no sub-topic, delegation or
        speaker; a link that is not relative is dropped).

    Raises
    ------
    ValueError
        When ``language`` is not one of ``LANGUAGES``.
    """
    if language not in LANGUAGES:
        raise ValueError(f"the explorer speaks {', '.join(LANGUAGES)}, not {language!r}: pass one of them")
    labels: Dict[str, str] = {}
    titles: Dict[str, str] = {}
    for finding in findings:
        theme = _text(finding["theme"])
        labels.setdefault(theme, _text(finding.get("theme_label")) or theme)
        session = _text(finding["session"])
        titles.setdefault(session, _text(finding.get("session_title")))
    themes = {theme: i for i, theme in enumerate(sorted(labels, key=lambda t: _sort_key(labels[t])))}
    sessions = {session: i for i, session in enumerate(sorted(titles, key=_natural_key))}
    subtopics = _index((_text(f.get("subtopic")) for f in findings), _sort_key)
    speakers = _index((_text(f["speaker"]) for f in findings), _sort_key)
    delegations = _index((_text(f.get("delegation")) for f in findings), _sort_key)
    pages: Dict[str, int] = {}
    theme_subtopics: List[set] = [set() for _ in themes]
    rows = []
    for finding in findings:
        finding_id = _text(finding["id"])
        theme = themes[_text(finding["theme"])]
        subtopic = subtopics.get(_text(finding.get("subtopic")), -1)
        if subtopic >= 0:
            theme_subtopics[theme].add(subtopic)
        link = _relative(finding.get("link"))
        page, _, anchor = link.rpartition("#")
        if page and anchor == finding_id:
            link = pages.setdefault(page, len(pages))
        confidence = finding.get("confidence")
        confidence = None if confidence is None or confidence != confidence else round(float(confidence), 2)
        rows.append([finding_id, theme, subtopic, sessions[_text(finding["session"])],
                     speakers.get(_text(finding["speaker"]), -1), delegations.get(_text(finding.get("delegation")), -1),
                     _text(finding.get("language")) or language, _text(finding["text"]), link, confidence])
    strings = STRINGS[language]
    return {
        "language": language,
        "page": PAGE,
        "strings": {key: strings[key] for key in _SCRIPT_STRINGS},
        "columns": list(COLUMNS),
        "themes": [[theme, labels[theme]] for theme in themes],
        "subtopics": list(subtopics),
        "theme_subtopics": [sorted(indices) for indices in theme_subtopics],
        "sessions": [[session, titles[session]] for session in sessions],
        "speakers": list(speakers),
        "delegations": list(delegations),
        "pages": list(pages),
        "findings": rows,
    }


def link_of(data: dict, row: list) -> str:
    """Return the relative link of a finding's ``row`` in ``data`` (from :func:`data`); "" when it has none."""
    link = row[_LINK]
    return f"{data['pages'][link]}#{row[_ID]}" if isinstance(link, int) else link


def _bdi(value: str) -> str:
    return f"<bdi>{escaped(value)}</bdi>"


def _row(data: dict, row: list, language: str) -> str:
    """Return one finding as the ``<li>`` explorer.js builds for it, to the same markup."""
    strings = STRINGS[language]
    theme_id, theme_label = data["themes"][row[_THEME]]
    session_id, title = data["sessions"][row[_SESSION]]
    meta = []
    if row[_SPEAKER] >= 0:
        meta.append(f'<span class="explorer-speaker">{_bdi(data["speakers"][row[_SPEAKER]])}</span>')
    if row[_DELEGATION] >= 0:
        meta.append(f'<span class="explorer-delegation">{_bdi(data["delegations"][row[_DELEGATION]])}</span>')
    meta.append(f'<span class="explorer-session">{escaped(session_id)}{". " + _bdi(title) if title else ""}</span>')
    subtopic = (f' \u203a <span class="explorer-subtopic">{_bdi(data["subtopics"][row[_SUBTOPIC]])}</span>'
                if row[_SUBTOPIC] >= 0 else "")
    meta.append(f'<span class="explorer-theme">{_bdi(theme_label)}{subtopic}</span>')
    if row[_CONFIDENCE] is not None:
        value = format_decimal(row[_CONFIDENCE], format="0.00", locale=LOCALES[language])
        meta.append(f'<span class="explorer-confidence">{escaped(strings["confidence"].format(value=value))}</span>')
    link = link_of(data, row)
    if link:
        meta.append(f'<a class="explorer-link" href="{escaped(link)}">{escaped(strings["in_context"])}</a>')
    return (f'<li class="explorer-row" data-id="{escaped(row[_ID])}" data-theme="{escaped(theme_id)}" '
            f'data-session="{escaped(session_id)}"><p class="explorer-quote" lang="{escaped(row[_LANGUAGE])}">'
            f'<q>{_bdi(row[_TEXT])}</q></p><p class="explorer-meta">{"".join(meta)}</p></li>')


def _select(name: str, label: str, everything: str) -> str:
    control = f"explorer-{name}"
    return (f'<div class="explorer-field"><label for="{control}">{escaped(label)}</label>'
            f'<select id="{control}" name="{control}"><option value="">{escaped(everything)}</option></select></div>')


def render(findings: List[dict], language: str = "en", heading_level: int = 2) -> str:
    """Return the findings explorer as an HTML fragment to place in the report.

    The first page of findings is written as HTML (shown before the data is
    read, and without JavaScript); the script takes over once the data that
    follows it is parsed.

    Parameters
    ----------
    findings : list of dict
        The report's findings (see :func:`data` for the keys).
    language : str
        The report's language, "en" or "fr": the explorer's own words. Quotes
        stay in their language, marked with ``lang``.
    heading_level : int
        The level of the explorer's heading (``<h2>`` by default).

    Returns
    -------
    str
        A ``<section class="explorer" id="explorer">`` holding its style sheet,
        heading, controls, count, results list, data and script.

    Raises
    ------
    ValueError
        When ``language`` is not one of ``LANGUAGES``.
    """
    table = data(findings, language)
    rows = table["findings"]
    strings = STRINGS[language]
    level = min(max(int(heading_level), 1), 6)
    total = number(len(rows), language)
    controls = "".join(_select(name, strings[name], strings[everything]) for name, everything in _SELECTS)
    first = "".join(_row(table, row, language) for row in rows[:PAGE])
    rest = len(rows) - PAGE
    more = (f'<button type="button" class="explorer-more" id="explorer-more">'
            f'{escaped(strings["more"].format(n=number(min(PAGE, rest), language)))}</button>' if rest > 0 else
            '<button type="button" class="explorer-more" id="explorer-more" hidden></button>')
    return (
        f'<section class="explorer" id="explorer" lang="{language}" aria-labelledby="explorer-heading">'
        f"<style>{_asset('explorer.css')}</style>"
        f'<h{level} id="explorer-heading">{escaped(strings["heading"])}</h{level}>'
        f'<p class="explorer-intro">{escaped(strings["intro"])}</p>'
        f'<noscript><p class="explorer-noscript">{escaped(strings["noscript"])}</p></noscript>'
        f'<div class="explorer-filters" role="search" aria-label="{escaped(strings["filters"])}">{controls}'
        f'<div class="explorer-field explorer-field-search"><label for="explorer-search">{escaped(strings["search"])}'
        f'</label><input type="search" id="explorer-search" name="explorer-search" autocomplete="off" '
        f'spellcheck="false" placeholder="{escaped(strings["search_placeholder"])}"></div>'
        f'<button type="button" class="explorer-reset" id="explorer-reset">{escaped(strings["reset"])}</button></div>'
        f'<p class="explorer-count" id="explorer-count" role="status" aria-live="polite">'
        f'{escaped(strings["count"].format(n=total, total=total))}</p>'
        f'<ol class="explorer-results" id="explorer-results" aria-label="{escaped(strings["results"])}">{first}</ol>'
        f'<p class="explorer-empty" id="explorer-empty"{"" if not rows else " hidden"}>{escaped(strings["none"])}</p>'
        f"{more}"
        f'<script type="application/json" id="explorer-data">{script_json(table)}</script>'
        f"<script>{_asset('explorer.js')}</script>"
        "</section>"
    )
