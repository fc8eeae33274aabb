"""Sub-topics, positions, points of difference, the drafted summary and quotes shown once (issue 13)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from test_aggregate import analysis, sentence

from outcomes import aggregate, conference, curation, i18n, points, sections, subtopics

# Three points, each made in English and in French, by different delegations.
POINTS = {
    "spectra": [
        ("en", "Sweden", "A shared reference set of mass spectra from past proficiency tests would let every laboratory benchmark its tools."),
        ("en", "Kenya", "We need reference spectra and proficiency test data shared so each laboratory benchmarks its tools the same way."),
        ("fr", "France", "Un jeu commun de spectres de référence issu des essais d'aptitude permettrait à chaque laboratoire de comparer ses outils."),
        ("fr", "Mali", "Les spectres de référence des essais d'aptitude devraient être partagés pour que chaque laboratoire compare ses outils."),
    ],
    "offline": [
        ("en", "Ghana", "Tools that work offline matter because many laboratories have unreliable internet connections and power."),
        ("en", "Nigeria", "Offline tools are essential where internet connections are unreliable in national laboratories."),
        ("fr", "Senegal", "Des outils hors ligne sont indispensables car les connexions internet de nos laboratoires sont instables."),
    ],
    "twinning": [
        ("en", "Morocco", "Twinning between laboratories of the South and mentoring of young analysts should be funded for years."),
        ("fr", "Tunisia", "Le jumelage entre laboratoires du Sud et le mentorat des jeunes analystes doivent être financés sur des années."),
        ("en", "Egypt", "Mentoring young analysts through twinning of laboratories needs funding over several years."),
    ],
}


def _findings(extra=()):
    rows = []
    for point, said in POINTS.items():
        for index, (language, delegation, text) in enumerate(said):
            rows.append({"id": f"S0{index + 1}-{point[:4]}{index:04d}", "theme": "verification", "text": text,
                         "language": language, "delegation": delegation, "speaker": f"Speaker of {delegation}",
                         "session": f"S0{index + 1}", "turn": index, "line": 1, "words": len(text.split()),
                         "procedural": False, "confidence": 0.9, "score": 0.9, "point": point})
    rows += list(extra)
    return pd.DataFrame(rows)


def test_stems_meet_across_languages_and_accents():
    english = {stem for stem, _ in subtopics.tokens("Proficiency tests and offline tools for laboratories")}
    french = {stem for stem, _ in subtopics.tokens("Les essais d'aptitude et les outils hors ligne des laboratoires")}
    assert {"profic", "offlin", "tools", "labora"} <= english & french
    assert subtopics.tokens("Vérification")[0][0] == subtopics.tokens("verification")[0][0] == "verifi"


def test_each_point_becomes_one_sub_topic_with_english_and_french_together():
    findings = _findings()
    made = subtopics.group(findings, "verification")
    point_of = dict(zip(findings["id"], findings["point"]))
    predicted = {f: s.key for s in made for f in s.findings}
    gold = {f: point_of[f] for f in findings["id"]}
    scores = subtopics.agreement(predicted, gold)
    assert scores["ari"] == 1.0, (scores, [(s.label, s.findings) for s in made])
    spectra = next(s for s in made if point_of[s.key] == "spectra")
    assert {point_of[f] for f in spectra.findings} == {"spectra"}
    assert len({findings.set_index("id").at[f, "language"] for f in spectra.findings}) == 2
    # its label is its own words, and a second quote shows the other language
    assert any(word in spectra.label.lower() for word in ("spectra", "spectres", "reference", "référence"))
    assert len(spectra.quotes) == 2
    assert {findings.set_index("id").at[q, "language"] for q in spectra.quotes} == {"en", "fr"}


def test_grouping_is_deterministic():
    first = [s.as_dict() for s in subtopics.group(_findings(), "verification")]
    again = [s.as_dict() for s in subtopics.group(_findings().sample(frac=1, random_state=3), "verification")]
    assert first == again


def test_a_rapporteurs_edit_names_a_finding_and_survives_a_new_session():
    findings = _findings()
    spectra_id, offline_id, twinning_id = "S01-spec0000", "S01-offl0000", "S01-twin0000"
    edits = [curation.SubtopicEdit(spectra_id, label="Shared reference data"),
             curation.SubtopicEdit(offline_id, merge=(twinning_id,)),
             curation.SubtopicEdit(twinning_id, hide=True)]
    later = _findings(extra=[{"id": "S09-new00000", "theme": "verification", "language": "en", "delegation": "Peru",
                              "speaker": "Speaker of Peru", "session": "S09", "turn": 0, "line": 1, "procedural": False,
                              "text": "Peru would also like the reference spectra of proficiency tests to be shared.",
                              "words": 13, "confidence": 0.8, "score": 0.8, "point": "spectra"}])
    for frame in (findings, later):
        made = subtopics.apply_edits(subtopics.group(frame, "verification"), edits)
        renamed = next(s for s in made if spectra_id in s.findings)
        assert renamed.label == "Shared reference data" and renamed.renamed
        merged = next(s for s in made if offline_id in s.findings)
        assert twinning_id in merged.findings and merged.hidden  # the merge took the hidden one's findings
        assert [s for s in made if twinning_id in s.findings] == [merged]


def test_curation_reads_sub_topic_edits_and_refuses_unknown_keys(tmp_path):
    path = tmp_path / "curation.yml"
    path.write_text("subtopics:\n  - finding: S02-1a2b3c4d\n    label: Reference data\n    merge: [S04-deadbeef]\n",
                    encoding="utf-8")
    loaded = curation.load(path)
    assert loaded.subtopics == [curation.SubtopicEdit("S02-1a2b3c4d", None, "Reference data", ("S04-deadbeef",))]
    assert "S04-deadbeef" in loaded.referenced_ids()
    path.write_text("subtopics:\n  - finding: S02-1a2b3c4d\n    rename: x\n", encoding="utf-8")
    with pytest.raises(curation.CurationError, match=r"curation.yml:3: .*unknown key 'rename'"):
        curation.load(path)


def test_agreement_scores_the_gold_as_one_and_every_item_alone_as_chance():
    gold = {"a": "1", "b": "1", "c": "2", "d": "2", "e": "3"}
    assert subtopics.agreement(gold, gold)["ari"] == 1.0
    alone = subtopics.agreement({k: k for k in gold}, gold)
    assert alone["ari"] == 0.0 and alone["pair_precision"] == 0.0 and alone["precision"] == 1.0


def test_a_difference_needs_one_to_deny_what_the_other_affirms():
    assert points.denied("AI cannot replace inspectors.", "en") == {("replac", "inspec")}
    assert points.denied("L'OIAC ne doit pas réglementer l'IA.", "fr") == {("regula", "ai")}
    rows = [("Sweden", "In time AI will replace inspectors in routine industry inspections, and save money."),
            ("Kenya", "AI cannot replace inspectors in routine industry inspections, whatever it saves."),
            ("Peru", "Routine industry inspections could use AI tools to save money and time.")]
    findings = pd.DataFrame([{"id": f"S01-{i:08x}", "theme": "verification", "subtopic": "k", "text": text,
                              "delegation": who, "language": "en", "session": "S01", "turn": i,
                              "words": len(text.split()), "procedural": False} for i, (who, text) in enumerate(rows)])
    found = points.differences(findings, pd.DataFrame([{"theme": "verification", "key": "k", "label": "AI"}]))
    assert found[["first", "second"]].values.tolist() == [["S01-00000000", "S01-00000001"]]


def _report(tiny_conference, cur=None):
    taken = {}
    rows = []
    for index, (point, said) in enumerate(POINTS.items()):
        for number, (language, delegation, text) in enumerate(said):
            rows.append(sentence(taken, "T1", text, ["verification"], speaker=f"Speaker {delegation}",
                                 delegation=delegation, turn=index * 10 + number,
                                 proposal="recommend" if number == 0 else None))
    return aggregate.build(conference.load(tiny_conference), [analysis("T1", rows), analysis("T2", [], "fr")],
                           cur or curation.Curation())


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_report_shows_points_positions_and_a_drafted_summary(tiny_conference, language):
    report = _report(tiny_conference)
    view = sections.ReportView(report, language, "2024-10-25")
    html = "".join(getattr(view, part)().html for part in sections.PARTS)
    drafted = i18n.text(language, "drafted_note")[:30]
    assert drafted in html and 'class="para drafted"' in html
    assert len(re.findall(r'<section class="subtopic" id="st-verification-', html)) == 3
    # every claim of the drafted paragraph links to what it rests on
    paragraph = re.search(r'<p class="para drafted">(.*?)</p>', html).group(1)
    for anchor in re.findall(r'href="#([^"]+)"', paragraph):
        assert f'id="{anchor}"' in html, anchor
    assert 'class="data positions"' in html and "Sweden" in html
    # a quote is shown in full once; elsewhere it is a reference to its paragraph
    anchors = re.findall(r'id="f-([^"]+)"', html)
    assert len(anchors) == len(set(anchors))


def test_a_curated_summary_is_not_drafted(tiny_conference):
    report = _report(tiny_conference, curation.Curation(executive_summary="Our own words."))
    html = sections.ReportView(report, "en", "2024-10-25").executive_summary().html
    assert "Our own words." in html and 'class="para drafted"' not in html


def test_the_model_names_each_selection_once(tiny_conference):
    report = _report(tiny_conference)
    assert set(report.session_quotes.columns) == {"session", "id"}
    assert report.shown_proposals.groupby("theme").size().max() <= aggregate.THEME_PROPOSALS
    shown = report.subtopics[report.subtopics["theme"] == "verification"]
    assert (shown["findings"].map(len) >= subtopics.MIN_FINDINGS).all()
    assert set(report.findings["subtopic"].dropna()) <= set(shown["key"])
