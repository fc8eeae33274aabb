"""The report notebook's one call (outcomes.reporting): a build's saved stages, or the same stages by hand."""

from __future__ import annotations

import pytest

from outcomes import build, reporting


def _files(folder):
    return sorted(p.relative_to(folder) for p in folder.rglob("*"))


def test_a_build_s_saved_stages_are_read_not_computed(built, monkeypatch):
    conference_dir, output = built
    monkeypatch.setattr(reporting, "analyze", lambda *a, **k: pytest.fail("a saved analysis was recomputed"))
    report = reporting.for_notebook(conference_dir, str(output / "analyses"))
    assert [a.id for a in report.analyses] == ["T1", "T2"]
    assert report.evaluation is not None and set(report.evaluation["source"]) >= {"gold"}
    assert report.provenance["role"].iloc[0] == "manifest"


@pytest.mark.slow
def test_by_hand_the_same_stages_run_here_and_nothing_is_written(tiny_conference):
    before = _files(tiny_conference)
    report = reporting.for_notebook(tiny_conference)
    assert [a.id for a in report.analyses] == ["T1", "T2"] and len(report.findings)
    assert report.evaluation is None or set(report.evaluation["source"]) == {"gold"}
    assert _files(tiny_conference) == before
    assert build.MANIFEST_JSON not in {p.name for p in tiny_conference.rglob("*")}
