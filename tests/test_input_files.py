"""The rapporteur's YAML files (manifest, codebook, curation): every malformed one is a clean error.

Each case is checked through the library (the error class, its line) and, where a
user would meet it, through ``outcomes validate`` as a subprocess: exit status 2, one
line ``outcomes: error: path:line: message``, no traceback. Alias bombs run in a child
with a time limit and an address-space limit, so a regression fails instead of hanging.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from outcomes import codebook, conference, curation
from outcomes.errors import CodebookError, CurationError, ManifestError
from outcomes.files import MAX_YAML_BYTES

OUTCOMES = Path(sys.executable).parent / "outcomes"
PREFIX = "outcomes: error: "
BOMB_SECONDS = 20
BOMB_MEMORY = 1536 * 1024 * 1024

GOOD_THEME = "themes:\n  - id: x\n    label: {en: X}\n    en:\n      strong: [inspection]\n"


def run_outcomes(*args, timeout: float = 60, memory: "int | None" = None) -> subprocess.CompletedProcess:
    """Run the ``outcomes`` command as a user would, optionally under an address-space limit."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    env = {k: v for k, v in os.environ.items() if k != "OUTCOMES_DEBUG"}
    return subprocess.run([str(OUTCOMES), *map(str, args)], capture_output=True, text=True, errors="replace",
                          timeout=timeout, env=env, preexec_fn=limit if memory else None)


def assert_one_line_error(result: subprocess.CompletedProcess, path: Path, line: "int | None",
                          fragment: str) -> str:
    """Assert exit status 2 and one error line naming ``path`` and ``line``; return the message."""
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 2, f"status {result.returncode}: {result.stderr[-1000:]}"
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr[-2000:]
    where = f"{PREFIX}{path}:{line}: " if line is not None else f"{PREFIX}{path}:"
    assert lines[0].startswith(where), lines[0][:500]
    assert fragment in lines[0], lines[0][:500]
    return lines[0]


def with_codebook(folder: Path, text: str) -> Path:
    """Write ``text`` as the tiny conference's own codebook; return its path."""
    path = folder / "codebook.yml"
    path.write_text(text, encoding="utf-8")
    manifest = folder / "conference.yml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "codebook: codebook.yml\n", encoding="utf-8")
    return path


# --- the codebook -------------------------------------------------------------------------------------

BAD_CODEBOOKS = {
    "integer-theme-key": ("themes:\n  - id: x\n    label: {en: X}\n    1: {strong: [a]}\n", 4,
                          "key 1 is read by YAML as a number"),
    "non-string-terms": ("themes:\n  - id: x\n    label: {en: X}\n    en:\n      strong: [1, 2]\n", 5,
                         "is not of type 'string'"),
    "weight-not-a-number": ("weights: {strong: abc}\n" + GOOD_THEME, 1, "weights.strong must be a number from 0 to 1"),
    "weights-a-list": ("weights: [1, 2]\n" + GOOD_THEME, 1, "weights: [1, 2] is not of type 'object'"),
    "weight-above-one": ("weights: {strong: 5}\n" + GOOD_THEME, 1,
                         "weights.strong must be a number from 0 to 1, not 5"),
    "weight-unknown-tier": ("weights: {strongest: 0.8}\n" + GOOD_THEME, 1, "unknown key 'strongest'"),
    "tier-a-number": ("themes:\n  - id: x\n    label: {en: X}\n    en:\n      strong: 5\n", 5,
                      "themes.0.en.strong: 5 is not of type 'array'"),
    "description-a-string": ("themes:\n  - id: x\n    label: {en: X}\n    description: \"text\"\n"
                             "    en: {strong: [a]}\n", 4, "themes.0.description: 'text' is not of type 'object'"),
    "terms-a-string": ("themes:\n  - id: x\n    label: {en: X}\n    en:\n      strong: verification\n", 5,
                       "'verification' is not of type 'array': it is one text, not a list"),
    "exclusions-a-string": ("themes:\n  - id: x\n    label: {en: X}\n    context_exclude_en: room\n"
                            "    en: {strong: [a]}\n", 4, "'room' is not of type 'array': it is one text, not a list"),
    "duplicate-key": ("themes:\n  - id: x\n    label: {en: X}\n    label: {en: Y}\n    en: {strong: [a]}\n", 4,
                      "key 'label' is given twice (first at line 3)"),
    "duplicate-theme-id": (GOOD_THEME + "  - id: x\n    label: {en: Y}\n    en: {weak: [b]}\n", 6,
                           "theme id 'x' is used twice (first at line 2)"),
    "unknown-theme-key": ("themes:\n  - id: x\n    labels: {en: X}\n    label: {en: X}\n    en: {strong: [a]}\n", 3,
                          "unknown key 'labels'"),
    "label-without-en": ("themes:\n  - id: x\n    label: {fr: X}\n    en: {strong: [a]}\n", 3, "'en' is a required"),
    "control-character": ("themes:\n  - id: x\n    label: {en: X}\n    en:\n      strong: [\"insp\\eection\"]\n", 5,
                          "control character U+001B"),
    "impossible-date": ("version: 2024-02-30\n" + GOOD_THEME, 1, "2024-02-30 is not a real date"),
}


@pytest.mark.parametrize("name", sorted(BAD_CODEBOOKS))
def test_malformed_codebook_is_a_codebook_error_at_its_line(tmp_path, name):
    text, line, fragment = BAD_CODEBOOKS[name]
    path = tmp_path / "codebook.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CodebookError) as info:
        codebook.load(str(path))
    assert info.value.line == line, str(info.value)
    assert fragment in info.value.message
    assert str(info.value).startswith(f"{path}:{line}: ")


@pytest.mark.parametrize("name", sorted(BAD_CODEBOOKS))
def test_validate_names_the_bad_codebook_in_one_line(tiny_conference, name):
    text, line, fragment = BAD_CODEBOOKS[name]
    path = with_codebook(tiny_conference, text)
    assert_one_line_error(run_outcomes("validate", tiny_conference), path, line, fragment)


@pytest.mark.parametrize("name", ["terms-a-string", "weight-not-a-number"])
def test_themes_command_names_the_bad_codebook_in_one_line(tmp_path, name):
    text, line, fragment = BAD_CODEBOOKS[name]
    path = tmp_path / "bad.yml"
    path.write_text(text, encoding="utf-8")
    transcript = tmp_path / "some.txt"
    transcript.write_text("Amal Benali: Inspections matter for verification.\n", encoding="utf-8")
    result = run_outcomes("themes", "--lang", "en", "--codebook", path, transcript, timeout=120)
    assert_one_line_error(result, path, line, fragment)


def test_the_default_codebook_still_loads_with_its_weights_and_tiers():
    book = codebook.load()
    assert book.weights == {"strong": 0.9, "medium": 0.6, "weak": 0.3} and book.threshold == 0.5
    verification = book.theme("verification")
    assert {t.tier for t in verification.terms["en"]} == {"strong", "medium", "weak"}
    assert "microphone" in verification.exclude["en"]
    assert verification.descriptions["fr"].startswith("Le régime")


def test_a_codebook_fifo_is_refused_at_once(tmp_path):
    path = tmp_path / "codebook.yml"
    os.mkfifo(path)
    transcript = tmp_path / "some.txt"
    transcript.write_text("Amal Benali: Inspections matter for verification.\n", encoding="utf-8")
    # in a child with a time limit: reading a FIFO without a writer would hang this process
    result = run_outcomes("themes", "--lang", "en", "--codebook", path, transcript, timeout=60)
    assert_one_line_error(result, path, None, "is a FIFO, not a regular file")


# --- the curation file --------------------------------------------------------------------------------

def test_no_curation_file_means_no_curation(tmp_path):
    assert curation.load(tmp_path / "curation.yml") == curation.Curation()


def test_a_full_curation_file_loads(tmp_path):
    path = tmp_path / "curation.yml"
    path.write_text("status: final\nversion: 0.3\nexecutive_summary: |\n  Text\twith a tab.\nkey_messages:\n"
                    "  - A bare message\n  - text: Backed\n    evidence: [S01-1a2b3c4d]\npin: [S02-1a2b3c4d]\n"
                    "exclude: ~\nrewrite: {S03-1a2b3c4d: \"Summary \\u202eעברית\"}\n", encoding="utf-8")
    loaded = curation.load(path)
    assert loaded.status == "final" and loaded.version == "0.3"
    assert loaded.executive_summary == "Text\twith a tab."
    assert [m.text for m in loaded.key_messages] == ["A bare message", "Backed"]
    assert loaded.key_messages[1].evidence == ["S01-1a2b3c4d"] and loaded.exclude == []
    assert loaded.rewrite == {"S03-1a2b3c4d": "Summary \u202eעברית"}  # bidi marks are text, not controls


BAD_CURATIONS = {
    "duplicate-key": ("status: draft\npin: [a]\npin: [b]\n", 3, "key 'pin' is given twice (first at line 2)"),
    "status": ("status: published\n", 1, "status 'published' is not one of draft, final"),
    "pin-a-string": ("pin: S01-1a2b3c4d\n", 1, "is not of type 'array': it is one text, not a list"),
    "unknown-key": ("status: draft\npinned: [a]\n", 2, "unknown key 'pinned'"),
    "message-without-text": ("key_messages:\n  - evidence: [a]\n", 2, "needs a 'text'"),
    "rewrite-not-text": ("rewrite:\n  S01-1a2b3c4d: [a]\n", 2, "rewrite.S01-1a2b3c4d: ['a'] is not of type 'string'"),
    "rewrite-number-key": ("rewrite:\n  12: text\n", 2, "key 12 is read by YAML as a number"),
    "nul": ("status: draft\nexecutive_summary: \"Hello\\0 world\"\n", 2, "control character U+0000"),
    "esc": ("key_messages:\n  - text: \"\\e[31mred\"\n", 2, "control character U+001B"),
    "c1": ("rewrite:\n  S01-1a2b3c4d: \"x\\x9by\"\n", 2, "control character U+009B"),
    "del": ("pin:\n  - \"S01\\x7f\"\n", 2, "control character U+007F"),
    "raw-control": ("status: draft\nversion: \"1\x1b\"\n", 2, "control character"),
    "impossible-date": ("status: draft\nversion: 2024-02-30\n", 2, "2024-02-30 is not a real date"),
    "syntax": ("pin: [\n", 2, "is not valid YAML"),
}


@pytest.mark.parametrize("name", sorted(BAD_CURATIONS))
def test_malformed_curation_is_a_curation_error_at_its_line(tmp_path, name):
    text, line, fragment = BAD_CURATIONS[name]
    path = tmp_path / "curation.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CurationError) as info:
        curation.load(path)
    assert info.value.line == line, str(info.value)
    assert fragment in info.value.message


@pytest.mark.parametrize("name", ["duplicate-key", "nul", "c1"])
def test_validate_names_the_bad_curation_in_one_line(tiny_conference, name):
    text, line, fragment = BAD_CURATIONS[name]
    path = tiny_conference / "curation.yml"
    path.write_text(text, encoding="utf-8")
    assert_one_line_error(run_outcomes("validate", tiny_conference), path, line, fragment)


def test_curation_symlink_outside_the_folder_is_refused(tiny_conference, tmp_path):
    secret = tmp_path / "secret.yml"
    secret.write_text("executive_summary: the contents of a file outside the conference\n", encoding="utf-8")
    path = tiny_conference / "curation.yml"
    path.symlink_to(secret)
    with pytest.raises(CurationError, match="outside the conference folder"):
        curation.load(path, tiny_conference)
    assert_one_line_error(run_outcomes("validate", tiny_conference), path, None, "outside the conference folder")


def test_curation_symlink_inside_the_folder_is_read(tiny_conference):
    (tiny_conference / "drafts").mkdir()
    (tiny_conference / "drafts" / "v2.yml").write_text("status: final\n", encoding="utf-8")
    (tiny_conference / "curation.yml").symlink_to(Path("drafts") / "v2.yml")
    assert curation.load(tiny_conference / "curation.yml", tiny_conference).status == "final"


def test_curation_link_loop_is_refused(tiny_conference):
    path = tiny_conference / "curation.yml"
    path.symlink_to("curation.yml")
    with pytest.raises(CurationError, match="loop"):
        curation.load(path, tiny_conference)


def test_curation_link_to_dev_zero_is_refused_without_reading_it(tiny_conference):
    path = tiny_conference / "curation.yml"
    path.symlink_to("/dev/zero")
    # only in a child with limits: reading /dev/zero to its end would exhaust this process's memory
    result = run_outcomes("validate", tiny_conference, timeout=20, memory=BOMB_MEMORY)
    assert_one_line_error(result, path, None, "outside the conference folder")


def test_curation_fifo_is_refused_without_waiting(tiny_conference):
    path = tiny_conference / "curation.yml"
    os.mkfifo(path)
    # only in a child with a time limit: reading a FIFO without a writer would hang this process
    assert_one_line_error(run_outcomes("validate", tiny_conference, timeout=20), path, None, "is a FIFO")


def test_oversize_curation_is_refused(tiny_conference):
    path = tiny_conference / "curation.yml"
    with open(path, "wb") as handle:  # sparse: no disk space used
        handle.truncate(MAX_YAML_BYTES + 1)
    with pytest.raises(CurationError, match="is larger than"):
        curation.load(path)
    assert_one_line_error(run_outcomes("validate", tiny_conference), path, None, "is larger than")


# --- the manifest ---------------------------------------------------------------------------------------

def test_control_characters_in_the_manifest_are_refused_at_their_line(tiny_conference):
    manifest = tiny_conference / "conference.yml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('venue: "Rabat"', 'venue: "Rabat\\e[2J"'), encoding="utf-8")
    with pytest.raises(ManifestError) as info:
        conference.load(tiny_conference)
    assert info.value.line == 3 and "U+001B" in info.value.message and "delete it" in info.value.message
    assert_one_line_error(run_outcomes("validate", tiny_conference), manifest, 3, "control character U+001B")


@pytest.mark.parametrize("escape, code", [("\\0", "U+0000"), ("\\x85", "U+0085"), ("\\x7f", "U+007F"),
                                          ("\\x07", "U+0007")])
def test_each_kind_of_control_character_in_a_participant_is_refused(tiny_conference, escape, code):
    manifest = tiny_conference / "conference.yml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('"Claire Dubois", delegation', f'"Claire{escape} Dubois", delegation'),
                        encoding="utf-8")
    with pytest.raises(ManifestError) as info:
        conference.load(tiny_conference)
    assert info.value.line == 9 and code in info.value.message


def test_bidi_marks_in_a_name_are_not_refused(tiny_conference):
    manifest = tiny_conference / "conference.yml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('"Claire Dubois", delegation', '"\\u202bأمل\\u202c Dubois", delegation'),
                        encoding="utf-8")
    assert "\u202bأمل\u202c Dubois" in conference.load(tiny_conference).participants


def test_schema_messages_quote_at_most_a_short_value(tiny_conference):
    manifest = tiny_conference / "conference.yml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('venue: "Rabat"', "venue: [" + ", ".join(["Rabat" * 40] * 5000) + "]"),
                        encoding="utf-8")
    with pytest.raises(ManifestError) as info:
        conference.load(tiny_conference)
    assert info.value.line == 3 and "is not of type 'string'" in info.value.message
    assert len(str(info.value)) < 300 + len(str(manifest))


# --- alias bombs ----------------------------------------------------------------------------------------

def alias_chain(indent: str, levels: int = 10, width: int = 10) -> str:
    """Return list items in which each is ``width`` aliases of the one before: ``width ** levels`` values."""
    items = [f'{indent}- &a0 "lol"']
    items += [f"{indent}- &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels)]
    return "\n".join(items) + "\n"


def text_bomb(indent: str) -> str:
    """Return list items holding a 1 MB text that aliases repeat 1,000 times (1 GB of text)."""
    return f'{indent}- &big "{"x" * 1_000_000}"\n' + f"{indent}- [" + ", ".join(["*big"] * 1000) + "]\n"


def _manifest_bomb(folder: Path, chain: str) -> Path:
    manifest = folder / "conference.yml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('organisers: ["OPCW"]\n', "organisers:\n" + chain), encoding="utf-8")
    return manifest


def _codebook_bomb(folder: Path, chain: str) -> Path:
    return with_codebook(folder, "themes:\n  - id: x\n    label: {en: X}\n    en:\n      strong:\n" + chain)


def _curation_bomb(folder: Path, chain: str) -> Path:
    path = folder / "curation.yml"
    path.write_text("status: draft\npin:\n" + chain, encoding="utf-8")
    return path


BOMBS = {"manifest": (_manifest_bomb, "  "), "codebook": (_codebook_bomb, "        "),
         "curation": (_curation_bomb, "  ")}


@pytest.mark.parametrize("kind", sorted(BOMBS))
@pytest.mark.parametrize("shape", ["values", "text"])
def test_alias_bomb_is_refused_quickly_in_little_memory(tiny_conference, kind, shape):
    plant, indent = BOMBS[kind]
    path = plant(tiny_conference, alias_chain(indent) if shape == "values" else text_bomb(indent))
    result = run_outcomes("validate", tiny_conference, timeout=BOMB_SECONDS, memory=BOMB_MEMORY)
    error = assert_one_line_error(result, path, None, "once its YAML aliases are expanded")
    assert re.match(rf"{re.escape(PREFIX + str(path))}:\d+: ", error), error
    assert len(error) - len(str(path)) < 300, error[:500]


def test_an_alias_to_its_own_parent_is_refused(tmp_path):
    path = tmp_path / "curation.yml"
    path.write_text("status: draft\npin: &loop [a, *loop]\n", encoding="utf-8")
    with pytest.raises(CurationError) as info:
        curation.load(path)
    assert info.value.line == 2 and "refers to the value that holds it" in info.value.message


def test_shared_aliases_below_the_limit_still_load(tmp_path):
    path = tmp_path / "curation.yml"
    path.write_text("status: draft\npin: &ids [S01-1a2b3c4d, S02-1a2b3c4d]\nexclude: *ids\n", encoding="utf-8")
    assert curation.load(path).exclude == ["S01-1a2b3c4d", "S02-1a2b3c4d"]
