"""Loading and checking the theme codebook."""

from __future__ import annotations

import pytest

from outcomes import codebook
from outcomes.errors import CodebookError

FOUR = ["verification", "chemical_terrorism", "ethical_governance", "capacity_building"]


def test_default_codebook_has_the_four_themes_in_both_languages():
    book = codebook.load()
    assert book.ids == FOUR
    assert book.languages() == ["en", "fr"]
    for theme in book.themes:
        assert len(theme.terms["en"]) >= 40 and len(theme.terms["fr"]) >= 40
        assert theme.label("fr") != theme.label("en")
    assert len(book.sha256) == 64


@pytest.mark.parametrize("content, message", [
    ("themes: [", "not valid YAML"),
    ("themes: []", "non-empty 'themes'"),
    ("themes:\n  - label: {en: X}\n    en: {strong: [x]}\n", "has no 'id'"),
    ("themes:\n  - id: x\n    label: {en: X}\n    en: {strongest: [x]}\n", "unknown tier"),
    ("themes:\n  - id: x\n    label: {en: X}\n", "has no terms"),
    ("threshold: 2\nthemes:\n  - id: x\n    label: {en: X}\n    en: {strong: [x]}\n", "threshold"),
])
def test_malformed_codebooks_name_the_problem(tmp_path, content, message):
    path = tmp_path / "codebook.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CodebookError) as info:
        codebook.load(str(path))
    assert message in str(info.value)
    assert str(path) in str(info.value)
