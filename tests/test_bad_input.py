"""Every bad input: one line naming the file (and line), exit status 2, no traceback, nothing written.

The corpus is ``tests/data/bad/`` and what each file must say is ``tests/data/bad/expected.yml``.
Each case is run through ``outcomes build`` and ``outcomes validate`` as a user would.

Builds run with ``OUTCOMES_NOTEBOOKS`` pointing at a folder that does not exist. Bad input must
stop before the build looks for its notebooks, so this changes nothing for a case that behaves;
a case that slips through then fails fast (status 1, "the notebooks are not in ...") instead of
running the whole pipeline.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

BAD = Path(__file__).resolve().parent / "data" / "bad"
EXPECTED = yaml.safe_load((BAD / "expected.yml").read_text(encoding="utf-8"))
OUTCOMES = Path(sys.executable).parent / "outcomes"
PREFIX = "outcomes: error: "
TIMEOUT = 60


def _huge_line(path: Path) -> None:
    """10 MB of speech on one line, no newline."""
    size = 10 * 1024 * 1024
    words = "the verification regime needs trained inspectors and designated laboratories "
    text = "Amal Benali: " + words * (size // len(words) + 1)
    path.write_bytes(text.encode("ascii")[:size])


def _oversize(path: Path) -> None:
    """A sparse file just over the 50 MB a transcript may have (no disk space used)."""
    with open(path, "wb") as handle:
        handle.truncate(51 * 1024 * 1024)


GENERATORS = {"huge-line.txt": _huge_line, "oversize.txt": _oversize}


def _cases():
    for kind in ("transcripts", "generated", "manifests"):
        for name, spec in EXPECTED[kind].items():
            for command in ("build", "validate"):
                reason = spec.get("xfail")
                if isinstance(reason, dict):
                    reason = reason.get(command)
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                yield pytest.param(kind, name, spec, command, marks=marks, id=f"{kind}/{name}-{command}")


def test_corpus_and_expectations_match():
    for kind in ("transcripts", "manifests"):
        on_disk = {p.name for p in (BAD / kind).iterdir()}
        assert on_disk == set(EXPECTED[kind]), f"{kind}: files and expected.yml differ"
    assert set(EXPECTED["generated"]) == set(GENERATORS)


def _conference(tiny: Path, tmp_path: Path, kind: str, name: str) -> Path:
    """Put the bad file in place in the tiny conference; return the file the error must name."""
    (tmp_path / "outside.txt").write_text("Amal Benali: Good morning.\n", encoding="utf-8")
    if kind == "manifests":
        shutil.copyfile(BAD / kind / name, tiny / "conference.yml")
        return tiny / "conference.yml"
    target = tiny / "transcripts" / name
    if kind == "generated":
        GENERATORS[name](target)
    else:
        shutil.copyfile(BAD / kind / name, target)
    manifest = tiny / "conference.yml"
    text = manifest.read_text(encoding="utf-8")
    assert text.count("transcripts/t1.txt") == 1
    manifest.write_text(text.replace("transcripts/t1.txt", f"transcripts/{name}"), encoding="utf-8")
    return target


def _snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): (p.is_dir(), None if p.is_dir() else p.stat().st_size)
            for p in folder.rglob("*")}


@pytest.mark.parametrize("kind, name, spec, command", list(_cases()))
def test_bad_input_is_one_line_status_2_and_writes_nothing(kind, name, spec, command, tiny_conference, tmp_path):
    culprit = _conference(tiny_conference, tmp_path, kind, name)
    reports = tmp_path / "reports"
    reports.mkdir()
    out = reports / "out"
    argv = [str(OUTCOMES), command, str(tiny_conference)]
    if command == "build":
        argv += ["--output", str(out), "--no-pdf"]
    env = {k: v for k, v in os.environ.items() if k != "OUTCOMES_DEBUG"}
    env["OUTCOMES_NOTEBOOKS"] = str(tmp_path / "no-notebooks")
    before = _snapshot(tmp_path)

    result = subprocess.run(argv, capture_output=True, text=True, errors="replace", cwd=tmp_path, env=env,
                            timeout=TIMEOUT)

    stderr = result.stderr
    assert "Traceback" not in stderr, stderr[-2000:]
    assert result.returncode == 2, f"status {result.returncode}: {stderr[-1000:]}"
    lines = stderr.splitlines()
    assert len(lines) == 1, f"stderr is not one line: {stderr[-2000:]}"
    assert result.stdout == ""
    error = lines[0]
    where = f"{PREFIX}{culprit}:"
    assert error.startswith(where), f"does not start with {where!r}: {error}"
    rest = error[len(where):]
    number = re.match(r"(\d+): ", rest)
    wanted = spec["line"]
    if wanted is True:
        assert number, f"no line number: {error}"
    elif wanted is not False:
        allowed = wanted if isinstance(wanted, list) else [wanted]
        assert number and int(number.group(1)) in allowed, f"line is not {allowed}: {error}"
    assert number or rest.startswith(" "), error
    message = rest[number.end():] if number else rest[1:]
    assert spec["message"] in message, f"{spec['message']!r} not in: {error}"

    assert not out.exists(), "the report folder was written"
    assert not list(reports.glob(f".{out.name}.staging-*")), "a staging folder was left behind"
    assert _snapshot(tmp_path) == before, "files were written or changed"
