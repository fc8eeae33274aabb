"""Cache keys follow the code that computes each stage, not only the package version (issue 12)."""

from __future__ import annotations

import shutil

import pytest

from outcomes import build, cache, conference, fingerprint


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A copy of the package's source whose files a test may edit; keys are computed from it."""
    copy = tmp_path / "outcomes"
    shutil.copytree(fingerprint.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprint, "PACKAGE", copy)
    return copy


def _edit(path):
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("\n# an edit\n")


def test_code_hash_follows_each_stage_own_source(package):
    analysis, report = fingerprint.code(fingerprint.ANALYSIS_CODE), fingerprint.code(fingerprint.REPORT_CODE)
    _edit(package / "sections.py")
    assert fingerprint.code(fingerprint.ANALYSIS_CODE) == analysis
    assert fingerprint.code(fingerprint.REPORT_CODE) != report
    _edit(package / "nlp" / "themes.py")
    assert fingerprint.code(fingerprint.ANALYSIS_CODE) != analysis


def test_every_module_of_the_package_is_in_a_stage():
    named = set(fingerprint.ANALYSIS_CODE) | set(fingerprint.REPORT_CODE)
    # modules that run no stage: the command line, the build's own plumbing, the cache keys themselves
    plumbing = {"__init__.py", "__main__.py", "cli.py", "build.py", "inputs.py", "kernels.py", "workers.py",
                "publish.py", "cache.py", "fingerprint.py", "preview.py"}
    modules = {p.name for p in fingerprint.PACKAGE.glob("*.py")} - plumbing
    assert modules <= named, sorted(modules - named)


def test_session_key_changes_with_the_analysis_code(package, tiny_conference):
    loaded = conference.load(tiny_conference)
    session = loaded.sessions[0]
    before = cache.session_key(loaded, session)
    _edit(package / "sections.py")
    assert cache.session_key(loaded, session) == before
    _edit(package / "transcripts" / "text.py")
    assert cache.session_key(loaded, session) != before


@pytest.mark.e2e
def test_editing_a_component_reruns_the_stages_it_feeds(rebuildable, package):
    work, published = rebuildable
    same = build.run(work, published, pdf=False, build_date="2024-10-25")
    assert same.up_to_date and same.executed == []
    _edit(package / "sections.py")  # the report's code: the report is made again, no session re-runs
    report_only = build.run(work, published, pdf=False, build_date="2024-10-25")
    assert not report_only.up_to_date and report_only.executed == []
    _edit(package / "nlp" / "themes.py")  # the tagger: every session is analysed and executed again
    everything = build.run(work, published, pdf=False, build_date="2024-10-25")
    assert everything.executed == ["T1", "T2"]
