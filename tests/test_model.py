"""The report model (outcomes.model): computed once by the build, saved as report.json, read by the rest."""

from __future__ import annotations

import json
import shutil

import jsonschema
import pytest

from outcomes import aggregate, build, model, reporting, sections
from outcomes.conference import load as load_conference
from outcomes.model import Warning


def _html(report) -> str:
    view = sections.ReportView(report, "en", "2024-10-25")
    return "".join(getattr(view, part)().html for part in sections.PARTS)


def test_a_build_writes_the_model_once_and_it_meets_its_schema(built):
    _, output = built
    document = json.loads((output / "analyses" / model.FILE).read_text(encoding="utf-8"))
    jsonschema.validate(document, model.schema())
    assert document["format"] == model.FORMAT and document["sessions_analysed"] == ["T1", "T2"]


def test_the_saved_model_reads_back_as_the_report_it_was(built, monkeypatch):
    conference_dir, output = built
    saved = reporting.for_notebook(conference_dir, str(output / "analyses"))
    monkeypatch.setattr(aggregate, "build", lambda *a, **k: pytest.fail("the report was aggregated again"))
    again = model.load(output / "analyses" / model.FILE)
    assert _html(again) == _html(saved)
    for name in model.TABLES:
        left, right = getattr(saved, name), getattr(again, name)
        assert list(left.columns) == list(right.columns) and list(left.dtypes) == list(right.dtypes), name
    assert again.figures == saved.figures and again.warnings == saved.warnings


def test_the_exports_are_written_from_the_model_not_from_a_second_aggregation(built):
    _, output = built
    report = model.load(output / "analyses" / model.FILE)
    exported = json.loads((output / "findings.json").read_text(encoding="utf-8"))
    assert [f["id"] for f in exported["findings"]] == report.findings["id"].tolist()
    typed = model.records(report)
    assert sum(len(v) for v in typed.values()) == len(report.findings)
    assert all(isinstance(f, model.Finding) and f.theme == theme for theme, found in typed.items() for f in found)


def test_a_model_of_another_format_or_with_a_changed_input_is_refused(built, tmp_path):
    conference_dir, output = built
    source = output / "analyses" / model.FILE
    document = json.loads(source.read_text(encoding="utf-8"))
    other = tmp_path / model.FILE
    other.write_text(json.dumps({**document, "format": 0}), encoding="utf-8")
    with pytest.raises(model.ModelError, match="format 0.*build again"):
        model.load(other)
    other.write_text("{", encoding="utf-8")
    with pytest.raises(model.ModelError, match="not a readable report model"):
        model.load(other)
    copy = tmp_path / "conf"
    shutil.copytree(conference_dir, copy)
    with (copy / "conference.yml").open("a", encoding="utf-8") as manifest:
        manifest.write("\n# edited\n")
    with pytest.raises(model.ModelError, match="conference.yml changed"):
        model.load(source, load_conference(copy))


@pytest.mark.parametrize("text, expected", [
    ("transcripts/s1.txt:12: speaker 'Ana' is not in the manifest's participant list",
     Warning("speaker", "transcripts/s1.txt", 12, "speaker 'Ana' is not in the manifest's participant list")),
    ("transcripts/s2.vtt:3: cue 3 starts before the previous cue",
     Warning("timing", "transcripts/s2.vtt", 3, "cue 3 starts before the previous cue")),
    ("transcripts/s3.txt: not valid UTF-8; read as Windows-1252.",
     Warning("encoding", "transcripts/s3.txt", None, "not valid UTF-8; read as Windows-1252.")),
    ("session S04: no sentence carries a theme", Warning("session", None, None, "session S04: no sentence carries a theme")),
])
def test_a_warning_is_a_record_with_code_file_line_and_message(text, expected):
    found = Warning.parse(text)
    assert found == expected and str(found) == text
    jsonschema.validate(found.__dict__, model.schema()["$defs"]["warning"])


def test_the_manifest_lists_warnings_as_records(built):
    _, output = built
    manifest = json.loads((output / build.MANIFEST_JSON).read_text(encoding="utf-8"))
    for warning in manifest["warnings"]:
        jsonschema.validate(warning, model.schema()["$defs"]["warning"])
