"""The real trained pipelines with our components: proposals, people, per-language loading."""

from __future__ import annotations

import pytest

from outcomes import nlp as outcomes_nlp


@pytest.fixture(scope="module")
def en():
    return outcomes_nlp.load("en")


@pytest.fixture(scope="module")
def fr():
    return outcomes_nlp.load("fr")


def first(nlp, text):
    return next(nlp(text).sents)


@pytest.mark.parametrize("text, kind", [
    ("We recommend that the Technical Secretariat validate every tool.", "recommend"),
    ("I call on States Parties to share their reference spectra.", "call"),
    ("My delegation proposes a regional training centre.", "propose"),
    ("I urge the Secretariat to act.", "urge"),
    ("Japan will host two African analysts next year.", "commit"),
    ("The Organisation should publish its validation standards.", "should"),
])
def test_english_proposals(en, text, kind):
    assert first(en, text)._.proposal == kind


@pytest.mark.parametrize("text, kind", [
    ("Nous recommandons que l'OIAC adopte des lignes directrices.", "recommend"),
    ("J'appelle les États parties à partager leurs données.", "call"),
    ("Ma délégation propose un réseau de laboratoires africains.", "propose"),
    ("Nous nous engageons à former vingt techniciens.", "commit"),
    ("Il faudrait un programme de formation en français.", "should"),
])
def test_french_proposals(fr, text, kind):
    assert first(fr, text)._.proposal == kind


@pytest.mark.parametrize("text", ["Thank you, Chair.", "The verification regime has worked for decades."])
def test_statements_are_not_proposals(en, text):
    assert first(en, text)._.proposal is None


def test_pipelines_are_loaded_once_per_process(en):
    assert outcomes_nlp.load("en") is en
    described = outcomes_nlp.describe(en)
    assert described["language"] == "en" and described["version"].startswith("3.8")
    assert described["components"][-3:] == ["outcomes_themes", "outcomes_proposals", "outcomes_entities"]


def test_real_pipeline_uses_lemmas_for_themes(en, fr):
    assert first(en, "The OPCW inspectors verified the declarations.")._.themes == ["verification"]
    assert first(fr, "Les inspecteurs de l'OIAC ont vérifié les déclarations.")._.themes == ["verification"]


def test_unknown_language_is_a_clear_error():
    with pytest.raises(outcomes_nlp.PipelineError, match="OUTCOMES_PIPELINE_DE"):
        outcomes_nlp.load("de")


def test_extraction_does_not_depend_on_the_hash_seed(sample_dir):
    """Set iteration order changes with PYTHONHASHSEED; the findings must not."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    outcomes_cli = str(Path(sys.executable).with_name("outcomes"))
    transcript = str(sample_dir / "transcripts" / "S08-digital-divide.txt")
    outputs = []
    for seed in ("1", "2"):
        result = subprocess.run([outcomes_cli, "themes", "--format", "jsonl", "--lang", "en", transcript],
                                capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed},
                                timeout=300)
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0].count("\n") > 30
