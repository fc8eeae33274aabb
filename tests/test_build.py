"""Builds CI can trust: incremental, atomic, deterministic, and a failure that keeps the last good report."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from outcomes import build

ROOT = Path(__file__).resolve().parents[1]
OUTCOMES = str(Path(sys.executable).with_name("outcomes"))


def run_build(conference, output, *extra, env=None, timeout=600):
    return subprocess.run([OUTCOMES, "build", str(conference), "--output", str(output), "--no-pdf",
                           "--build-date", "2024-10-25", *extra], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


def files_of(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def copy_published(built, tmp_path):
    """Copy the published report (and its cache) to change things without touching the shared build."""
    _, output = built
    reports = tmp_path / "reports"
    shutil.copytree(output.parent, reports)
    return reports, reports / "conf", files_of(reports / "conf")


def test_second_build_with_nothing_changed_runs_nothing(built):
    conference, output = built
    before = files_of(output)
    started = time.perf_counter()
    result = run_build(conference, output)
    assert result.returncode == 0, result.stderr
    assert "nothing was run" in result.stderr
    assert time.perf_counter() - started < 20
    assert files_of(output) == before


def test_one_changed_transcript_reexecutes_only_its_session(rebuildable):
    work, published = rebuildable
    first = build.run(work, published, pdf=False, build_date="2024-10-25")
    assert first.up_to_date and first.executed == []  # keys hash contents, not where the folder is
    with open(work / "transcripts" / "t2.txt", "a", encoding="utf-8") as handle:
        handle.write("Amal Benali : Nous recommandons un atelier de formation régional sur la vérification.\n")
    second = build.run(work, published, pdf=False, build_date="2024-10-25")
    assert second.executed == ["T2"]
    assert "atelier de formation régional" in (published / build.REPORT_HTML).read_text(encoding="utf-8")
    forced = build.run(work, published, pdf=False, build_date="2024-10-25", force=True)
    assert forced.executed == ["T1", "T2"]


def test_two_builds_give_byte_identical_html_but_for_the_build_date(built, tmp_path):
    conference, output = built
    other = tmp_path / "again" / "conf"
    result = run_build(conference, other, "--force")
    assert result.returncode == 0, result.stderr
    first = (output / build.REPORT_HTML).read_bytes()
    assert (other / build.REPORT_HTML).read_bytes() == first
    for name in (build.FINDINGS_CSV, build.FINDINGS_JSON, build.SESSIONS_CSV):
        assert (other / name).read_bytes() == (output / name).read_bytes(), name
    dated = tmp_path / "dated" / "conf"
    result = subprocess.run([OUTCOMES, "build", str(conference), "--output", str(dated), "--no-pdf",
                             "--build-date", "2025-01-31"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    changed = (dated / build.REPORT_HTML).read_text(encoding="utf-8")
    assert changed.replace('<td class="build-date">2025-01-31</td>',
                           '<td class="build-date">2024-10-25</td>').encode() == first


def test_failed_session_keeps_the_last_good_report_and_the_failed_notebook(built, tmp_path):
    conference, _ = built
    reports, published, before = copy_published(built, tmp_path)
    notebooks = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    notebook = nbformat.read(str(notebooks / "session.ipynb"), as_version=4)
    notebook.cells.insert(4, nbformat.v4.new_code_cell('if session_id == "T2":\n    raise RuntimeError("boom in T2")'))
    nbformat.write(notebook, str(notebooks / "session.ipynb"))
    result = run_build(conference, published, env={"OUTCOMES_NOTEBOOKS": str(notebooks)})
    assert result.returncode == 1
    match = re.search(r"session T2 failed in cell (\d+): RuntimeError: boom in T2", result.stderr)
    assert match, result.stderr
    assert "Traceback" not in result.stderr
    failed = reports / "conf.failed" / "session-T2.ipynb"
    kept = nbformat.read(str(failed), as_version=4)
    cell = kept.cells[int(match.group(1))]  # the cell named is the one that failed, marked by papermill
    assert "boom in T2" in cell.source
    assert any(o.get("output_type") == "error" for o in cell.get("outputs", []))
    assert files_of(published) == before
    assert not list(reports.glob(".conf.staging-*"))


def test_a_killed_build_leaves_the_published_report_and_the_next_build_succeeds(built, tmp_path):
    conference, _ = built
    reports, published, before = copy_published(built, tmp_path)
    work = tmp_path / "conf"
    shutil.copytree(conference, work)
    with open(work / "transcripts" / "t1.txt", "a", encoding="utf-8") as handle:
        handle.write("Pieter van Dijk: Designated laboratories need proficiency tests every year.\n")
    process = subprocess.Popen([OUTCOMES, "build", str(work), "--output", str(published), "--no-pdf",
                                "--build-date", "2024-10-25"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.time() + 120
    while not list(reports.glob(".conf.staging-*/analyses")) and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # well inside the build: analyses or notebooks running
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert files_of(published) == before
    result = run_build(work, published)
    assert result.returncode == 0, result.stderr
    assert "proficiency tests every year" in (published / "sessions" / "T1.html").read_text(encoding="utf-8")
    assert not list(reports.glob(".conf.staging-*"))


def test_manifest_records_inputs_versions_and_timings(built):
    _, output = built
    manifest = json.loads((output / build.MANIFEST_JSON).read_text(encoding="utf-8"))
    assert {i["path"] for i in manifest["inputs"]} >= {"conference.yml", "transcripts/t1.txt", "transcripts/t2.txt"}
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    assert set(manifest["versions"]) >= {"python", "outcomes", "spacy", "pipelines", "papermill", "nbconvert"}
    assert set(manifest["versions"]["pipelines"]) == {"en", "fr"}
    assert {"sessions", "report", "html", "total"} <= set(manifest["timings_seconds"])
    html = (output / build.REPORT_HTML).read_text(encoding="utf-8")
    assert manifest["versions"]["papermill"] in html  # the provenance annex is made from the same record


def test_nbval_fails_when_a_stored_output_changes(tmp_path):
    notebook = nbformat.read(str(ROOT / "notebooks" / "session.ipynb"), as_version=4)
    cell = next(c for c in notebook.cells if c.cell_type == "code" and c.get("outputs")
                and "not saved" in json.dumps(c["outputs"]))
    for output in cell.outputs:
        if output.get("name") == "stdout":
            output["text"] = "saved somewhere else\n"
    changed = tmp_path / "session.ipynb"
    nbformat.write(notebook, str(changed))
    shutil.copytree(ROOT / "data", tmp_path.parent / "data", dirs_exist_ok=True)  # its default conference_dir
    result = subprocess.run([sys.executable, "-m", "pytest", "--nbval", "-q", "-p", "no:cacheprovider",
                             str(changed)], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert result.returncode == 1, result.stdout[-2000:]
    assert "saved somewhere else" in result.stdout
