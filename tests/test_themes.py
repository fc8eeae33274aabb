"""The theme tagger on blank pipelines: cues, lemmas, elision, other senses, scores."""

from __future__ import annotations

import pytest
import spacy

from outcomes import codebook
from outcomes.nlp.themes import ThemeTagger


def themes_of(nlp, text):
    doc = nlp(text)
    return [list(sent._.themes) for sent in doc.sents]


@pytest.mark.parametrize("text, expected", [
    ("Challenge inspections are the heart of the verification regime.", ["verification"]),
    ("Non-State actors could use AI to find new synthesis routes for toxic chemicals.", ["chemical_terrorism"]),
    ("Codes of conduct and human oversight must govern the use of AI in chemistry.", ["ethical_governance"]),
    ("Training programmes and technology transfer help close the digital divide.", ["capacity_building"]),
])
def test_each_theme_fires_in_english(blank_en, text, expected):
    assert themes_of(blank_en, text) == [expected]


@pytest.mark.parametrize("text", [
    "Let me just verify that the microphone is on.",
    "The capacity of this room is limited, so please use the overflow room.",
    "Coffee is served, and we resume in this room with the session on verification.",
    "Thank you all for coming.",
])
def test_procedural_and_other_senses_carry_no_theme(blank_en, text):
    assert themes_of(blank_en, text) == [[]]


@pytest.mark.parametrize("text, expected", [
    ("Les laboratoires désignés participent aux essais d'aptitude de l'OIAC.", ["verification"]),
    ("Il faut une supervision humaine et des codes de conduite pour l'IA.", ["ethical_governance"]),
    ("La fracture numérique freine le renforcement des capacités en Afrique.", ["capacity_building"]),
    ("Des acteurs non étatiques pourraient détourner des précurseurs.", ["chemical_terrorism"]),
])
def test_each_theme_fires_in_french_with_elision(blank_fr, text, expected):
    assert themes_of(blank_fr, text) == [expected]


def test_french_venue_talk_carries_no_theme(blank_fr):
    assert themes_of(blank_fr, "Je vérifie que le micro fonctionne. La capacité de la salle est limitée.") == [[], []]


def test_scores_and_cues_explain_the_tag(blank_en):
    doc = blank_en("The inspection team took samples for sampling and analysis.")
    sent = next(doc.sents)
    assert sent._.themes == ["verification"]
    terms = {c["term"] for c in sent._.theme_cues}
    assert "sampling and analysis" in terms and "inspection team" in terms
    # "sampling" inside "sampling and analysis" is not counted twice
    assert "sampling" not in terms
    assert 0.9 <= sent._.theme_scores["verification"] <= 1.0


def test_one_weak_cue_is_not_enough(blank_en):
    doc = blank_en("We looked at the data on the Convention's implementation.")  # anchors, one weak cue
    sent = next(doc.sents)
    assert sent._.themes == []
    assert sent._.theme_scores.get("verification") == pytest.approx(0.3)


def test_lemmas_carry_inflections():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    tagger = ThemeTagger(nlp, codebook=codebook.load(), language="en")
    doc = nlp.make_doc("Inspectors verified the declarations of the OPCW.")
    doc = nlp.get_pipe("sentencizer")(doc)
    # a blank pipeline has no lemmatizer: give the plurals their lemmas by hand
    doc[0].lemma_ = "inspector"
    doc[3].lemma_ = "declaration"
    tagger(doc)
    sent = next(doc.sents)
    assert {c["term"] for c in sent._.theme_cues} >= {"inspector", "declaration"}


def test_a_new_theme_is_data_not_code(tmp_path):
    source = codebook.default_path().read_text(encoding="utf-8")
    extra = source + """
  - id: industry
    label: {en: Chemical industry, fr: Industrie chimique}
    en:
      strong: [chemical industry]
    fr:
      strong: [industrie chimique]
"""
    path = tmp_path / "codebook.yml"
    path.write_text(extra, encoding="utf-8")
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("outcomes_themes", config={"codebook": str(path)})
    doc = nlp("The chemical industry joined the discussion.")
    assert next(doc.sents)._.themes == ["industry"]


def test_tagger_round_trips_to_disk(tmp_path, blank_en):
    tagger = blank_en.get_pipe("outcomes_themes")
    tagger.to_disk(tmp_path / "themes")
    assert (tmp_path / "themes" / "codebook.yml").is_file()
    tagger.from_disk(tmp_path / "themes")
    assert themes_of(blank_en, "The verification regime matters.") == [["verification"]]


# A theme fires only where its subject is (the codebook's requires_<language> groups).

def _themes(nlp, text):
    return [sorted(s._.themes) for s in nlp(text).sents]


def test_verification_needs_chemical_weapons_in_view(blank_en):
    assert _themes(blank_en, "IAEA inspectors verified the declarations under the safeguards agreement.") == [[]]
    assert "verification" in _themes(blank_en, "OPCW inspectors verified the declarations of the plant.")[0]


def test_terrorism_without_anything_chemical_is_not_chemical_terrorism(blank_en):
    assert _themes(blank_en, "Terrorists attacked the border post and the threat remains.") == [[]]
    found = _themes(blank_en, "Terrorists could acquire toxic chemicals to attack the metro.")
    assert "chemical_terrorism" in found[0]


def test_an_anchor_in_the_sentence_before_counts(blank_en):
    # "They" refers to the toxic chemicals named just before: the chemical link is in context
    found = _themes(blank_en, "Toxic chemicals are stored at the plant. Terrorists could steal them.")
    assert "chemical_terrorism" in found[1]


def test_rules_and_values_without_technology_are_not_ethical_governance(blank_en):
    assert _themes(blank_en, "We need rules, norms and values for a rules-based order.") == [[]]
    assert "ethical_governance" in _themes(blank_en, "We need ethical rules and human oversight for artificial "
                                                     "intelligence.")[0]


def test_a_cue_counts_once_per_lemma():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    tagger = ThemeTagger(nlp, codebook=codebook.load(), language="en")
    doc = nlp.get_pipe("sentencizer")(nlp.make_doc("The OPCW sample and the OPCW samples."))
    doc[6].lemma_ = "sample"  # a blank pipeline has no lemmatizer
    cues = [c for c in tagger.match(doc) if c.theme == "verification" and c.lemma == ("sample",)]
    assert len(cues) == 2
    scores, _ = tagger.score(next(doc.sents), cues)
    assert scores["verification"] == pytest.approx(codebook.load().weights["medium"])


def test_a_theme_may_have_its_own_threshold(tmp_path):
    text = codebook.default_path().read_text(encoding="utf-8")
    custom = tmp_path / "codebook.yml"
    custom.write_text(text.replace("    threshold: 0.5  #", "    threshold: 0.95  #", 1), encoding="utf-8")
    book = codebook.load(custom)
    assert book.threshold_of("verification") == 0.95
    assert book.threshold_of("capacity_building") == codebook.load().threshold_of("capacity_building")


def test_a_strong_term_needs_the_anchors_where_the_codebook_says_so(tmp_path, blank_en):
    # chemical terrorism is a conjunction: a State's chemical attack has no non-State actor in view
    assert "chemical_terrorism" not in _themes(blank_en, "The regime's chemical attack killed dozens.")[0]
    text = codebook.default_path().read_text(encoding="utf-8")
    custom = tmp_path / "codebook.yml"
    custom.write_text(text.replace("    strong_in_view: false\n", "", 1), encoding="utf-8")
    assert codebook.load(custom).themes[1].strong_in_view
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("outcomes_themes", config={"codebook": str(custom)})
    assert "chemical_terrorism" in _themes(nlp, "The regime's chemical attack killed dozens.")[0]
