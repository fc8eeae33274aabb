"""Input text stays inert where it is read: no formula in the CSV exports, no reordering in the HTML.

A spreadsheet runs a CSV cell that starts like a formula, so the CSV writer puts a quote in
front of it; the JSON keeps every string as it was. A bidi override or embedding inside a
name must end at the name, so every piece of input text in the HTML sits in a <bdi>.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from html.parser import HTMLParser

import pandas as pd
import pytest

from outcomes import aggregate, conference, curation, exports, pages, sections
from test_aggregate import LONG, analysis, sentence

FORMULAS = ['=HYPERLINK("http://evil.example/","click me")', "+1", "-2+3", "@SUM(1)", "\tcmd", "\rcmd",
            "\uff1dSUM(1)", "\uff0b1", "\uff0d1", "\uff20SUM(1)", "   =1+1", " @SUM(1)"]
ORDINARY = ["Amal Benali", "e-mail", "a=b", "1+1", "'=already quoted", " spaced", "", "Côte d'Ivoire"]

# right-to-left override, left-to-right/right-to-left/first-strong isolates, right-to-left mark
BIDI_NAMES = ["Eve \u202eKram", "\u2066Lina Haddad", "Omar \u2067Saleh", "Zoe \u2068Ng", "Ali Reza\u200f"]
BIDI_DELEGATIONS = ["Delegation \u202eof X", "\u2067Group Y", "Institute \u2068Z", "\u200fOffice W",
                    "Union \u2066V"]
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
VOID = {"img", "br", "meta", "link", "hr", "input", "col", "wbr", "source"}


def _read_csv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# -- CSV ---------------------------------------------------------------------


@pytest.mark.parametrize("value", FORMULAS)
def test_a_cell_that_starts_like_a_formula_gets_a_quote(tmp_path, value):
    frame = pd.DataFrame({"text": [value], "speaker": [value], "delegation": [value], "score": [0.5]})
    rows = _read_csv(exports.write_csv(frame, tmp_path / "out.csv"))
    # a carriage return is written as a line feed: the csv writer quotes only that one
    cell = "'" + value.replace("\r", "\n")
    assert rows == [{"text": cell, "speaker": cell, "delegation": cell, "score": "0.500"}]


def test_a_carriage_return_inside_a_cell_cannot_start_a_row(tmp_path):
    frame = pd.DataFrame({"text": ["Verification\r=SUM(1)", "a\r\nb"], "words": [1, 2]})
    rows = _read_csv(exports.write_csv(frame, tmp_path / "out.csv"))
    assert rows == [{"text": "Verification\n=SUM(1)", "words": "1"}, {"text": "a\nb", "words": "2"}]


def test_numbers_and_ordinary_text_are_written_as_before(tmp_path):
    frame = pd.DataFrame({"text": ORDINARY, "words": range(len(ORDINARY)), "score": [-1.5] * len(ORDINARY),
                          "start": [None] * len(ORDINARY)})
    written = exports.write_csv(frame, tmp_path / "out.csv").read_bytes()
    plain = frame.to_csv(index=False, float_format="%.3f", lineterminator="\n").encode("utf-8")
    assert written == plain
    assert b"-1.500" in written


def test_a_column_name_that_starts_like_a_formula_gets_a_quote(tmp_path):
    frame = pd.DataFrame({"=theme": [1]})
    assert exports.write_csv(frame, tmp_path / "out.csv").read_text(encoding="utf-8") == "'=theme\n1\n"


def test_neutralise_leaves_what_is_not_text_alone():
    nan = float("nan")
    assert exports.neutralise(-3) == -3 and exports.neutralise(None) is None
    assert exports.neutralise(nan) is nan


def _spreadsheet_report(tiny_conference):
    taken = {}
    rows = [sentence(taken, "T1", f'=HYPERLINK("http://evil.example/","click me") {LONG}', ["verification"],
                     speaker="@SUM(1)", delegation="-2+3"),
            sentence(taken, "T1", f"+1 Inspections {LONG}", ["verification"], speaker="Amal Benali",
                     delegation="+1", turn=1)]
    first = analysis("T1", rows)
    first.session["title"] = "=1+1 Verification"
    first.session["chair"] = "@SUM(1)"
    return aggregate.build(conference.load(tiny_conference), [first, analysis("T2", [], "fr")],
                           curation.Curation())


def test_exports_neutralise_the_csv_and_keep_the_json_verbatim(tiny_conference, tmp_path):
    report = _spreadsheet_report(tiny_conference)
    written = exports.write_all(tmp_path, report, "2024-10-25")
    assert sorted(p.name for p in written) == ["findings.csv", "findings.json", "sessions.csv"]
    findings = _read_csv(tmp_path / "findings.csv")
    assert [row["speaker"] for row in findings] == ["'@SUM(1)", "Amal Benali"]
    assert [row["delegation"] for row in findings] == ["'-2+3", "'+1"]
    assert findings[0]["text"].startswith("'=HYPERLINK(") and findings[1]["text"].startswith("'+1 Inspections")
    assert findings[0]["score"] == "0.970"
    sessions = _read_csv(tmp_path / "sessions.csv")
    assert sessions[0]["title"] == "'=1+1 Verification" and sessions[0]["chair"] == "'@SUM(1)"
    assert sessions[0]["words"] == "100"
    data = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    assert set(data) == {"conference", "build_date", "codebook_sha256", "findings"}
    assert data["build_date"] == "2024-10-25" and data["conference"] == "Tiny Conference on Verification"
    assert data["findings"][0]["text"].startswith('=HYPERLINK("http://evil.example/","click me")')
    assert [f["speaker"] for f in data["findings"]] == ["@SUM(1)", "Amal Benali"]
    assert [f["delegation"] for f in data["findings"]] == ["-2+3", "+1"]
    assert data["findings"] == aggregate.findings_records(report)


# -- HTML --------------------------------------------------------------------


class _Isolation(HTMLParser):
    """Record each run of text with the number of isolating elements (<bdi>, any dir=) open around it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open = []  # (tag, isolates, classes)
        self.runs = []  # (text, depth, classes of the elements around it)

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            attrs = dict(attrs)
            self.open.append((tag, tag == "bdi" or "dir" in attrs, set((attrs.get("class") or "").split())))

    def handle_endtag(self, tag):
        for k in range(len(self.open) - 1, -1, -1):
            if self.open[k][0] == tag:
                del self.open[k:]
                return

    def handle_data(self, data):
        depth = sum(isolates for _, isolates, _ in self.open)
        classes = set().union(*(c for _, _, c in self.open)) if self.open else set()
        self.runs.append((data, depth, classes))


def _runs(html: str):
    parser = _Isolation()
    parser.feed(html)
    parser.close()
    return parser.runs


def _assert_isolated(runs, strings):
    """Every run holding a bidi control is isolated; each string is the whole text of an isolated run."""
    for text, depth, _ in runs:
        if any(c in BIDI for c in text):
            assert depth >= 1, repr(text)
    isolated = {text for text, depth, _ in runs if depth >= 1}
    for string in strings:
        assert string in isolated, repr(string)


def _bidi_report(tiny_conference):
    taken = {}
    rows = [sentence(taken, "T1", f"Inspections \u202b{i} matter {LONG}", ["verification"], proposal="recommend",
                     speaker=name, delegation=delegation, turn=i)
            for i, (name, delegation) in enumerate(zip(BIDI_NAMES, BIDI_DELEGATIONS))]
    first = analysis("T1", rows)
    first.session.update(title="Verification \u202eand sampling", chair=BIDI_NAMES[0])
    first.turns = [dict(first.turns[0], index=i, speaker=name, delegation=delegation)
                   for i, (name, delegation) in enumerate(zip(BIDI_NAMES, BIDI_DELEGATIONS))]
    conf = dataclasses.replace(conference.load(tiny_conference), title="Conference \u202eon AI",
                               venue="Rabat \u2067", organisers=["OPCW \u202e1"])
    cur = curation.Curation(version="\u202e0.2", executive_summary="Delegations \u202eagreed.",
                            rewrite={rows[0]["id"]: "Summary \u2068of it"},
                            key_messages=[curation.KeyMessage("Keep \u202eit", [rows[1]["id"]])])
    return aggregate.build(conf, [first, analysis("T2", [], "fr")], cur), rows


@pytest.mark.parametrize("language", ["en", "fr"])
def test_report_isolates_every_input_string(tiny_conference, language):
    report, rows = _bidi_report(tiny_conference)
    view = sections.ReportView(report, language, "2024-10-25")
    html = "".join(part.html for part in (view.title_page(), view.contents(), view.executive_summary(),
                                          view.themes_chapter(), view.sessions_chapter(), view.proposals_chapter(),
                                          view.participation_chapter(), view.annexes()))
    runs = _runs(html)
    _assert_isolated(runs, BIDI_NAMES + BIDI_DELEGATIONS + [r["text"] for r in rows] + [
        "Verification \u202eand sampling", "Conference \u202eon AI", "Rabat \u2067", "OPCW \u202e1", "\u202e0.2",
        "Delegations \u202eagreed.", "Summary \u2068of it", "Keep \u202eit"])


def test_a_finding_id_is_never_inside_an_isolate(tiny_conference):
    report, rows = _bidi_report(tiny_conference)
    view = sections.ReportView(report, "en", "2024-10-25")
    runs = _runs(view.proposals_chapter().html)
    for row in rows:
        shown = [(depth, classes) for text, depth, classes in runs if text == f"[{row['id']}]"]
        assert shown and all(depth == 0 and "finding-id" in classes for depth, classes in shown), row["speaker"]
    # the attribution's own words sit between the isolated name and the id, outside any isolate
    tails = [text for text, depth, classes in runs if "attribution" in classes and depth == 0]
    assert any(", session T1, 0:00:12" in text for text in tails)


def test_an_unclosed_isolate_is_caught():
    runs = _runs('<p><bdi>Eve \u202eKram <span class="finding-id">[T1-0]</span></p>')
    assert [depth for text, depth, _ in runs if text == "[T1-0]"] == [1]


def test_session_page_isolates_every_input_string(tiny_conference):
    report, rows = _bidi_report(tiny_conference)
    page = pages.session_page(report.analyses[0], {"verification": "Verification"}, "en", "Conference \u202eon AI")
    runs = _runs(page.split("</style>", 1)[1])
    _assert_isolated(runs, BIDI_NAMES + BIDI_DELEGATIONS + [r["text"] for r in rows] + [
        "Verification \u202eand sampling", "Conference \u202eon AI", "transcripts/T1.txt"])
    # the line number and the sentence anchors are the page's own
    assert any(text == ":1" and depth == 0 for text, depth, _ in runs)
    for row in rows:
        assert f'<span id="{row["id"]}" class="sentence themed" title="Verification"><bdi>' in page


def test_a_speaker_without_a_delegation_gets_no_parentheses(tiny_conference):
    taken = {}
    rows = [sentence(taken, "T1", f"We recommend inspections {LONG}", ["verification"], proposal="recommend",
                     delegation=None),
            sentence(taken, "T1", f"We recommend training {LONG}", ["verification"], proposal="recommend", turn=1)]
    report = aggregate.build(conference.load(tiny_conference), [analysis("T1", rows), analysis("T2", [], "fr")],
                             curation.Curation())
    # the proposals table turns the missing delegation into NaN
    html = sections.ReportView(report, "en", "2024-10-25").proposals_chapter().html
    assert "(nan)" not in html and "()" not in html
    # in full, or as a reference to the paragraph that quotes it: the attribution is the same
    assert "— <bdi>Amal Benali</bdi>, session T1, 0:00:12" in html
    assert "— <bdi>Amal Benali</bdi> (<bdi>Morocco</bdi>), session T1, 0:00:12" in html
