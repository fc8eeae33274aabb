"""The command line: exit codes, one-line errors, turns as JSON lines."""

from __future__ import annotations

import json

from click.testing import CliRunner

from outcomes.cli import main


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_validate_a_clean_conference(tiny_conference):
    result = run("validate", str(tiny_conference))
    assert result.exit_code == 0, result.output
    assert "ok (2 sessions)" in result.output


def test_validate_reports_bad_input_with_file_line_and_status_2(tiny_conference):
    manifest = tiny_conference / "conference.yml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("id: T2", "id: T1"), encoding="utf-8")
    result = run("validate", str(tiny_conference))
    assert result.exit_code == 2
    assert f"{manifest}:" in result.output and "used twice" in result.output
    assert "Traceback" not in result.output


def test_turns_as_json_lines(tiny_conference):
    result = run("turns", str(tiny_conference / "transcripts" / "t1.txt"), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert set(records[0]) == {"speaker", "delegation", "affiliation", "start", "end", "text", "line"}
    assert records[1]["speaker"] == "Pieter van Dijk" and records[1]["delegation"] == "OPCW Technical Secretariat"
    assert records[1]["line"] == 2


def test_turns_on_an_empty_file_is_a_clear_error(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    result = run("turns", str(empty))
    assert result.exit_code == 2
    assert f"{empty}: is empty" in result.output and "Traceback" not in result.output
