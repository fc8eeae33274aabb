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


def _one_finding_report(tiny_conference):
    """A report of the tiny conference with one verification finding."""
    taken = {}
    rows = [sentence(taken, "T1", "Inspections " + LONG, ["verification"])]
    return aggregate.build(conference.load(tiny_conference), [analysis("T1", rows), analysis("T2", [], "fr")],
                           curation.Curation())


def test_paragraphs_are_numbered_through_the_document(tiny_conference):
    report = _one_finding_report(tiny_conference)
    view = sections.ReportView(report, "fr", "2024-10-25")
    html = view.executive_summary().html + view.themes_chapter().html
    numbers = [int(n) for n in re.findall(r'<span class="para-num">(\d+)\.</span>', html)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 3
    assert "Résumé analytique" in html and "Vérification" in html


def _accuracy_rows(source, items, f1):
    rows = []
    for language in ("en", "fr"):
        for theme in ("verification", "chemical_terrorism", "ethical_governance", "capacity_building", "macro"):
            row = {"language": language, "theme": theme, "precision": 0.5, "recall": 0.5, "f1": f1, "kappa": 0.4,
                   "support": 10, "items": items, "source": source}
            if source == "realtext":
                row.update(f1_low=f1 - 0.1, f1_high=f1 + 0.1)
            rows.append(row)
    return rows


def test_the_annex_shows_real_text_first_then_the_own_gold(tiny_conference):
    import pandas as pd

    conf = conference.load(tiny_conference)
    table = pd.DataFrame(_accuracy_rows("realtext", 300, 0.731) + _accuracy_rows("gold", 260, 0.657))
    report = aggregate.build(conf, [analysis("T1", []), analysis("T2", [], "fr")], curation.Curation(),
                             evaluation=table)
    html = sections.ReportView(report, "en", "2024-10-25").annexes().html
    real, gold = html.index("real speech nobody on the team wrote"), html.index("held-out set of")
    assert real < gold
    assert "0.731 [0.63–0.83]" in html and "Paragraphs with the theme" in html and "0.657" in html
    alone = aggregate.build(conf, [analysis("T1", []), analysis("T2", [], "fr")], curation.Curation(),
                            evaluation=pd.DataFrame(_accuracy_rows("gold", 260, 0.657)))
    assert "were not on the machine" in sections.ReportView(alone, "en", "2024-10-25").annexes().html


def test_numbers_do_not_depend_on_the_order_cells_run_in(tiny_conference):
    report = _one_finding_report(tiny_conference)
    view = sections.ReportView(report, "en", "2024-10-25")
    annexes = view.annexes().html
    themes = view.themes_chapter().html
    assert view.themes_chapter().html == themes and view.annexes().html == annexes  # a cell run again
    in_order = sections.ReportView(report, "en", "2024-10-25")
    in_order.executive_summary()
    assert in_order.themes_chapter().html == themes
    first = int(re.search(r'<span class="para-num">(\d+)\.</span>', annexes).group(1))
    last_of_themes = max(int(n) for n in re.findall(r'<span class="para-num">(\d+)\.</span>', themes))
    assert first > last_of_themes  # the annexes come after the themes, whichever cell ran first
