"""The trained theme classifier and its fusion with the codebook."""

from __future__ import annotations

import pytest
import spacy

from outcomes.nlp import textcat, themes, training  # noqa: F401  (registers the factory)

THEMES = ["verification", "chemical_terrorism", "ethical_governance", "capacity_building"]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_classifier_is_shipped_for_each_language(language):
    classifier = textcat.load(str(textcat.model_dir(language)))
    assert classifier is not None
    assert list(classifier.get_pipe("textcat_multilabel").labels) == THEMES


def test_fused_score_and_classifier_cue():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("outcomes_themes")  # with the shipped classifier
    alone = spacy.blank("en")
    alone.add_pipe("sentencizer")
    alone.add_pipe("outcomes_themes", config={"model": ""})
    text = "Extremists could poison a crowded station with chemicals bought online."
    sent = next(nlp(text).sents)
    codebook_only = next(alone(text).sents)._.theme_scores.get("chemical_terrorism", 0.0)
    model_cue = [c for c in sent._.theme_cues if c["tier"] == "model" and c["theme"] == "chemical_terrorism"]
    assert model_cue, sent._.theme_cues
    p = float(model_cue[0]["text"].split("=")[1])
    expected = 1 - (1 - codebook_only) * (1 - 0.7 * p)
    assert sent._.theme_scores["chemical_terrorism"] == pytest.approx(expected, abs=0.006)
    assert "chemical_terrorism" in sent._.themes


def test_training_learns_from_examples():
    texts = ["inspectors took samples", "the inspection team sampled the site"] * 8 + \
            ["teach students in Africa", "training courses for technicians"] * 8
    labels = [["verification"]] * 16 + [["capacity_building"]] * 16
    nlp = training.train("en", texts, labels, THEMES, epochs=10)
    probs = textcat.predict(nlp, ["samples taken by inspectors", "courses to teach technicians"])
    assert probs[0]["verification"] > probs[0]["capacity_building"]
    assert probs[1]["capacity_building"] > probs[1]["verification"]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_shipped_classifier_holds_no_word_list(language):
    # it is trained on third-party real text too: only hashed features may be in the repository
    folder = textcat.model_dir(language)
    assert not (folder / "vocab").exists()
    assert not list(folder.rglob("strings.json"))
    doc = textcat.load(str(folder))("the opcw must verify the destruction of chemical weapons")
    assert doc.cats["verification"] > doc.cats["capacity_building"]
