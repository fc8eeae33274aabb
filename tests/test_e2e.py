"""Build the sample conference exactly as a user would, and read the report."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from outcomes import build

pytestmark = pytest.mark.e2e
THEMES = {"verification": "Verification", "chemical_terrorism": "Chemical terrorism",
          "ethical_governance": "Ethical governance", "capacity_building": "Capacity building"}
CHAPTERS = ["Contents", "Executive summary", "Themes", "Session summaries", "Recommendations and proposals",
            "Participation", "Annex I. Methodology", "Annex II. Data provenance", "Annex III. List of sessions"]
HAS_CHROMIUM = shutil.which("chromium") is not None


def _plain(text: str) -> str:
    """Return PDF text with ligatures undone and line breaks folded."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture(scope="module")
def published(tmp_path_factory, sample_dir_module):
    output = tmp_path_factory.mktemp("reports") / "sample-conference"
    # a relative conference path, from the repository root, exactly as `make report` runs it
    command = [str(Path(sys.executable).with_name("outcomes")), "build", "data/sample-conference",
               "--output", str(output), "--build-date", "2024-10-25", "--quiet"]
    if not HAS_CHROMIUM:
        command.append("--no-pdf")
    result = subprocess.run(command, capture_output=True, text=True, timeout=900,
                            cwd=sample_dir_module.parents[1])
    assert result.returncode == 0, result.stderr[-3000:]
    return output


@pytest.fixture(scope="module")
def sample_dir_module():
    return Path(__file__).resolve().parents[1] / "data" / "sample-conference"


@pytest.fixture(scope="module")
def html(published):
    return (published / build.REPORT_HTML).read_text(encoding="utf-8")


def test_every_output_is_published(published):
    names = {p.name for p in published.iterdir()}
    assert {build.REPORT_HTML, build.FINDINGS_CSV, build.MANIFEST_JSON} <= names
    assert not any(".staging-" in p.name for p in published.parent.iterdir()), "staging folder left behind"


def test_each_theme_chapter_cites_quotes_with_speaker_and_session(html):
    for theme_id, label in THEMES.items():
        # the label comes from the codebook, so it is isolated like every input string
        section = re.search(rf'<section class="theme" id="theme-{theme_id}"><h2><bdi>{label}</bdi></h2>(.*?)</section>',
                            html, re.S)
        assert section, f"no chapter for {label}"
        quotes = re.findall(r'<q lang="(?:en|fr)">.+?</q> <span class="attribution">— (.+?), session (S\d\d)',
                            section.group(1), re.S)
        assert quotes, f"no quote in {label}"
        assert all(speaker.strip() for speaker, _ in quotes)


def test_html_loads_nothing_from_the_network(html, published):
    for attribute in re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', html):
        if attribute.startswith(("data:", "#")):
            continue
        # the only other links: a quote's sentence in its session's transcript page
        page, _, anchor = attribute.partition("#")
        assert re.fullmatch(r"sessions/S\d\d\.html", page), attribute
        assert f'id="{anchor}"' in (published / page).read_text(encoding="utf-8"), attribute
    assert "@import" not in html
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"url\((?!data:|#)", html)


def test_curated_key_messages_and_exclusions_apply(html, sample_dir_module):
    import yaml

    curation = yaml.safe_load((sample_dir_module / "curation.yml").read_text(encoding="utf-8"))
    summary = re.search(r'<section class="chapter" id="ch-summary">(.*?)</section>', html, re.S).group(1)
    for message in curation["key_messages"]:
        assert message["text"] in summary
    assert "Draft" in html and curation["version"] in html
    for excluded in curation["exclude"]:
        assert f'id="f-{excluded}"' not in html
    for line in curation["rewrite"].values():
        assert line in html


def test_json_and_sessions_exports(published):
    import json

    findings = json.loads((published / build.FINDINGS_JSON).read_text(encoding="utf-8"))
    first = findings["findings"][0]
    assert {"id", "session", "speaker", "delegation", "start", "line", "theme", "score", "text", "cues"} <= set(first)
    with open(published / build.SESSIONS_CSV, encoding="utf-8") as handle:
        sessions = list(csv.DictReader(handle))
    assert [row["session"] for row in sessions] == [f"S{i:02d}" for i in range(1, 11)]
    assert sum(int(row["words"]) for row in sessions) > 20000


def test_findings_csv_has_the_documented_columns(published):
    with open(published / build.FINDINGS_CSV, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["id", "session", "speaker", "delegation", "start", "theme", "subtopic", "score",
                            "confidence", "text"]
    assert len(rows) > 300
    assert {r["theme"] for r in rows} == set(THEMES)
    assert {r["session"] for r in rows} == {f"S{i:02d}" for i in range(1, 11)}


@pytest.mark.skipif(not HAS_CHROMIUM, reason="the PDF needs Debian's chromium (make setup installs it as root)")
def test_pdf_has_title_page_contents_and_every_chapter(published):
    from pypdf import PdfReader

    reader = PdfReader(published / build.REPORT_PDF)
    assert len(reader.pages) >= 20
    assert reader.pages[0].mediabox.width == pytest.approx(595, abs=2)  # A4 portrait, in points
    title = _plain(reader.pages[0].extract_text())
    assert "International Conference on the Role of Artificial Intelligence" in title
    assert "Illustrative content" in title and "Draft" in title
    text = _plain(" ".join(page.extract_text() for page in reader.pages))
    for heading in CHAPTERS + list(THEMES.values()):
        assert heading in text, heading
    assert re.search(r"Helena Vasquez-Moreau \(OPCW Technical Secretariat\), session S0\d", text)


def test_bad_input_leaves_the_published_report_untouched(published, tmp_path, sample_dir_module):
    before = {p.relative_to(published): p.read_bytes() for p in published.rglob("*") if p.is_file()}
    broken = tmp_path / "broken"
    shutil.copytree(sample_dir_module, broken)
    (broken / "transcripts" / "S02-verification.vtt").write_text("WEBVTT\n\n00:00:05.000 --> 00:00:01.000\n"
                                                                 "<v A>reversed\n", encoding="utf-8")
    result = subprocess.run([str(Path(sys.executable).with_name("outcomes")), "build", str(broken),
                             "--output", str(published), "--no-pdf"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 2
    assert "S02-verification.vtt:3: cue 1 ends" in result.stderr and "Traceback" not in result.stderr
    assert {p.relative_to(published): p.read_bytes() for p in published.rglob("*") if p.is_file()} == before


def test_french_rendering(tmp_path, sample_dir_module):
    output = tmp_path / "fr"
    result = subprocess.run([str(Path(sys.executable).with_name("outcomes")), "build", str(sample_dir_module),
                             "--output", str(output), "--report-language", "fr", "--no-pdf", "--quiet",
                             "--build-date", "2024-10-25"], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    html = (output / build.REPORT_HTML).read_text(encoding="utf-8")
    for heading in ("Résumé analytique", "Résumés des séances", "Recommandations et propositions",
                    "Annexe I. Méthodologie", "Vérification", "Terrorisme chimique", "Renforcement des capacités"):
        assert heading in html, heading
    assert "22–24 octobre 2024" in html and "26\u202f596" in html
    # quotes stay in the language they were spoken in
    assert '<q lang="en">' in html and '<q lang="fr">' in html


@pytest.mark.skipif(not (HAS_CHROMIUM and shutil.which("pdftotext") and shutil.which("pdftoppm")),
                    reason="needs chromium and poppler-utils (make setup installs them as root)")
def test_pdf_pages_as_a_reader_sees_them(published, html, tmp_path):
    pdf = published / build.REPORT_PDF
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                             text=True).stdout).group(1))
    headings = {" ".join(re.sub(r"<[^>]+>", "", h).split())
                for h in re.findall(r"<h[123][^>]*>(.*?)</h[123]>", html, re.S)}
    headings = {unicodedata.normalize("NFKC", h.replace("&amp;", "&")) for h in headings} - {""}
    stranded = []
    for page in range(3, pages + 1):  # after the title page and the contents
        text = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                              capture_output=True, text=True).stdout
        lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
        lines = [line for line in lines if not re.fullmatch(r"\d+ / \d+", line)]  # the footer
        if lines and unicodedata.normalize("NFKC", lines[-1]) in headings:
            stranded.append((page, lines[-1]))
    assert not stranded, f"headings at the bottom of a page: {stranded}"
    # and the pages render: the title page as an image is not blank
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "page")],
                   check=True)
    from PIL import Image

    first = Image.open(sorted(tmp_path.glob("page-*.png"))[0]).convert("L")
    assert first.size[0] < first.size[1]  # portrait
    assert first.getextrema()[0] < 100  # some dark ink on the page
