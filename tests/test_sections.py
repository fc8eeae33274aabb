"""Transcript text is data: it is escaped wherever the report shows it."""

from __future__ import annotations

import re

from outcomes import aggregate, conference, curation, sections
from test_aggregate import LONG, analysis, sentence

PAYLOADS = ['<script>alert("x")</script>', '<img src=x onerror=alert(1)>', "[x](javascript:alert(1))",
            "{{ 7*7 }}", "$$x$$", "<!-- hidden -->"]


def test_hostile_text_is_escaped_everywhere(tiny_conference):
    conf = conference.load(tiny_conference)
    taken = {}
    rows = [sentence(taken, "T1", f"Inspections {p} {LONG}", ["verification"], proposal="recommend",
                     speaker='Eve <b>Bold</b>', delegation="<i>Evil</i>", turn=i) for i, p in enumerate(PAYLOADS)]
    report = aggregate.build(conf, [analysis("T1", rows), analysis("T2", [], "fr")], curation.Curation())
    view = sections.ReportView(report, "en", "2024-10-25")
    html = "".join(part.html for part in (view.title_page(), view.executive_summary(), view.themes_chapter(),
                                          view.sessions_chapter(), view.proposals_chapter(),
                                          view.participation_chapter(), view.annexes()))
    for payload in ("<script", "<img src=x", "<!-- hidden", "<b>Bold", "<i>Evil"):
        assert payload not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;Bold&lt;/b&gt;" in html
    assert not re.search(r'href="javascript:', html)


def test_paragraphs_are_numbered_through_the_document(tiny_conference):
    conf = conference.load(tiny_conference)
    taken = {}
    rows = [sentence(taken, "T1", "Inspections " + LONG, ["verification"])]
    report = aggregate.build(conf, [analysis("T1", rows), analysis("T2", [], "fr")], curation.Curation())
    view = sections.ReportView(report, "fr", "2024-10-25")
    html = view.executive_summary().html + view.themes_chapter().html
    numbers = [int(n) for n in re.findall(r'<span class="para-num">(\d+)\.</span>', html)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 3
    assert "Résumé analytique" in html and "Vérification" in html
