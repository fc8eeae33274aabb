"""Calibrated confidence and the key-statement operating point (outcomes.calibration)."""

import json

import pandas as pd
import pytest

from outcomes import aggregate, calibration


def test_isotonic_map_is_monotone_and_matches_the_shares():
    points = [(0.2, False), (0.3, True), (0.4, False), (0.6, True), (0.7, True), (0.9, True)]
    scores, confidence = calibration.isotonic(points)
    assert list(confidence) == sorted(confidence)
    # 0.3 (right) and 0.4 (wrong) break monotonicity and pool into one step of 1 in 2
    fitted = calibration.ThemeFit(scores, confidence, None, None, 0, len(points))
    assert fitted(0.2) == 0.0 and fitted(0.35) == 0.5 and fitted(0.95) == 1.0
    assert fitted(0.1) == 0.0  # below every step


def test_operating_point_is_the_lowest_score_reaching_the_precision():
    points = [(0.95, True)] * 9 + [(0.9, False)] + [(0.8, True)] * 5 + [(0.6, False)] * 5
    point, precision, support = calibration.operating_point(points, precision=0.9, min_support=8)
    assert (point, support) == (0.8, 15) and precision == pytest.approx(14 / 15, abs=1e-3)


def test_operating_point_needs_support():
    assert calibration.operating_point([(0.9, True)] * 3, min_support=8) == (None, None, 0)


def test_the_shipped_fit_covers_both_languages_and_every_theme():
    fits = calibration.load()
    assert set(fits) == {"en", "fr"}
    for themes in fits.values():
        assert set(themes) == {"verification", "chemical_terrorism", "ethical_governance", "capacity_building"}
        for fit in themes.values():
            assert fit.operating_point is None or fit.precision >= calibration.KEY_PRECISION
    document = json.loads(calibration.CALIBRATION_FILE.read_text())
    # the classifier trains on the real-text dev part, so the fit scores it out of fold
    assert all(source.startswith("realtext dev, out of fold") for source in document["fitted_on"].values())


def test_folds_keep_a_document_whole_and_are_deterministic():
    from outcomes.realtext import Paragraph

    paragraphs = [Paragraph(f"d{d}-p{i}", f"d{d}", "en", "text", (), "agreed") for d in range(7) for i in range(3)]
    groups = calibration._folds(paragraphs, folds=3)
    assert sorted(p.id for g in groups for p in g) == sorted(p.id for p in paragraphs)
    assert all(len({p.doc for p in g} & {p.doc for p in other}) == 0
               for g in groups for other in groups if other is not g)
    assert [[p.id for p in g] for g in groups] == [[p.id for p in g] for g in calibration._folds(paragraphs, 3)]


def _findings(scores, language="en", theme="verification"):
    rows = [{"id": f"s{i}", "session": "S1", "turn": i, "speaker": f"P{i}", "theme": theme, "score": s,
             "words": 20, "procedural": False, "language": language, "n_cues": 1} for i, s in enumerate(scores)]
    return pd.DataFrame(rows)


def test_key_statements_come_only_from_findings_at_the_operating_point():
    point = calibration.key_threshold("en", "ethical_governance")
    assert point is not None and point < 1
    findings = _findings([point - 0.05, point, min(1.0, point + 0.01)], theme="ethical_governance")
    chosen = aggregate._key_statements(findings, "ethical_governance", pinned=[])
    assert set(chosen["id"]) == {"s1", "s2"}


def test_a_theme_without_an_operating_point_has_only_pinned_key_statements(monkeypatch):
    monkeypatch.setattr(calibration, "key_threshold", lambda language, theme: float("inf"))
    findings = _findings([0.99, 0.98])
    assert aggregate._key_statements(findings, "verification", pinned=[]).empty
    assert list(aggregate._key_statements(findings, "verification", pinned=["s1"])["id"]) == ["s1"]


def test_confidence_rises_with_the_score():
    low, high = (calibration.confidence("en", "ethical_governance", s) for s in (0.5, 0.99))
    assert 0 <= low <= high <= 1
    assert calibration.confidence("xx", "verification", 0.9) is None
