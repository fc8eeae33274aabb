"""Hostile text: HTML, Markdown and template syntax in transcripts, the manifest and the curation
show as literal text in the HTML and the PDF, never as markup.

The fixture is tests/data/conferences/hostile/: every payload of PAYLOADS is written into a sentence
that carries a theme, and into names, a delegation, session titles and curation.yml. Its session H4
holds spreadsheet formulas (as quotes, speakers, delegations and a title), which the CSV exports must
neutralise and the JSON keep, and a speaker whose name holds a right-to-left override, which the
HTML must isolate.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import outside_explorer
import yaml

from outcomes import build, exports
from test_escaping import BIDI, _runs

pytestmark = pytest.mark.e2e
HOSTILE = Path(__file__).resolve().parent / "data" / "conferences" / "hostile"
HAS_CHROMIUM = shutil.which("chromium") is not None
OUTCOMES = str(Path(sys.executable).with_name("outcomes"))

PAYLOADS = [
    '<script>alert("x")</script>',
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "{{ 7*7 }}",
    "{% raw %}",
    "$$\\int x$$",
    "<!-- hidden -->",
    "</td></tr></table>",
    "<style>body{display:none}</style>",
    "&lt;b&gt;already escaped&lt;/b&gt;",
    '<a href="https://evil.example/">link</a>',
    '<iframe src="https://evil.example"></iframe>',
]
# The manifest's payloads, as the reader must see them.
MANIFEST_TEXT = [
    'Verification <script>alert("x")</script> and {{ 7*7 }}',  # session title
    "Éthique <img src=x onerror=alert(1)> et gouvernance",  # session title
    "Nadia {{ 7*7 }} <b>Rahmouni</b>",  # chair, a participant's name
    'OPCW <iframe src="https://evil.example"></iframe> Secretariat',  # a delegation
    'Oxford <a href="https://evil.example/">link</a> Institute',  # a delegation
]
# Session H4: what a spreadsheet would run, and a name that would reverse its attribution line.
HYPERLINK = '=HYPERLINK("http://evil.example/","click me")'
FORMULA_SPEAKERS = [HYPERLINK, "@SUM(1) Okafor", "+1 Moreau"]
FORMULA_DELEGATIONS = ["-2+3 Alliance", '=HYPERLINK("http://evil.example/","delegation")', "@SUM(1) Institute"]
FORMULA_QUOTES = [HYPERLINK + " was typed", "+1 was the score", "-2+3 is how", "@SUM(1) appeared"]
OVERRIDE_SPEAKER = "Lina \u202eKarimi"
# Where {{ 7*7 }} was written, with what surrounds it.
TEMPLATE_CONTEXTS = ["answers {{ 7*7 }} with", "contiennent {{ 7*7 }} ou", "Nadia {{ 7*7 }}",
                     "written as {{ 7*7 }} in"]


def _build(conference: Path, output: Path, pdf: bool) -> subprocess.Popen:
    command = [OUTCOMES, "build", str(conference), "--output", str(output), "--build-date", "2024-10-25", "--quiet"]
    if not pdf:
        command.append("--no-pdf")
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _dollar_title_variant(folder: Path) -> Path:
    """Write a one-session copy of the fixture whose session title holds $$\\int x$$."""
    shutil.copytree(HOSTILE, folder)
    manifest = yaml.safe_load((folder / "conference.yml").read_text(encoding="utf-8"))
    session = manifest["sessions"][0]
    session["title"] = "Verification $$\\int x$$ and sampling"
    manifest["sessions"] = [session]
    (folder / "conference.yml").write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False),
                                           encoding="utf-8")
    (folder / "curation.yml").unlink()
    return folder


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """Build the fixture (and, at the same time, its $$-title variant) once for the module."""
    root = tmp_path_factory.mktemp("hostile")
    output = root / "report"
    variant = _dollar_title_variant(root / "dollar-title")
    processes = {"main": (_build(HOSTILE, output, HAS_CHROMIUM), output),
                 "dollar": (_build(variant, root / "dollar-report", False), root / "dollar-report")}
    results = {}
    for key, (process, folder) in processes.items():
        _, stderr = process.communicate(timeout=600)
        results[key] = (process.returncode, stderr, folder)
    return results


@pytest.fixture(scope="module")
def published(builds):
    returncode, stderr, folder = builds["main"]
    assert returncode == 0, stderr[-3000:]
    return folder


class _Page(HTMLParser):
    """Collect the tags, attributes, comments, style text and visible text of an HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.comments, self.styles, self.text, self.quotes = [], [], [], [], []
        self._open = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in ("img", "br", "meta", "link", "hr", "input", "col", "wbr", "source"):
            self._open.append(tag)
            if tag == "q":
                self.quotes.append("")

    def handle_endtag(self, tag):
        if tag in self._open:
            while self._open and self._open.pop() != tag:
                pass

    def handle_comment(self, data):
        self.comments.append(data)

    def handle_data(self, data):
        if self._open and self._open[-1] == "style":
            self.styles.append(data)
            return
        self.text.append(data)
        if "q" in self._open:
            self.quotes[-1] += data


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    page.text = " ".join("".join(page.text).split())
    return page


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture(scope="module")
def html(published):
    return (published / build.REPORT_HTML).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pages(published):
    """Every HTML page of the report folder (the report and any page it links to), parsed."""
    return {p.relative_to(published).as_posix(): _parse(p.read_text(encoding="utf-8"))
            for p in sorted(published.rglob("*.html"))}


def test_build_succeeds(published):
    assert (published / build.REPORT_HTML).is_file()


def test_no_payload_is_markup_in_the_html(html):
    html = outside_explorer(html)  # its two scripts are its own, and checked there
    assert "<script" not in html.lower()
    assert "<img src=x" not in html
    assert "<iframe" not in html
    assert "<style>body" not in html
    assert 'href="javascript:' not in html
    assert "<a href=\"https://evil" not in html
    assert "<!-- hidden" not in html
    assert "</td></tr></table>" not in html
    assert "<b>Rahmouni" not in html


def test_no_payload_is_markup_in_any_page(pages, published):
    for name, page in pages.items():
        tags = {tag for tag, _ in _parse(outside_explorer((published / name).read_text(encoding="utf-8"))).tags}
        assert not tags & {"script", "iframe", "object", "embed", "frame", "base"}, name
        for tag, attrs in page.tags:
            assert not any(key.startswith("on") for key in attrs), (name, tag, attrs)
            assert not (tag == "img" and attrs.get("src") == "x"), name
            for key in ("href", "src"):
                value = (attrs.get(key) or "").strip().lower()
                assert not value.startswith(("javascript:", "https://evil")), (name, tag, attrs)
        assert not any("hidden" in comment for comment in page.comments), name
        assert not any("body{display:none}" in "".join(style.split()) for style in page.styles), name


def test_payloads_show_as_escaped_text(html, pages):
    for escaped in ["&lt;script&gt;alert(", "&lt;img src=x onerror=alert(1)&gt;", "&lt;iframe src=",
                    "&lt;style&gt;body{display:none}&lt;/style&gt;", "&lt;!-- hidden --&gt;",
                    "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;", "&amp;lt;b&amp;gt;already escaped&amp;lt;/b&amp;gt;",
                    "&lt;a href=", "&lt;b&gt;Rahmouni&lt;/b&gt;"]:
        assert escaped in html, escaped
    text = pages[build.REPORT_HTML].text
    for payload in PAYLOADS + MANIFEST_TEXT:
        assert payload in text, payload


def test_transcript_payloads_are_quoted_verbatim(pages):
    quoted = " ".join(pages[build.REPORT_HTML].quotes)
    for payload in PAYLOADS:
        assert payload in quoted, payload


def test_curation_text_stays_text(pages):
    text = pages[build.REPORT_HTML].text
    assert 'treat input such as <script>alert("x")</script> and <img src=x onerror=alert(1)> as text' in text
    assert "comments such as <!-- hidden --> and stray markup such as </td></tr></table>" in text
    assert '<a href="https://evil.example/">link</a> and <iframe src="https://evil.example"></iframe> are text' in text
    assert "whatever a chatbot answers to {{ 7*7 }}." in text
    assert "Summary with <b>markup</b> and {{ 7*7 }}:" in text


def test_template_syntax_is_not_evaluated(pages):
    text = pages[build.REPORT_HTML].text
    for context in TEMPLATE_CONTEXTS:
        assert context in text, context
        assert context.replace("{{ 7*7 }}", "49") not in text, context


def test_every_link_stays_in_the_report_folder(published, pages):
    root = published.resolve()
    for name, page in pages.items():
        here = (published / name).parent
        for tag, attrs in page.tags:
            for key in ("src", "href"):
                value = attrs.get(key)
                if value is None or value.startswith(("data:", "#")):
                    continue
                assert ":" not in value.split("/")[0] and not value.startswith("/"), (name, tag, value)
                target = (here / value.split("#")[0]).resolve()
                assert target.is_relative_to(root) and target.is_file(), (name, tag, value)


@pytest.mark.skipif(not HAS_CHROMIUM, reason="the PDF needs Debian's chromium")
def test_pdf_shows_payloads_as_text(published):
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(published / build.REPORT_PDF), "-"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    text = _fold(result.stdout)
    for payload in PAYLOADS + MANIFEST_TEXT:
        assert _fold(payload) in text, payload
    for context in TEMPLATE_CONTEXTS:
        assert context.replace("{{ 7*7 }}", "49") not in text, context


def test_findings_csv_keeps_payloads_verbatim(published):
    with open(published / build.FINDINGS_CSV, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    texts = " ".join(row["text"] for row in rows)
    for payload in PAYLOADS:
        assert payload in texts, payload
    delegations = {row["delegation"] for row in rows}
    assert 'OPCW <iframe src="https://evil.example"></iframe> Secretariat' in delegations


def test_dollar_math_in_a_session_title_builds(builds):
    returncode, stderr, _ = builds["dollar"]
    assert returncode == 0, stderr[-2000:]


def _csv_rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_exports_neutralise_formulas(published):
    findings = _csv_rows(published / build.FINDINGS_CSV)
    sessions = _csv_rows(published / build.SESSIONS_CSV)
    for rows in (findings, sessions):
        for row in rows:
            for key, cell in row.items():
                assert not key.lstrip(" ").startswith(exports.FORMULA_STARTS), key
                assert not (cell or "").lstrip(" ").startswith(exports.FORMULA_STARTS), (key, cell)
    assert {"'" + s for s in FORMULA_SPEAKERS} <= {row["speaker"] for row in findings}
    assert {"'" + d for d in FORMULA_DELEGATIONS} <= {row["delegation"] for row in findings}
    for start in FORMULA_QUOTES:
        assert any(row["text"].startswith("'" + start) for row in findings), start
    assert "'" + HYPERLINK + " and spreadsheet exports" in {row["title"] for row in sessions}
    assert OVERRIDE_SPEAKER in {row["speaker"] for row in findings}  # not a formula: as it was
    assert all(float(row["score"]) > 0 for row in findings)  # numbers stay numbers


def test_json_export_keeps_formulas_verbatim(published):
    findings = json.loads((published / build.FINDINGS_JSON).read_text(encoding="utf-8"))["findings"]
    assert set(FORMULA_SPEAKERS + [OVERRIDE_SPEAKER]) <= {f["speaker"] for f in findings}
    assert set(FORMULA_DELEGATIONS) <= {f["delegation"] for f in findings}
    for start in FORMULA_QUOTES:
        assert any(f["text"].startswith(start) for f in findings), start


def test_a_bidi_override_in_a_name_reorders_nothing_around_it(published):
    for name in (build.REPORT_HTML, "sessions/H4.html"):
        # the explorer (its JSON data is for its script, not text) is left out; its rows isolate names in <bdi>
        runs = _runs(outside_explorer((published / name).read_text(encoding="utf-8")))
        assert any(text == OVERRIDE_SPEAKER and depth >= 1 for text, depth, _ in runs), name
        for text, depth, _ in runs:
            if any(c in BIDI for c in text):
                assert depth >= 1, (name, text)
            if text.startswith("[H4-"):  # a finding id, after the attribution
                assert depth == 0, (name, text)
    runs = _runs((published / build.REPORT_HTML).read_text(encoding="utf-8"))
    assert any(text.startswith("[H4-") for text, _, _ in runs)
