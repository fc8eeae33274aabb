"""Time and memory stay bounded whatever a transcript holds.

Each case runs as a user would (``outcomes turns`` / ``outcomes themes``, or a short
``python -c`` over the library) in a subprocess with a cap on its address space and
a timeout. The timeouts are hang guards: each case took far longer before its fix
(the figures are in the docstrings), and takes a few seconds now.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from outcomes.analysis import MAX_DOC_CHARS, MAX_DOC_TOKENS, MAX_RUN_CHARS, pieces
from outcomes.nlp.themes import Cue, _drop_nested
from outcomes.transcripts.normalise import MAX_TURN_CHARS

OUTCOMES = Path(sys.executable).parent / "outcomes"
PREFIX = "outcomes: error: "
GB = 1 << 30
#: Address space for a process that loads spaCy: themes on a 990,000-character turn
#: peaks at 450 MB resident and runs in 1.5 GB of address space (measured).
SPACY_MEMORY = 2 * GB
#: Address space for a process that only reads transcripts (about 150 MB resident).
READ_MEMORY = 1 * GB
TIMEOUT = 60

PROSE = ("the verification regime needs trained inspectors and designated laboratories for sampling "
         "and analysis of chemical weapons. ")


def _run(args, memory: int, timeout: int = TIMEOUT) -> subprocess.CompletedProcess:
    """Run ``args`` with at most ``memory`` bytes of address space; fail the test after ``timeout`` seconds."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    env = {k: v for k, v in os.environ.items() if k != "OUTCOMES_DEBUG"}
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=timeout,
                          preexec_fn=limit, env=env)


def _library(script: str, *args, memory: int = SPACY_MEMORY, timeout: int = TIMEOUT) -> str:
    """Run a Python ``script`` over the library with ``args``; return its standard output."""
    result = _run([sys.executable, "-c", script, *args], memory, timeout)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _one_error(result: subprocess.CompletedProcess, path, line: int = None) -> str:
    """Check a refusal: exit 2, one line naming ``path`` (and ``line``), no traceback; return the message."""
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr[-2000:]
    where = f"{path}:{line}" if line is not None else f"{path}"
    assert lines[0].startswith(f"{PREFIX}{where}: "), lines[0]
    return lines[0]


def _command(name: str, path) -> list:
    return [OUTCOMES, name, "--lang", "en", path]


# --- files that are not regular files -------------------------------------------------------------


@pytest.fixture(params=["/dev/zero", "/dev/urandom", "fifo"])
def special_file(request, tmp_path):
    """A file that never ends (/dev/zero says it holds 0 bytes) or never opens (a FIFO with no writer)."""
    if request.param == "fifo":
        fifo = tmp_path / "session.txt"
        os.mkfifo(fifo)
        return fifo, "is a FIFO"
    return Path(request.param), "is a device"


@pytest.mark.parametrize("command", ["turns", "themes"])
def test_special_files_are_refused(special_file, command):
    path, message = special_file
    line = _one_error(_run(_command(command, path), SPACY_MEMORY, timeout=30), path)
    assert message in line
    assert "regular file" in line


# --- turns past spaCy's limit ---------------------------------------------------------------------

SENTENCES_PER_LINE = 18


def _one_speaker(path: Path) -> int:
    """Write consecutive turns of one speaker totalling over 1,000,000 characters; return the line count."""
    speech = "We need trained inspectors and designated laboratories. " * SENTENCES_PER_LINE
    count = (MAX_TURN_CHARS + 100_000) // len(speech)
    path.write_text(f"Amal Benali: {speech.strip()}\n" * count, encoding="utf-8")
    return count


def test_merged_turn_never_passes_the_limit(tmp_path):
    """Before: one merged turn of 1,100,000 characters, which spaCy refused later ([E088])."""
    path = tmp_path / "one-speaker.txt"
    _one_speaker(path)
    result = _run([OUTCOMES, "turns", "--lang", "en", "--format", "jsonl", path], READ_MEMORY)
    assert result.returncode == 0, result.stderr
    turns = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(turns) == 2
    assert all(len(t["text"]) <= MAX_TURN_CHARS for t in turns)
    assert {t["speaker"] for t in turns} == {"Amal Benali"}
    said = path.read_text(encoding="utf-8").replace("Amal Benali: ", "").split("\n")
    assert " ".join(t["text"] for t in turns) == " ".join(line for line in said if line)
    assert f"{path}:{turns[1]['line']}: " in result.stderr and "continues as a new turn" in result.stderr


ANALYSE = """
import sys, spacy
from outcomes.analysis import sentences
from outcomes.nlp import entities, themes
from outcomes.transcripts import read
nlp = spacy.blank("en")
nlp.add_pipe("sentencizer")
nlp.add_pipe("outcomes_themes", config={"model": ""})
nlp.add_pipe("outcomes_entities")
transcript = read(sys.argv[1])
longest = count = themed = 0
last = None
for index, turn, sent, start in sentences(transcript, nlp):
    if sent.doc is not last:  # Doc.text joins the whole doc: once per doc, not per sentence
        last, longest = sent.doc, max(longest, len(sent.doc.text))
    count, themed = count + 1, themed + bool(sent._.themes)
print(len(transcript.turns), count, themed, longest)
"""


def test_merged_turn_is_analysed_in_pieces(tmp_path):
    """Before: validate passed, then the analysis failed with [E088] (text over nlp.max_length)."""
    path = tmp_path / "one-speaker.txt"
    count = _one_speaker(path)
    turns, sentences, themed, longest = map(int, _library(ANALYSE, path).split())
    assert turns == 2
    assert sentences == count * SENTENCES_PER_LINE  # no sentence lost or cut at a piece's end
    assert themed == sentences
    assert longest <= MAX_DOC_CHARS


@pytest.mark.slow
def test_merged_turn_through_themes(tmp_path):
    """The same through ``outcomes themes`` and the trained pipeline (about 30 s; 2 GB of address space)."""
    path = tmp_path / "one-speaker.txt"
    count = _one_speaker(path)
    result = _run(_command("themes", path) + ["--format", "jsonl"], SPACY_MEMORY, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == count * SENTENCES_PER_LINE
    assert {r["turn"] for r in records} == {0, 1}


# --- quadratic paths ------------------------------------------------------------------------------


def test_continuation_lines_stop_at_the_limit(tmp_path):
    """Before: ``text +=`` per line; 200,000 such lines took 30 s, 400,000 about four times that."""
    path = tmp_path / "continued.txt"
    line = "and the verification regime continues on this line"
    path.write_text("Amal Benali: Good morning.\n" + f"{line}\n" * 400_000, encoding="utf-8")
    message = _one_error(_run(_command("turns", path), READ_MEMORY, timeout=30), path, line=1)
    assert "has a turn too long to read" in message
    # read stops at the first line past the limit: its number is in the message
    lines_that_fit = (MAX_TURN_CHARS - len("Good morning.")) // (len(line) + 1)
    assert f"by line {1 + lines_that_fit + 1};" in message


THEMES_ONLY = """
import sys, spacy
from outcomes.nlp import themes
nlp = spacy.blank("en")
nlp.add_pipe("sentencizer")
nlp.add_pipe("outcomes_themes", config={"model": ""})
text = open(sys.argv[1], encoding="utf-8").read()
nlp.max_length = len(text) + 1
doc = nlp(text)
print(sum(1 for sent in doc.sents if sent._.themes), sum(len(sent._.theme_cues) for sent in doc.sents))
"""


@pytest.mark.parametrize("sentence_end", [". ", " "], ids=["sentences", "one-sentence"])
def test_theme_tagger_is_linear_in_a_long_doc(tmp_path, sentence_end):
    """The tagger alone on one 2,000,000-character doc, in 4 s: nested-cue pruning, finding each
    cue's sentence and the context check were each quadratic in the cues (990,000 characters
    took 27 s with sentences, over 60 s as one sentence)."""
    path = tmp_path / "doc.txt"
    unit = PROSE.replace(". ", sentence_end)
    repeats = 2_000_000 // len(unit)
    path.write_text(unit * repeats, encoding="utf-8")
    themed, cues = map(int, _library(THEMES_ONLY, path).split())
    assert themed == (repeats if sentence_end == ". " else 1)
    assert cues > repeats


@pytest.mark.slow
def test_long_turn_through_themes(tmp_path):
    """One 990,000-character turn through ``outcomes themes``: before, 160 s and 2.3 GB; now about 25 s and 450 MB."""
    path = tmp_path / "long-turn.txt"
    path.write_text("Amal Benali: " + (PROSE * (990_000 // len(PROSE)))[:990_000 - 20] + "\n", encoding="utf-8")
    result = _run(_command("themes", path) + ["--format", "jsonl"], SPACY_MEMORY, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) >= 990_000 // len(PROSE) - 1
    assert {r["speaker"] for r in records} == {"Amal Benali"}


def test_run_of_punctuation_is_broken_for_the_tokenizer(tmp_path):
    """spaCy's tokenizer is quadratic in a run without spaces: 30,000 "!" took 75 s, now 8 s."""
    path = tmp_path / "shouting.txt"
    path.write_text("Amal Benali: " + "!" * 30_000 + "\n", encoding="utf-8")
    result = _run(_command("themes", path), SPACY_MEMORY, timeout=40)
    assert result.returncode == 0, result.stderr[-2000:]


def _drop_nested_before(cues):
    """The quadratic implementation, kept as the reference for the behaviour."""
    kept = []
    for cue in sorted(cues, key=lambda c: (c.start, -(c.end - c.start))):
        if any(k.theme == cue.theme and k.start <= cue.start and cue.end <= k.end and k is not cue for k in kept):
            continue
        kept.append(cue)
    return kept


@pytest.mark.parametrize("seed", range(20))
def test_drop_nested_keeps_what_it_kept(seed):
    rng = random.Random(seed)
    cues = []
    for _ in range(rng.randrange(0, 300)):
        start = rng.randrange(0, 60)
        cues.append(Cue(rng.choice("abc"), rng.choice(["t", "u"]), "core", 0.5, start, start + rng.randrange(0, 5)))
    assert _drop_nested(cues) == _drop_nested_before(cues)


def test_pieces_keep_ordinary_turns_whole():
    text = PROSE * 100
    assert pieces(text) == [text]


def test_pieces_cut_long_turns_at_sentence_ends():
    text = PROSE * (250_000 // len(PROSE))
    cut = pieces(text)
    assert "".join(cut) == text
    assert len(cut) > 2 and all(len(p) <= MAX_DOC_CHARS for p in cut)
    assert all(p.endswith("weapons. ") for p in cut[:-1])


def test_pieces_bound_tokens_and_runs():
    dense = pieces("a " * 100_000)
    assert all(len(p.split()) <= MAX_DOC_TOKENS for p in dense)
    shouting = pieces("!" * 10_000)
    assert max(len(run) for p in shouting for run in p.split()) == MAX_RUN_CHARS


# --- Word zip bombs -------------------------------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>')
_BODY = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document '
         b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')


def _docx(path: Path, chunks) -> Path:
    """Write a minimal Word document whose document.xml body is ``chunks``, streamed through deflate."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as out:
            out.write(_BODY)
            for chunk in chunks:
                out.write(chunk)
            out.write(b"</w:body></w:document>")
    return path


def test_docx_that_inflates_to_gigabytes_is_refused(tmp_path):
    """Before: a 1.2 MB document reached 2.5 to 5.8 GB of memory."""
    block = b"a" * (1 << 20)
    path = _docx(tmp_path / "bomb.docx",
                 [b"<w:p><w:r><w:t>Amal Benali: "] + [block] * 1024 + [b"</w:t></w:r></w:p>"])
    assert path.stat().st_size < 2 * 1024 * 1024
    line = _one_error(_run(_command("turns", path), READ_MEMORY, timeout=20), path)
    assert "word/document.xml" in line and "zip bomb" in line


def test_docx_of_800k_empty_paragraphs_is_refused(tmp_path):
    """Before: 64 s (python-docx builds an object and looks up a style per paragraph)."""
    path = _docx(tmp_path / "empty.docx", [b"<w:p/>" * 800_000])
    line = _one_error(_run(_command("turns", path), READ_MEMORY, timeout=20), path)
    assert "zip bomb" in line


def test_docx_of_too_many_paragraphs_is_refused(tmp_path):
    """Paragraphs with text compress like Word's own, so the paragraph count is what stops them."""
    rows = (b"".join(b"<w:p><w:r><w:t>Amal Benali: point %d.</w:t></w:r></w:p>" % i for i in range(j, j + 10_000))
            for j in range(0, 150_000, 10_000))
    path = _docx(tmp_path / "long.docx", rows)
    line = _one_error(_run(_command("turns", path), READ_MEMORY, timeout=20), path)
    assert "150,000 paragraphs" in line and "split it" in line


# --- control characters ---------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_control_characters_never_reach_the_output(tmp_path):
    path = tmp_path / "session.json"
    segments = [{"speaker": "Amal\x1b[2J Benali\x07", "start": 0, "end": 4,
                 "text": "We need\x1b[31m trained\x0binspectors\x85and\x9b laboratories.\x1b[0m"}]
    path.write_text(json.dumps({"segments": segments}), encoding="utf-8")
    table = _run(_command("turns", path), READ_MEMORY, timeout=30)
    assert table.returncode == 0, table.stderr
    assert not _CONTROL.search(table.stdout + table.stderr)
    jsonl = _run([OUTCOMES, "turns", "--lang", "en", "--format", "jsonl", path], READ_MEMORY, timeout=30)
    turn = json.loads(jsonl.stdout)
    assert turn["speaker"] == "Amal[2J Benali"
    assert turn["text"] == "We need[31m trained inspectors and laboratories.[0m"
