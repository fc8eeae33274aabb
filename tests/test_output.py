"""Nothing outcomes did not write is ever deleted, and nothing published is ever half-overwritten.

Each refusal is checked the way a user meets it (``outcomes build`` in a subprocess: exit 2,
one line, nothing written or deleted); the publishing rules themselves are unit-tested
on small folders.
"""

from __future__ import annotations

import errno
import json
import os
import resource
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from test_build import OUTCOMES, copy_published, files_of, run_build

from outcomes import build, publish
from outcomes.cli import printable
from outcomes.errors import BusyError, OutputError, StorageError

PREFIX = "outcomes: error: "


def tree(folder: Path) -> dict:
    """Return every file below ``folder`` with its bytes (hidden ones included)."""
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def refused(result, *words) -> str:
    """Assert a one-line refusal with exit status 2 and return it."""
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(PREFIX), result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def project(tmp_path, tiny_conference):
    """A project folder holding the tiny conference and a rapporteur's own notes."""
    folder = tmp_path / "proj"
    folder.mkdir()
    conference = folder / "conf"
    shutil.move(str(tiny_conference), conference)
    (conference / "notes.txt").write_text("my own notes\n", encoding="utf-8")
    (folder / "budget.xlsx").write_bytes(b"not ours")
    return folder


# The four ways --output used to delete a user's data.

def test_output_that_is_the_conference_is_refused(project):
    before = tree(project)
    refused(run_build(project / "conf", project / "conf"), "conference folder itself")
    assert tree(project) == before


def test_output_above_the_conference_is_refused(project):
    before = tree(project)
    refused(run_build(project / "conf", project), "contains the conference folder")
    assert tree(project) == before


def test_output_that_is_an_unrelated_folder_is_refused(project, tmp_path):
    other = tmp_path / "thesis"
    (other / "chapters").mkdir(parents=True)
    (other / "chapters" / "one.tex").write_text("\\chapter{One}\n", encoding="utf-8")
    before = tree(other)
    line = refused(run_build(project / "conf", other), "did not write", "chapters/one.tex")
    assert "--output" in line
    assert tree(other) == before


def test_default_output_that_is_the_conference_is_refused(tmp_path, tiny_conference):
    # a conference kept at reports/<name> is its own default output
    (tmp_path / "reports").mkdir()
    conference = tmp_path / "reports" / "conf"
    shutil.move(str(tiny_conference), conference)
    before = tree(tmp_path)
    result = subprocess.run([OUTCOMES, "build", "reports/conf", "--no-pdf"], capture_output=True, text=True,
                            timeout=120, cwd=tmp_path)
    refused(result, "conference folder itself")
    assert tree(tmp_path) == before


def test_output_dot_is_refused(tmp_path, tiny_conference):
    here = tmp_path / "empty-here"
    here.mkdir()
    result = subprocess.run([OUTCOMES, "build", str(tiny_conference), "--output", ".", "--no-pdf"],
                            capture_output=True, text=True, timeout=120, cwd=here)
    refused(result, "current folder")
    assert here.is_dir() and not any(here.iterdir())


def test_output_holding_a_transcript_is_refused(project):
    before = tree(project)
    refused(run_build(project / "conf", project / "conf" / "transcripts"), "holds the input file")
    assert tree(project) == before


def test_output_under_a_file_is_refused(project, tmp_path):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    refused(run_build(project / "conf", tmp_path / "afile" / "report"), "is a file")


def test_output_that_is_a_loop_of_links_is_refused(project, tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    refused(run_build(project / "conf", tmp_path / "a"), "loop")


def test_bad_build_date_is_refused():
    result = subprocess.run([OUTCOMES, "build", "nowhere", "--build-date", "2024-13-45"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2
    assert "not a date" in result.stderr and "Traceback" not in result.stderr


# A previous report: replaced whole, but never with someone else's files.

def test_previous_report_with_a_file_outcomes_did_not_write_is_refused_and_kept(built, tmp_path):
    conference, _ = built
    reports, published, before = copy_published(built, tmp_path)
    (published / "sessions" / "reviewer-notes.txt").write_text("keep me\n", encoding="utf-8")
    refused(run_build(conference, published, "--force"), "did not write", "sessions/reviewer-notes.txt")
    assert (published / "sessions" / "reviewer-notes.txt").read_text(encoding="utf-8") == "keep me\n"
    del before  # the report itself is untouched too:
    assert (published / build.REPORT_HTML).exists() and (published / publish.MARKER).exists()


def test_symlinked_output_publishes_through_the_link_and_keeps_it(built, tmp_path):
    conference, _ = built
    reports, published, before = copy_published(built, tmp_path)
    link = tmp_path / "latest"
    link.symlink_to(published, target_is_directory=True)
    for date in ("2024-10-26", "2024-10-27"):  # twice: the second replaces a report reached through the link
        result = subprocess.run([OUTCOMES, "build", str(conference), "--output", str(link), "--no-pdf",
                                 "--build-date", date], capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
    assert link.is_symlink() and link.resolve() == published.resolve()
    assert "2024-10-27" in (published / build.REPORT_HTML).read_text(encoding="utf-8")
    assert not list(reports.glob(".conf.*previous*")) and not list(reports.glob(".conf.staging-*"))


# The cache and the lock.

def test_an_empty_or_torn_cache_entry_is_a_miss(built, tmp_path):
    conference, _ = built
    reports, published, _ = copy_published(built, tmp_path)
    cache = reports / build.CACHE_DIR
    entries = sorted(cache.glob("evaluation-*.json")) + sorted(cache.glob("sessions/T1-*.json"))
    assert entries, sorted(cache.rglob("*"))
    entries[0].write_bytes(b"")  # a kill or a full disk at the wrong moment
    entries[-1].write_bytes(b'{"session": {"id": "T1"')
    result = run_build(conference, published, "--build-date", "2024-10-28")
    assert result.returncode == 0, result.stderr
    assert json.loads(entries[-1].read_text(encoding="utf-8"))["session"]["id"] == "T1"
    assert json.loads(entries[0].read_text(encoding="utf-8"))  # the evaluation was measured again


def test_a_second_build_to_the_same_output_says_one_is_running(built, tmp_path):
    conference, _ = built
    reports, published, before = copy_published(built, tmp_path)
    with publish.locked(published.resolve()):
        stale = reports / ".conf.staging-999999"  # what a running build's staging folder looks like
        stale.mkdir()
        (stale / publish.STAGING_MARKER).write_text("x", encoding="utf-8")
        result = run_build(conference, published, "--force")
        assert stale.is_dir()  # the second build did not clean up the first one's work
    assert result.returncode == 1, result.stderr
    assert "another outcomes build" in result.stderr and str(os.getpid()) in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert files_of(published) == before
    with pytest.raises(BusyError):
        with publish.locked(published.resolve()):
            build.run(conference, published, pdf=False, build_date="2024-10-25")


def test_two_real_builds_at_once_one_publishes_the_other_says_why(built, tmp_path):
    conference, _ = built
    reports, published, _ = copy_published(built, tmp_path)
    command = [OUTCOMES, "build", str(conference), "--output", str(published), "--no-pdf", "--force",
               "--build-date", "2024-10-29"]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while not list(reports.glob(".conf.staging-*")) and time.time() < deadline:
        time.sleep(0.05)
    second = subprocess.run(command, capture_output=True, text=True, timeout=600)
    _, first_err = first.communicate(timeout=600)
    assert first.returncode == 0, first_err
    assert second.returncode == 1 and "another outcomes build" in second.stderr, second.stderr
    assert "2024-10-29" in (published / build.REPORT_HTML).read_text(encoding="utf-8")


# A disk that refuses a write.

def _small_files():
    # every file this build writes may hold at most 64 KB: the report's HTML cannot be written
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_a_write_the_disk_refuses_is_one_line_and_keeps_the_report(built, tmp_path):
    conference, _ = built
    reports, published, before = copy_published(built, tmp_path)
    result = subprocess.run([OUTCOMES, "build", str(conference), "--output", str(published), "--no-pdf",
                             "--build-date", "2024-10-30"], capture_output=True, text=True, timeout=600,
                            preexec_fn=_small_files)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith(PREFIX) and "Traceback" not in result.stderr, result.stderr
    assert "internal error" not in lines[-1] and "unchanged" in lines[-1], lines[-1]
    assert files_of(published) == before
    assert not list(reports.glob(".conf.staging-*"))


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_storage_errors_name_the_path_and_what_to_do(code, built, tmp_path, monkeypatch):
    conference, _ = built
    reports, published, before = copy_published(built, tmp_path)

    def refuse(output):
        raise OSError(code, os.strerror(code), str(output.parent / ".conf.staging-1"))

    monkeypatch.setattr(publish, "staging_dir", refuse)
    with pytest.raises(StorageError) as caught:
        build.run(conference, published, pdf=False, build_date="2024-10-31")
    message = str(caught.value)
    assert ".conf.staging-1" in message and os.strerror(code) in message and "unchanged" in message
    assert files_of(published) == before


# The publishing rules on small folders.

def test_publish_replaces_only_what_outcomes_wrote(tmp_path):
    output = tmp_path / "out"
    for content in ("one", "two"):
        staging = publish.staging_dir(output)
        (staging / "sub").mkdir()
        (staging / "sub" / "page.html").write_text(content, encoding="utf-8")
        assert publish.publish(staging, output) == []
    assert (output / "sub" / "page.html").read_text(encoding="utf-8") == "two"
    assert publish.written_files(output) >= {"sub/page.html", publish.MARKER}
    (output / "mine.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="mine.txt"):
        publish.check_replaceable(output)
    left = publish.remove_report(output, publish.written_files(output) - {"mine.txt"})
    assert left == ["mine.txt"] and (output / "mine.txt").exists()


def test_recover_deletes_only_staging_folders_that_carry_our_marker(tmp_path):
    output = tmp_path / "out"
    ours = publish.staging_dir(output)
    theirs = tmp_path / ".out.staging-holiday-photos"
    theirs.mkdir()
    (theirs / "beach.jpg").write_bytes(b"jpeg")
    publish.recover(output)
    assert not ours.exists() and (theirs / "beach.jpg").exists()


def test_a_failed_folder_is_cleared_only_when_it_is_ours(tmp_path):
    output = tmp_path / "out"
    users = tmp_path / "out.failed"
    users.mkdir()
    (users / "draft.ipynb").write_text("{}", encoding="utf-8")
    publish.clear_failed(output)
    assert (users / "draft.ipynb").exists()


def test_a_legacy_report_without_the_marker_is_still_replaceable(tmp_path):
    legacy = tmp_path / "old"
    (legacy / "sessions").mkdir(parents=True)
    (legacy / "sessions" / "S1.html").write_text("x", encoding="utf-8")
    (legacy / "outcomes-report.html").write_text("x", encoding="utf-8")
    (legacy / "manifest.json").write_text(json.dumps({"report_key": "k", "outputs": [
        {"path": "outcomes-report.html"}, {"path": "manifest.json"}]}), encoding="utf-8")
    assert publish.check_replaceable(legacy) >= {"sessions/S1.html", "outcomes-report.html"}


def test_terminal_output_escapes_control_characters():
    assert printable("A\x1b]0;pwned\x07B\u202eC\x9bD") == "A\\x1b]0;pwned\\x07B\\u202eC\\x9bD"
    assert printable("Aïcha: d’accord") == "Aïcha: d’accord"
