"""The real-text harness: the frozen split, the loader, paragraph scoring, intervals and errors by cue.

The real texts are third-party and live outside the repository; the tests that need
them skip when they are absent. Every other test uses paragraphs written here.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from outcomes import evaluation, realtext
from outcomes.cli import main
from outcomes.errors import InputError

THEMES = ["verification", "chemical_terrorism", "ethical_governance", "capacity_building"]
EXPECTED_PARAGRAPHS = {"en": 1106, "fr": 399}


@pytest.fixture(scope="module")
def split():
    return realtext.load_split()


def _need_realtext(language):
    if not realtext.available(language):
        pytest.skip(f"the {language} real texts are not in {realtext.root()} (third-party, never in the "
                    f"repository); set {realtext.ENV} to their folder to run this test")


# --- the frozen split ----------------------------------------------------------------------------

@pytest.mark.parametrize("language", realtext.LANGUAGES)
def test_no_document_is_in_both_parts_or_twice(split, language):
    parts = split["languages"][language]
    assert not set(parts["dev"]) & set(parts["test"])
    for part in realtext.PARTS:
        assert len(parts[part]) == len(set(parts[part])) > 0


@pytest.mark.parametrize("language", realtext.LANGUAGES)
def test_test_part_holds_at_least_40_percent_of_the_paragraphs(split, language):
    counts = split["languages"][language]["counts"]
    assert counts["test"]["paragraphs"] >= 0.4 * (counts["dev"]["paragraphs"] + counts["test"]["paragraphs"])


@pytest.mark.parametrize("language", realtext.LANGUAGES)
@pytest.mark.parametrize("part", realtext.PARTS)
def test_every_theme_has_at_least_5_paragraphs_in_each_part(split, language, part):
    counts = split["languages"][language]["counts"][part]
    assert {theme: counts[theme] >= 5 for theme in THEMES} == dict.fromkeys(THEMES, True)


def test_split_says_how_it_was_made_and_holds_no_text(split):
    assert isinstance(split["seed"], int) and "by document" in split["rule"]
    for entry in split["languages"].values():
        assert all(len(doc) < 120 and " " not in doc for part in realtext.PARTS for doc in entry[part])


@pytest.mark.parametrize("language", realtext.LANGUAGES)
def test_loader_reads_every_paragraph_and_the_split_covers_every_document_once(split, language):
    _need_realtext(language)
    paragraphs = realtext.load(language, THEMES)
    assert len(paragraphs) == EXPECTED_PARAGRAPHS[language]
    parts = split["languages"][language]
    assert sorted(parts["dev"] + parts["test"]) == sorted({p.doc for p in paragraphs})
    for part in realtext.PARTS:
        chosen = realtext.select(paragraphs, part, language, split)
        assert realtext.counts(chosen, THEMES) == parts["counts"][part]  # the labels did not change since


@pytest.mark.parametrize("language", realtext.LANGUAGES)
def test_split_is_made_again_identically_from_its_seed(split, language):
    _need_realtext(language)
    paragraphs = realtext.load(language, THEMES)
    assert realtext.make_split(paragraphs, THEMES, split["seed"]) == split["languages"][language]["test"]


# --- the loader, on paragraphs written here ----------------------------------------------------

def _write_set(folder, records, labels):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "paragraphs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (folder / "labels.jsonl").write_text("".join(json.dumps(r) + "\n" for r in labels), encoding="utf-8")


@pytest.fixture
def tiny_realtext(tmp_path):
    """Two English speeches and one French page, three paragraphs each, in a folder like the real one."""
    english = [{"id": f"ungd-{doc}-p00{i}", "doc": doc, "lang": "en", "text": text}
               for doc in ("AAA_1_2000", "BBB_1_2000")
               for i, text in enumerate(["Inspectors visited the site.", "Thank you.", "Training helps."], 1)]
    gold_en = [{"id": r["id"], "labels": labels, "agreement": "agreed"}
               for r, labels in zip(english, [["verification"], [], ["capacity_building"]] * 2)]
    french = [{"id": f"fr-site-page-p0{i}", "lang": "fr", "text": "Merci."} for i in (1, 2, 3)]
    gold_fr = [{"id": r["id"], "labels": [], "agreement": "agreed"} for r in french]
    _write_set(tmp_path, english, gold_en)
    _write_set(tmp_path / "fr", french, gold_fr)
    return tmp_path


def test_loader_follows_the_environment_variable(tiny_realtext, monkeypatch):
    monkeypatch.setenv(realtext.ENV, str(tiny_realtext))
    assert realtext.available("en") and realtext.available("fr")
    paragraphs = realtext.load("en", THEMES)
    assert [p.doc for p in paragraphs] == ["AAA_1_2000"] * 3 + ["BBB_1_2000"] * 3
    assert paragraphs[0].labels == ("verification",) and paragraphs[0].agreement == "agreed"


def test_a_french_paragraph_belongs_to_its_page(tiny_realtext):
    assert {p.doc for p in realtext.load("fr", THEMES, tiny_realtext)} == {"fr-site-page"}


def test_absent_real_texts_are_said_in_one_line(tmp_path):
    assert not realtext.available("en", tmp_path)
    message = realtext.missing_message(["en", "fr"], tmp_path)
    assert "\n" not in message and realtext.ENV in message and "en, fr" in message


def test_an_unknown_label_is_an_input_error(tiny_realtext):
    lines = (tiny_realtext / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    lines[1] = json.dumps({"id": json.loads(lines[1])["id"], "labels": ["weather"]})
    (tiny_realtext / "labels.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="theme ids") as caught:
        realtext.load("en", THEMES, tiny_realtext)
    assert caught.value.line == 2


def test_a_paragraph_without_labels_is_an_input_error(tiny_realtext):
    lines = (tiny_realtext / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    (tiny_realtext / "labels.jsonl").write_text("\n".join(lines[1:]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="has no line"):
        realtext.load("en", THEMES, tiny_realtext)


def test_a_document_in_no_part_is_refused(tiny_realtext):
    paragraphs = realtext.load("en", THEMES, tiny_realtext)
    split = {"languages": {"en": {"dev": ["AAA_1_2000"], "test": []}}}
    with pytest.raises(InputError, match="BBB_1_2000"):
        realtext.select(paragraphs, "dev", "en", split)


def test_make_split_keeps_documents_whole_and_depends_only_on_the_seed(tiny_realtext):
    paragraphs = realtext.load("en", THEMES, tiny_realtext)
    first = realtext.make_split(paragraphs, THEMES, seed=3, draws=50)
    assert first in (["AAA_1_2000"], ["BBB_1_2000"])
    assert realtext.make_split(list(reversed(paragraphs)), THEMES, seed=3, draws=50) == first


# --- scoring on hand-made label sets ------------------------------------------------------------

def test_score_gives_known_precision_recall_f1_and_kappa():
    # verification: 2 true positives, 1 false negative, 1 true negative
    # capacity_building: 1 each of true positive, false positive, false negative, true negative
    gold = [["verification", "capacity_building"], ["verification"], ["verification", "capacity_building"], []]
    predicted = [["verification", "capacity_building"], ["verification", "capacity_building"], [], []]
    table = evaluation.score(gold, predicted, ["verification", "capacity_building"]).set_index("theme")
    assert table.loc["verification", ["precision", "recall", "f1", "kappa"]].tolist() == pytest.approx(
        [1.0, 2 / 3, 0.8, 0.5])
    assert table.loc["capacity_building", ["precision", "recall", "f1", "kappa"]].tolist() == pytest.approx(
        [0.5, 0.5, 0.5, 0.0])
    assert table.loc["macro", "f1"] == pytest.approx(0.65)


def test_score_with_intervals_counts_predictions_and_brackets_perfect_scores():
    gold = [["verification"], [], ["verification"], []] * 5
    table = evaluation.score_with_intervals(gold, gold, ["verification"], resamples=200).set_index("theme")
    assert table.loc["verification", ["f1", "f1_low", "f1_high", "predicted"]].tolist() == [1.0, 1.0, 1.0, 10]


def _noisy():
    gold = [["verification"] if i % 3 else [] for i in range(60)]
    predicted = [["verification"] if i % 4 else [] for i in range(60)]
    return gold, predicted


def test_bootstrap_is_deterministic_and_depends_on_its_seed():
    gold, predicted = _noisy()
    first = evaluation.f1_intervals(gold, predicted, ["verification"], resamples=300, seed=1)
    again = evaluation.f1_intervals(gold, predicted, ["verification"], resamples=300, seed=1)
    other = evaluation.f1_intervals(gold, predicted, ["verification"], resamples=300, seed=2)
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)


def test_bootstrap_interval_brackets_the_point_estimate():
    gold, predicted = _noisy()
    point = evaluation.score(gold, predicted, ["verification"]).set_index("theme").loc["verification", "f1"]
    interval = evaluation.f1_intervals(gold, predicted, ["verification"]).set_index("theme").loc["verification"]
    assert interval["f1_low"] < point < interval["f1_high"] and interval["f1_high"] - interval["f1_low"] < 0.5


# --- errors by cue ---------------------------------------------------------------------------------

def _prediction(themes, fired=None, weak=None):
    return evaluation.ParagraphPrediction(themes, fired or {}, weak or {})


def test_errors_are_counted_by_the_cue_behind_them():
    paragraphs = [realtext.Paragraph(f"p{i}", "d", "en", "", labels, "agreed")
                  for i, labels in enumerate([(), (), ("verification",), ("verification",)])]
    predictions = [
        _prediction(["verification"], {"verification": ["classifier", "declaration"]}),  # false positive
        _prediction(["verification"], {"verification": ["declaration"]}),  # false positive
        _prediction([], weak={"verification": ["classifier"]}),  # false negative, under the threshold
        _prediction(["verification"], {"verification": ["inspection"]}),  # right
    ]
    rows = evaluation.error_rows(paragraphs, predictions, ["verification"])
    assert rows[["id", "error", "source"]].values.tolist() == [
        ["p0", "fp", "both"], ["p1", "fp", "codebook"], ["p2", "fn", "classifier"]]
    cues = evaluation.cue_table(rows)
    assert cues[["error", "cue", "paragraphs"]].values.tolist() == [
        ["fn", "classifier", 1], ["fp", "declaration", 2], ["fp", "classifier", 1]]


def test_a_missed_theme_with_no_cue_says_so():
    paragraphs = [realtext.Paragraph("p0", "d", "en", "", ("capacity_building",), "agreed")]
    rows = evaluation.error_rows(paragraphs, [_prediction([])], ["capacity_building"])
    assert rows.loc[0, "cues"] == [evaluation.NO_CUE] and rows.loc[0, "source"] == "none"


# --- the whole harness on a blank pipeline ----------------------------------------------------------

def _keyword_pipeline(language, codebook="default"):
    """Return a blank pipeline that tags a sentence 'verification' when it says 'inspect'."""
    import spacy
    from spacy.language import Language

    from outcomes.nlp import themes  # noqa: F401  (registers the Span extensions)

    if "test_keyword_themes" not in Language.factories:
        @Language.component("test_keyword_themes")
        def keyword_themes(doc):
            for sent in doc.sents:
                hit = "inspect" in sent.text.lower()
                sent._.themes = ["verification"] if hit else []
                sent._.theme_cues = [{"theme": "verification", "term": "inspect*"}] if hit else []
            return doc

    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("test_keyword_themes")
    return nlp


@pytest.fixture
def tiny_split(tmp_path):
    path = tmp_path / "split.json"
    path.write_text(json.dumps({"languages": {"en": {"dev": ["AAA_1_2000"], "test": ["BBB_1_2000"]}}}))
    return path


def test_evaluate_realtext_scores_each_part_per_paragraph(tiny_realtext, tiny_split):
    table = evaluation.evaluate_realtext(["en"], ["dev", "test"], tiny_realtext, loader=_keyword_pipeline,
                                         resamples=50, split_file=tiny_split)
    rows = table.set_index(["part", "theme"])
    assert rows.loc[("dev", "verification"), ["precision", "recall", "support", "paragraphs"]].tolist() == [
        1.0, 1.0, 1, 3]
    assert rows.loc[("test", "capacity_building"), ["recall", "support", "predicted"]].tolist() == [0.0, 1, 0]


def test_realtext_errors_look_at_the_dev_part_only(tiny_realtext, tiny_split):
    rows = evaluation.realtext_errors("en", tiny_realtext, loader=_keyword_pipeline, split_file=tiny_split)
    assert rows[["id", "theme", "error"]].values.tolist() == [["ungd-AAA_1_2000-p003", "capacity_building", "fn"]]


# --- the command ---------------------------------------------------------------------------------

def _own_gold(languages, split):
    return pd.DataFrame([{"language": language, "theme": theme, "precision": 1.0, "recall": 1.0, "f1": 1.0,
                          "kappa": 1.0, "support": 1, "sentences": 1} for language in languages
                         for theme in THEMES + ["macro"]])


def test_evaluate_without_real_texts_says_so_once_and_prints_the_own_gold(tmp_path, monkeypatch):
    monkeypatch.setattr(evaluation, "evaluate", _own_gold)
    result = CliRunner().invoke(main, ["evaluate", "--realtext", str(tmp_path / "absent"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("real text: not found for en") and "skipped" in lines[0]
    assert sum("not found" in line for line in lines) == 1
    assert any(line.startswith("en       verification") for line in lines)


def test_evaluate_prints_real_text_first_then_own_gold(tiny_realtext, tiny_split, monkeypatch):
    monkeypatch.setattr(evaluation, "evaluate", _own_gold)
    real = evaluation.evaluate_realtext
    monkeypatch.setattr(evaluation, "evaluate_realtext", lambda languages, parts, folder: real(
        languages, parts, folder, loader=_keyword_pipeline, resamples=50, split_file=tiny_split))
    result = CliRunner().invoke(main, ["evaluate", "--realtext", str(tiny_realtext), "--lang", "en",
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [r["part"] for r in data["realtext"]] == ["dev"] * 5 + ["test"] * 5
    assert data["realtext_missing"] is None and len(data["gold"]) == 5
