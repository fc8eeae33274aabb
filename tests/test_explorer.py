"""The findings explorer: an HTML fragment that filters the report's findings in the reader's browser.

Unit tests read the fragment; the browser tests open it from ``file://`` in the system's Chromium
(one launch for the module) and drive its controls.
"""

from __future__ import annotations

import json
import re

import pytest

from outcomes import explorer
from outcomes.render import CHROMIUM_ARGS, find_chromium

HOSTILE = ('</script><script>alert(1)</script> <img src=x onerror="alert(2)"> <!-- <script> '
           '\u2028\u2029 & "quoted" \u202eevil')


def finding(id, session="S01", theme="verification", **changes) -> dict:
    value = {
        "id": id, "theme": theme, "theme_label": theme.replace("_", " ").capitalize(), "subtopic": None,
        "session": session, "session_title": f"Session {session}", "speaker": "Amal Benali",
        "delegation": "Morocco", "language": "en", "text": f"Finding {id}.",
        "link": f"sessions/{session}.html#{id}", "confidence": 0.8,
    }
    value.update(changes)
    return value


FINDINGS = [
    finding("S01-0001", text="Challenge inspections are the core of the verification regime.",
            subtopic="inspections", speaker="Pieter van Dijk", delegation="OPCW Technical Secretariat"),
    finding("S01-0002", text="Designated laboratories analyse the samples.", subtopic="laboratories"),
    finding("S01-0003", theme="ai_governance", text="Human oversight of every AI tool.", subtopic="oversight",
            delegation=None, confidence=None),
    finding("S02-0001", session="S02", theme="ai_governance", language="fr", speaker="Claire Dubois",
            delegation="France", text="La sécurité des outils d'IA est au cœur de la gouvernance."),
    finding("S02-0002", session="S02", theme="capacity", text="Training programmes build capacity.",
            speaker="Claire Dubois", delegation="France"),
    finding("S10-0001", session="S10", text=HOSTILE, speaker="<b>Mallory</b>", link="sessions/S10.html#S10-0001"),
]


def payload(html: str) -> dict:
    """Return the JSON in the fragment's data element."""
    match = re.search(r'<script type="application/json" id="explorer-data">(.*?)</script>', html, re.S)
    assert match, "no data element"
    return json.loads(match.group(1))


# --- the fragment ---------------------------------------------------------------------------------------------


def test_hostile_text_cannot_leave_the_json_script():
    html = explorer.render(FINDINGS)
    # two scripts (data, code), each closed once: nothing in the data closed one or opened another
    assert html.count("<script") == 2 and html.count("</script") == 2
    assert "<img" not in html and "<b>" not in html and "<!--" not in html
    data = payload(html)
    json_text = html.split('id="explorer-data">')[1].split("</script>")[0]
    assert "\u2028" not in json_text and "\u2029" not in json_text
    assert data["findings"][-1][data["columns"].index("text")] == HOSTILE
    assert "<b>Mallory</b>" in data["speakers"]


def test_the_fragment_loads_nothing_from_elsewhere():
    html = explorer.render(FINDINGS)
    assert not re.search(r"https?:|//cdn|@import|url\(", html)
    # the tags of the markup (input text is escaped, so every "<" opens one of ours)
    tags = " ".join(re.findall(r"<[a-zA-Z][^>]*>", html.split('<script type="application/json"')[0]))
    assert not re.search(r"\ssrc\s*=", tags)
    links = re.findall(r"""\shref\s*=\s*["']?([^"'\s>]*)""", tags)
    assert links and all(link.startswith("sessions/") for link in links), links
    assert "fetch(" not in html and "XMLHttpRequest" not in html and "import(" not in html


@pytest.mark.parametrize("link", ["javascript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
                                  "https://example.org/x", "//example.org/x", "/etc/passwd", "\\\\host\\share",
                                  "data:text/html,<b>x</b>"])
def test_only_relative_links_are_kept(link):
    data = explorer.data([finding("S01-0001", link=link), finding("S01-0002"),
                          finding("S01-0003", link="sessions/S01.html#elsewhere")])
    assert [explorer.link_of(data, row) for row in data["findings"]] == [
        "", "sessions/S01.html#S01-0002", "sessions/S01.html#elsewhere"]
    # a link to the finding's own anchor is written as its page, once
    assert data["pages"] == ["sessions/S01.html"] and data["findings"][1][data["columns"].index("link")] == 0
    assert link not in explorer.render([finding("S01-0001", link=link)])


def test_print_and_pdf_hide_the_explorer():
    html = explorer.render(FINDINGS)
    assert re.search(r"@media print\s*{\s*\.explorer\s*{\s*display:\s*none\s*!important\s*;?\s*}\s*}", html)


def test_every_control_has_a_label_and_the_count_is_announced():
    html = explorer.render(FINDINGS)
    assert html.startswith('<section class="explorer" id="explorer"')
    for name in ("theme", "subtopic", "session", "delegation", "speaker", "search"):
        assert f'<label for="explorer-{name}">' in html and f'id="explorer-{name}" name="explorer-{name}"' in html
    assert re.search(r'<p [^>]*id="explorer-count"[^>]*aria-live="polite"', html)
    assert 'id="explorer-results"' in html and 'id="explorer-more"' in html
    assert '<input type="search" id="explorer-search"' in html


def test_french_strings_are_french():
    html = explorer.render(FINDINGS, "fr")
    markup = re.sub(r"<style>.*?</style>|<script.*?</script>", "", html, flags=re.S)
    for words in ("Explorateur des constats", "Rechercher", "Tous les thèmes", "Toutes les séances", "Intervenant"):
        assert words in markup
    for words in ("Findings explorer", "All themes", "Search", "Speaker"):
        assert words not in markup
    strings = payload(html)["strings"]
    assert strings["count"] == "{n} constats sur {total}" and strings["in_context"] == "en contexte"
    for value in explorer.STRINGS["fr"].values():
        # a narrow no-break space before : ; ? ! and never an ordinary one
        assert not re.search(r"[ \u00a0][:;?!]", value), value
    assert "\u202f:" in explorer.STRINGS["fr"]["confidence"]
    assert explorer.STRINGS["fr"].keys() == explorer.STRINGS["en"].keys()


def test_the_data_is_columnar_and_sorted():
    data = explorer.data(FINDINGS)
    assert [pair[0] for pair in data["sessions"]] == ["S01", "S02", "S10"]
    assert [pair[1] for pair in data["themes"]] == ["Ai governance", "Capacity", "Verification"]
    assert data["subtopics"] == ["inspections", "laboratories", "oversight"]
    verification = [pair[0] for pair in data["themes"]].index("verification")
    assert data["theme_subtopics"][verification] == [0, 1]
    row = dict(zip(data["columns"], data["findings"][2]))  # no delegation, no confidence
    assert row["delegation"] == -1 and row["confidence"] is None and row["subtopic"] == 2
    assert data["speakers"][dict(zip(data["columns"], data["findings"][0]))["speaker"]] == "Pieter van Dijk"


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="en, fr"):
        explorer.render(FINDINGS, "de")


def test_the_first_page_of_rows_is_written_into_the_markup():
    many = [finding(f"S01-{n:04d}") for n in range(250)]
    markup = explorer.render(many).split('<script type="application/json"')[0]
    assert re.findall(r'<li class="explorer-row" data-id="([^"]+)"', markup) == [f["id"] for f in many[:100]]
    assert '<p class="explorer-count" id="explorer-count" role="status" aria-live="polite">250 of 250 findings</p>' \
        in markup
    assert '<button type="button" class="explorer-more" id="explorer-more">Show 100 more</button>' in markup
    french = explorer.render([finding(f"S01-{n:05d}") for n in range(1200)], "fr")
    assert "1\u202f200 constats sur 1\u202f200" in french and "confiance\u202f: 0,80" in french


def test_the_script_and_style_sheet_cannot_end_their_elements_early():
    html = explorer.render([])
    assert html.count("</style") == 1 and html.count("</script") == 2
    assert payload(html)["findings"] == []


# --- in a browser ---------------------------------------------------------------------------------------------

CHROMIUM = find_chromium()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        pytest.skip("the explorer's browser tests need a system Chromium (apt-get install chromium, "
                    "or set OUTCOMES_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def write_report(folder, findings, language="en"):
    """Write a report page holding the explorer, and a session page per session; return the report's path."""
    (folder / "sessions").mkdir(parents=True)
    for session in sorted({f["session"] for f in findings}):
        paragraphs = "".join(f'<p id="{f["id"]}">{f["id"]}</p>' for f in findings if f["session"] == session)
        (folder / "sessions" / f"{session}.html").write_text(
            f'<!doctype html><html><head><meta charset="utf-8"><title>{session}</title></head>'
            f"<body>{paragraphs}</body></html>", encoding="utf-8")
    report = folder / "report.html"
    report.write_text(f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"><title>Report</title>'
                      f"</head><body><main>{explorer.render(findings, language)}</main></body></html>",
                      encoding="utf-8")
    return report


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return write_report(tmp_path_factory.mktemp("explorer"), FINDINGS)


@pytest.fixture
def page(browser):
    """A fresh page that refuses, and records, every request not for a file."""
    context = browser.new_context()
    page = context.new_page()
    page.outside = []

    def only_files(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            page.outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_files)
    # a script that ran from the data would call alert (or add an element): record it instead of a dialog
    page.add_init_script("window.__alerts = []; window.alert = function (m) { window.__alerts.push(m); };")
    yield page
    context.close()


def open_report(page, path):
    page.goto(path.as_uri())
    page.wait_for_function("performance.getEntriesByName('explorer-ready').length > 0")


def rows(page):
    return page.eval_on_selector_all("#explorer-results > li", "items => items.map(i => ({id: i.dataset.id, "
                                     "theme: i.dataset.theme, text: i.querySelector('.explorer-quote').textContent}))")


@pytest.mark.e2e
def test_the_explorer_lists_every_finding_and_runs_no_data_as_code(page, report):
    open_report(page, report)
    assert page.text_content("#explorer-count") == "6 of 6 findings"
    listed = rows(page)
    assert [row["id"] for row in listed] == [f["id"] for f in FINDINGS]
    assert listed[-1]["text"] == HOSTILE
    assert page.evaluate("window.__alerts") == []
    assert page.evaluate("document.querySelectorAll('#explorer img, #explorer b').length") == 0
    assert page.is_hidden("#explorer-more") and page.is_hidden("#explorer-empty")
    assert page.outside == []


@pytest.mark.e2e
def test_the_script_builds_rows_exactly_as_the_markup_writes_them(page, report):
    open_report(page, report)
    written = page.inner_html("#explorer-results")
    page.select_option("#explorer-theme", label="Capacity")
    assert page.inner_html("#explorer-results") != written
    page.click("#explorer-reset")
    assert page.inner_html("#explorer-results") == written
    assert page.outside == []


@pytest.mark.e2e
def test_without_javascript_the_first_rows_still_show(browser, report):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(report.as_uri())
        assert page.eval_on_selector_all("#explorer-results > li", "items => items.length") == len(FINDINGS)
        assert page.text_content("#explorer-count") == "6 of 6 findings"
        assert page.is_visible(".explorer-noscript")
    finally:
        context.close()


@pytest.mark.e2e
def test_filtering_by_theme_and_sub_topic(page, report):
    open_report(page, report)
    page.select_option("#explorer-theme", label="Verification")
    assert page.text_content("#explorer-count") == "3 of 6 findings"
    assert {row["theme"] for row in rows(page)} == {"verification"}
    # the sub-topics offered are the theme's own
    assert page.eval_on_selector_all("#explorer-subtopic option", "o => o.map(x => x.textContent)") == [
        "All sub-topics", "inspections", "laboratories", "No sub-topic"]
    page.select_option("#explorer-subtopic", label="laboratories")
    assert [row["id"] for row in rows(page)] == ["S01-0002"]
    assert page.text_content("#explorer-count") == "1 of 6 findings"
    page.select_option("#explorer-delegation", label="France")
    assert rows(page) == [] and page.is_visible("#explorer-empty")
    page.click("#explorer-reset")
    assert page.text_content("#explorer-count") == "6 of 6 findings"
    assert page.outside == []


@pytest.mark.e2e
def test_search_narrows_to_the_matching_finding_accents_aside(page, report):
    open_report(page, report)
    page.fill("#explorer-search", "SECURITE coeur")  # "sécurité", "cœur" in the quote
    page.wait_for_function("document.getElementById('explorer-count').textContent === '1 of 6 findings'")
    assert [row["id"] for row in rows(page)] == ["S02-0001"]
    page.fill("#explorer-search", "dubois")  # names are searched too
    page.press("#explorer-search", "Enter")
    assert [row["id"] for row in rows(page)] == ["S02-0001", "S02-0002"]
    assert page.get_attribute('#explorer-results > li[data-id="S02-0001"] .explorer-quote', "lang") == "fr"
    assert page.outside == []


@pytest.mark.e2e
def test_in_context_opens_the_findings_place_in_its_session_page(page, report):
    open_report(page, report)
    page.select_option("#explorer-session", label="S02. Session S02")
    page.click('#explorer-results > li[data-id="S02-0002"] a.explorer-link')
    page.wait_for_url("**/sessions/S02.html#S02-0002")
    assert page.evaluate("location.hash") == "#S02-0002"
    assert page.locator('[id="S02-0002"]').count() == 1
    assert page.outside == []


@pytest.mark.e2e
def test_long_lists_come_a_page_at_a_time_in_french(page, tmp_path):
    many = [finding(f"S{1 + n % 3:02d}-{n:04d}", session=f"S{1 + n % 3:02d}") for n in range(250)]
    open_report(page, write_report(tmp_path, many, "fr"))
    assert page.text_content("#explorer-count") == "250 constats sur 250"
    assert len(rows(page)) == 100
    assert page.text_content("#explorer-more") == "Afficher 100 de plus"
    page.click("#explorer-more")
    page.click("#explorer-more")
    assert len(rows(page)) == 250 and page.is_hidden("#explorer-more")
    assert page.text_content("#explorer-results > li .explorer-link") == "en contexte"
    assert page.outside == []
