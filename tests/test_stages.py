"""The build as a list of named stages (issue: ``build.run`` reads like papermill's ``execute_notebook``).

:func:`outcomes.build.plan` decides what runs; each stage records its time under its
own key; :func:`outcomes.publish.staged` holds the staging folder and removes it when
anything goes wrong before the report is published.
"""

from __future__ import annotations

import inspect
import json
import time

import pytest
from test_build import files_of

from outcomes import build, publish, render, workers
from outcomes.conference import load as load_conference

STAGES = ["plan", "analyse", "run_session_notebooks", "evaluation", "provenance", "aggregate_stage",
          "run_report_notebook", "export", "publish"]
TIMINGS = ["check", "analyses", "sessions", "evaluation", "aggregate", "report", "html", "pdf", "total"]


def _plan(conference_dir, output, said, **changes):
    settings = dict(jobs=None, report_language="en", pdf=False, build_date="2024-10-25", force=False,
                    say=said.append, progress_bar=False, started=time.perf_counter())
    return build.plan(load_conference(conference_dir), output.resolve(), **{**settings, **changes})


def _nothing_may_run(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a stage ran")

    for name in ("_execute", "analyse", "run_session_notebooks", "export"):
        monkeypatch.setattr(build, name, refuse)
    monkeypatch.setattr(workers, "_analyze_chunk", refuse)


def test_build_reads_as_its_stages_in_order():
    source = inspect.getsource(build._build)
    places = [source.index(f"{name}(planned") if name != "plan" else source.index("plan(conference")
              for name in STAGES]
    assert places == sorted(places)
    assert len(source.splitlines()) <= 30


@pytest.mark.e2e
def test_plan_of_an_unchanged_report_is_up_to_date_and_runs_nothing(rebuildable, monkeypatch):
    work, published = rebuildable
    cache = published.parent / build.CACHE_DIR
    before = files_of(published), files_of(cache)
    _nothing_may_run(monkeypatch)
    said = []
    planned = _plan(work, published, said)
    assert planned.up_to_date and planned.todo == []
    assert list(planned.timings) == ["check", "total"]
    assert said == ["nothing changed since the published report"]
    result = build.run(work, published, pdf=False, build_date="2024-10-25")
    assert result.up_to_date and result.executed == [] and list(result.timings) == ["check", "total"]
    assert (files_of(published), files_of(cache)) == before


@pytest.mark.e2e
def test_plan_names_the_cache_files_and_the_sessions_to_run(rebuildable):
    work, published = rebuildable
    planned = _plan(work, published, [], build_date="2024-10-26")  # the report changes, no session does
    assert not planned.up_to_date and planned.todo == []
    assert set(planned.session_keys) == {"T1", "T2"}
    assert all(planned.cached_json[s].is_file() and planned.cached_nb[s].is_file() for s in ("T1", "T2"))
    assert planned.cached_json["T1"].parent == published.parent / build.CACHE_DIR / "sessions"
    forced = _plan(work, published, [], force=True)
    assert not forced.up_to_date and [s.id for s in forced.todo] == ["T1", "T2"]


@pytest.mark.e2e
def test_each_stage_records_its_time_and_says_what_it_did(rebuildable, monkeypatch):
    work, published = rebuildable
    monkeypatch.setattr(render, "print_pdf", lambda html: b"%PDF-1.4 stand-in\n")  # no Chromium needed
    said = []
    result = build.run(work, published, pdf=True, build_date="2024-10-26", progress=said.append)
    assert list(result.timings) == TIMINGS and result.executed == []
    assert said == ["0 session(s) analysed, 2 from the cache", "0 session notebook(s) executed, 2 from the cache",
                    "report notebook executed", "HTML written", "PDF written"]
    manifest = json.loads((published / build.MANIFEST_JSON).read_text(encoding="utf-8"))
    assert list(manifest["timings_seconds"]) == TIMINGS
    assert (published / build.REPORT_PDF).read_bytes().startswith(b"%PDF")


@pytest.mark.e2e
def test_a_stage_that_fails_leaves_no_staging_folder_and_the_report_untouched(rebuildable, monkeypatch):
    work, published = rebuildable
    before = files_of(published)

    def broken(plan, staging, *rest):
        assert (staging / build.ANALYSES / "provenance.json").is_file()  # the stages before it ran
        raise RuntimeError("export broke")

    monkeypatch.setattr(build, "export", broken)
    with pytest.raises(RuntimeError, match="export broke"):
        build.run(work, published, pdf=False, build_date="2024-10-26")
    assert files_of(published) == before
    assert not list(published.parent.glob(".conf.staging-*"))


def test_staged_removes_the_folder_on_any_exception_and_publishing_stays_explicit(tmp_path):
    output = tmp_path / "out"
    with publish.staged(output) as staging:
        (staging / "page.html").write_text("one", encoding="utf-8")
        assert publish.publish(staging, output) == []
    assert not staging.exists() and (output / "page.html").read_text(encoding="utf-8") == "one"
    before = files_of(output)
    for exception in (RuntimeError("a stage failed"), KeyboardInterrupt()):
        with pytest.raises(type(exception)):
            with publish.staged(output) as staging:
                (staging / "page.html").write_text("two", encoding="utf-8")
                raise exception
        assert not staging.exists() and files_of(output) == before
    with publish.staged(output) as staging:  # a block that never publishes leaves nothing behind either
        (staging / "page.html").write_text("three", encoding="utf-8")
    assert not list(tmp_path.glob(".out.staging-*")) and files_of(output) == before


def test_inputs_are_read_again_only_when_they_change(tiny_conference, monkeypatch):
    from outcomes import inputs

    loaded = load_conference(tiny_conference)
    inputs.check_inputs(loaded)  # may be known already from another test
    reads = []
    original = type(loaded).read_transcript
    monkeypatch.setattr(type(loaded), "read_transcript", lambda self, s: reads.append(s.id) or original(self, s))
    inputs.check_inputs(loaded)
    assert reads == []
    first = loaded.sessions[0]
    first.transcript.write_text(first.transcript.read_text(encoding="utf-8") + "\nAmal Benali: One more line.\n",
                                encoding="utf-8")
    inputs.check_inputs(loaded)
    assert reads == [first.id]
