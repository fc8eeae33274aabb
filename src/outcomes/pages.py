"""Per-session transcript pages: every turn as read, each sentence anchored by its finding id.

A quote in the HTML report links to ``sessions/<session>.html#<finding id>``, so
a reader can see what was said around it. The pages are self-contained (the
report's stylesheet inlined), escape everything they show and isolate every
piece of input text for the bidirectional algorithm (see
:func:`outcomes.markup.isolate`).
"""

from __future__ import annotations

from html import escape
from typing import Dict, List

from .analysis import SessionAnalysis
from .i18n import clock, date, text
from .markup import isolate
from .render import template_dir

FOLDER = "sessions"


def link(session_id: str, finding_id: str) -> str:
    """Return the report-relative link to a sentence in its session page."""
    return f"{FOLDER}/{escape(session_id, quote=True)}.html#{escape(finding_id, quote=True)}"


def _style() -> str:
    return (template_dir() / "outcomes" / "static" / "report.css").read_text(encoding="utf-8")


def session_page(analysis: SessionAnalysis, labels: Dict[str, str], language: str, conference_title: str) -> str:
    """Return the HTML page of one session's transcript."""

    s = analysis.session
    by_turn: Dict[int, List[dict]] = {}
    for sentence in analysis.sentences:
        by_turn.setdefault(sentence["turn"], []).append(sentence)
    turns = []
    for turn in analysis.turns:
        affiliation = isolate(turn.get("affiliation"))
        who = isolate(turn["speaker"]) + (f" ({isolate(turn['delegation'])})" if turn["delegation"]
                                          else f", {affiliation}" if affiliation else "")
        when = clock(turn["start"])
        meta = f'{escape(text(language, "time"))} {when} · ' if when else ""
        sentences = []
        for sentence in by_turn.get(turn["index"], []):
            themes = ", ".join(labels.get(t, t) for t in sentence["themes"])
            cls = "sentence themed" if themes else "sentence"
            title = f' title="{escape(themes, quote=True)}"' if themes else ""
            sentences.append(f'<span id="{escape(sentence["id"], quote=True)}" class="{cls}"{title}>'
                             f'{isolate(sentence["text"])}</span>')
        turns.append(f'<div class="turn" id="t-{turn["index"]}"><p class="who"><strong>{who}</strong> '
                     f'<span class="meta">{meta}{isolate(analysis.source["path"])}:{turn["line"]}</span></p>'
                     f'<p lang="{escape(s["language"])}">{" ".join(sentences)}</p></div>')
    title = f'{s["id"]}. {s["title"]}'
    return f"""<!DOCTYPE html>
<html lang="{escape(language)}"><head><meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{escape(title)}</title>
<style>{_style()}
.turn {{ margin: 0 0 1rem; }} .who {{ margin: 0; }} .meta {{ color: #5b6775; font-size: .8rem; }}
.sentence.themed {{ background: #eef5fb; }} .sentence:target {{ background: #ffe9a8; outline: 2px solid #e0b000; }}
</style></head>
<body class="outcomes-report"><main>
<p class="doc-kind"><a href="../outcomes-report.html">{isolate(conference_title)}</a></p>
<h1>{escape(s["id"])}. {isolate(s["title"])}</h1>
<p class="when">{escape(date(s["date"], language))}{escape(", " + s["start"] + "–" + s["end"] if s.get("start") and s.get("end") else "")}
 · {escape(text(language, "chair"))}: {isolate(s.get("chair")) or "—"}</p>
{"".join(turns)}
</main></body></html>
"""


def write_pages(folder, analyses: List[SessionAnalysis], labels: Dict[str, str], language: str,
                conference_title: str) -> List[str]:
    """Write every session's page into ``folder/sessions/`` and return their names."""
    from pathlib import Path

    target = Path(folder) / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    names = []
    for analysis in analyses:
        name = f"{analysis.id}.html"
        (target / name).write_text(session_page(analysis, labels, language, conference_title), encoding="utf-8")
        names.append(name)
    return names
