"""The report's chapters are Jinja2 templates: autoescaped, overridable from a folder, numbered as one document."""

from __future__ import annotations

import dataclasses
import re

import pytest
from conftest import outside_explorer

from outcomes import aggregate, conference, curation, i18n, sections
from test_aggregate import LONG, analysis, sentence

SCRIPT = '<script>alert("x")</script>'


def _report(tiny_conference, speaker="Amal Benali", text="Inspections"):
    taken = {}
    rows = [sentence(taken, "T1", f"{text} {LONG}", ["verification"], proposal="recommend", speaker=speaker,
                     turn=0),
            sentence(taken, "T1", f"Training {LONG}", ["capacity_building"], proposal="recommend", turn=1)]
    return aggregate.build(conference.load(tiny_conference), [analysis("T1", rows), analysis("T2", [], "fr")],
                           curation.Curation())


def _html(view) -> str:
    return "".join(getattr(view, part)().html for part in sections.PARTS)


def _numbers(html: str):
    return [int(n) for n in re.findall(r'<span class="para-num">(\d+)\.</span>', html)]


def test_every_part_has_a_template_in_the_nbconvert_template_folder():
    folder = sections.chapters_dir()
    assert folder.parent.name == "outcomes" and folder.parent.parent == sections.render.template_dir()
    for part in sections.PARTS:
        assert (folder / f"{part}.html.j2").is_file(), part
    assert (folder / "macros.html.j2").is_file()


def test_templates_autoescape_input_text(tiny_conference):
    view = sections.ReportView(_report(tiny_conference, speaker=SCRIPT, text=f"Inspections {SCRIPT}"), "en",
                               "2024-10-25")
    html = outside_explorer(_html(view))
    assert "<script" not in html
    assert "<bdi>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</bdi>" in html


def test_the_environment_escapes_like_the_rest_of_the_report():
    env = sections.environment()
    assert env.autoescape("proposals_chapter.html.j2") if callable(env.autoescape) else env.autoescape
    template = env.from_string("{{ value }}|{{ value|isolate }}|{{ missing }}")
    # the quotes are escaped as outcomes.markup.escaped does it; None prints as nothing
    assert template.render(value="<b>'x'</b>", missing=None) == (
        "&lt;b&gt;&#x27;x&#x27;&lt;/b&gt;|<bdi>&lt;b&gt;&#x27;x&#x27;&lt;/b&gt;</bdi>|")


def test_an_overriding_template_that_forgets_isolate_still_escapes(tiny_conference, tmp_path):
    (tmp_path / "title_page.html.j2").write_text('<h1 class="doc-title">{{ c.title }}</h1>', encoding="utf-8")
    report = _report(tiny_conference)
    report.conference = dataclasses.replace(report.conference, title=SCRIPT)
    html = sections.ReportView(report, "en", "2024-10-25", templates=tmp_path).title_page().html
    assert html == '<h1 class="doc-title">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</h1>'


def test_a_chapter_can_be_overridden_from_a_rapporteurs_folder(tiny_conference, tmp_path):
    # a reordered proposals chapter: the quotes first, then the introduction; the shipped macros still serve
    (tmp_path / "proposals_chapter.html.j2").write_text(
        '{% import "macros.html.j2" as m with context %}'
        '{% call m.chapter("proposals", "Our proposals") %}'
        '{% for theme in themes %}{% for row in theme.proposals %}{{ m.quote(row) }}{% endfor %}{% endfor %}'
        '{{ m.para(t("proposals_intro")) }}'
        '{% endcall %}', encoding="utf-8")
    report = _report(tiny_conference)
    shipped = sections.ReportView(report, "en", "2024-10-25")
    mine = sections.ReportView(report, "en", "2024-10-25", templates=[tmp_path])
    html = mine.proposals_chapter().html
    # the quotes, in full or (already quoted in the themes chapter) as a reference to their paragraph
    assert html.startswith('<section class="chapter" id="ch-proposals"><h1>Our proposals</h1><p ')
    quotes = [html.rindex(c) for c in ('class="para quote"', 'class="xref"') if c in html]
    assert quotes and max(quotes) < html.index('class="para "') and html.count('class="para "') == 1
    assert html != shipped.proposals_chapter().html
    # every other part comes from the package, unchanged
    for part in sections.PARTS:
        if part != "proposals_chapter":
            assert getattr(mine, part)().html == getattr(shipped, part)().html, part
    # a folder without templates changes nothing
    (tmp_path / "empty").mkdir()
    assert _html(sections.ReportView(report, "en", "2024-10-25", templates=tmp_path / "empty")) == _html(shipped)


def test_numbering_runs_through_the_document_and_does_not_depend_on_cells(tiny_conference, tmp_path):
    report = _report(tiny_conference)
    view = sections.ReportView(report, "fr", "2024-10-25")
    annexes = view.annexes().html
    html = _html(view)
    numbers = _numbers(html)
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 10
    assert view.annexes().html == annexes and _html(view) == html  # a cell run again
    figures = [int(n) for n in re.findall(r"<figcaption>Figure (\d+)", html)]
    assert figures == list(range(1, len(figures) + 1)) and len(figures) >= 2
    # a rapporteur's chapter with one paragraph more shifts every later number by one
    (tmp_path / "proposals_chapter.html.j2").write_text(
        '{% import "macros.html.j2" as m with context %}{% call m.chapter("proposals", "P") %}'
        '{{ m.para("Added.") }}{{ m.para(t("proposals_intro")) }}'
        '{% for theme in themes %}{% for row in theme.proposals %}{{ m.quote(row) }}{% endfor %}{% endfor %}'
        '{% endcall %}', encoding="utf-8")
    longer = _numbers(_html(sections.ReportView(report, "fr", "2024-10-25", templates=tmp_path)))
    assert longer == list(range(1, len(numbers) + 2))
    assert _numbers(sections.ReportView(report, "fr", "2024-10-25", templates=tmp_path).annexes().html) == [
        n + 1 for n in _numbers(annexes)]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_chapters_render_without_any_python_markup(tiny_conference, language):
    # the view's data holds no HTML: every tag of a chapter comes from a template
    view = sections.ReportView(_report(tiny_conference), language, "2024-10-25")
    data = view._proposals_chapter()
    assert "<" not in repr(data)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_theme_without_key_statements_says_why(tiny_conference, language, monkeypatch):
    monkeypatch.setattr(aggregate.calibration, "key_threshold", lambda lang, theme: float("inf"))
    report = _report(tiny_conference)
    assert all(frame.empty for frame in report.key_statements.values())
    html = sections.ReportView(report, language, "2024-10-25").themes_chapter().html
    expected = {"en": "reaches the precision required of a key statement", "fr": "la précision exigée"}[language]
    assert expected in i18n.text(language, "no_key_statements") and html.count(expected) == 4
