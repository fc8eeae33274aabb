"""Shared fixtures: the sample conference, tiny conferences in tmp_path, blank spaCy pipelines."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample-conference"

# fixture notebooks and data files are inputs, not tests
collect_ignore_glob = ["data/*"]


@pytest.fixture
def sample_dir() -> Path:
    """Return the sample conference folder (read it, never write into it)."""
    return SAMPLE


TINY_MANIFEST = """\
title: "Tiny Conference on Verification"
dates: {start: 2024-10-22, end: 2024-10-23}
venue: "Rabat"
organisers: ["OPCW"]
languages: [en, fr]
participants:
  - {name: "Amal Benali", delegation: "Morocco"}
  - {name: "Pieter van Dijk", delegation: "OPCW Technical Secretariat"}
  - {name: "Claire Dubois", delegation: "France"}
sessions:
  - id: T1
    title: "Verification"
    date: 2024-10-22
    language: en
    chair: "Amal Benali"
    transcript: transcripts/t1.txt
  - id: T2
    title: "Gouvernance"
    date: 2024-10-23
    language: fr
    chair: "Claire Dubois"
    transcript: transcripts/t2.txt
"""

TINY_T1 = """\
The President: Good morning. Let me just verify that the microphone is on. The capacity of this room is limited.
Pieter van Dijk (OPCW Technical Secretariat): Challenge inspections and the analysis of samples by designated laboratories are the core of the verification regime.
Pieter van Dijk: We recommend that the Technical Secretariat validates every AI tool used for sampling and analysis before inspectors rely on it.
Amal Benali: Training programmes and South-South cooperation will build the capacity of national authorities.
"""

TINY_T2 = """\
La Présidente : Bonjour à toutes et à tous, je vérifie que le micro fonctionne.
Amal Benali (Maroc) : Les codes de conduite et la supervision humaine sont au cœur d'une gouvernance éthique de l'IA.
Amal Benali : Nous recommandons que l'OIAC adopte des principes de transparence pour les outils d'IA à double usage.
"""


@pytest.fixture
def tiny_conference(tmp_path) -> Path:
    """Write a two-session conference (one English, one French) and return its folder."""
    folder = tmp_path / "tiny-conference"
    (folder / "transcripts").mkdir(parents=True)
    (folder / "conference.yml").write_text(TINY_MANIFEST, encoding="utf-8")
    (folder / "transcripts" / "t1.txt").write_text(TINY_T1, encoding="utf-8")
    (folder / "transcripts" / "t2.txt").write_text(TINY_T2, encoding="utf-8")
    return folder


def blank(language: str):
    """Return a blank pipeline with a sentencizer and the codebook-only theme tagger (no model download)."""
    import spacy

    from outcomes.nlp import themes  # noqa: F401  (registers the factory)

    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("outcomes_themes", config={"model": ""})
    return nlp


@pytest.fixture(scope="session")
def blank_en():
    return blank("en")


@pytest.fixture(scope="session")
def blank_fr():
    return blank("fr")


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """A tiny conference built once (no PDF) for the whole run; tests copy it before changing anything.

    Returns ``(conference folder, published report folder)``.
    """
    import subprocess
    import sys

    base = tmp_path_factory.mktemp("built")
    conference = base / "conf"
    (conference / "transcripts").mkdir(parents=True)
    (conference / "conference.yml").write_text(TINY_MANIFEST, encoding="utf-8")
    (conference / "transcripts" / "t1.txt").write_text(TINY_T1 * 3, encoding="utf-8")
    (conference / "transcripts" / "t2.txt").write_text(TINY_T2 * 3, encoding="utf-8")
    output = base / "reports" / "conf"
    result = subprocess.run([str(Path(sys.executable).with_name("outcomes")), "build", str(conference), "--output",
                             str(output), "--no-pdf", "--build-date", "2024-10-25"], capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    return conference, output


@pytest.fixture
def rebuildable(built, tmp_path):
    """Copies of the built conference and of its published report with the cache beside it.

    Returns ``(conference folder, report folder)``: building the copy into the copy's
    report folder starts from the shared build's cache, without touching it.
    """
    import shutil

    conference, output = built
    work = tmp_path / "conf"
    shutil.copytree(conference, work)
    reports = tmp_path / "reports"
    shutil.copytree(output.parent, reports)
    return work, reports / "conf"


EXPLORER_START = re.compile(r'<section\b[^>]*\bid="explorer"[^>]*>')


def outside_explorer(html: str) -> str:
    """Return ``html`` without the findings explorer, having checked that its only scripts are its own two.

    The explorer is the report's one piece of script (outcomes.explorer, tested in test_explorer.py);
    everything else must hold none, whatever the input. (nbconvert's output orders attributes its own way.)
    """
    found = list(EXPLORER_START.finditer(html))
    if not found:
        return html
    assert len(found) == 1
    start = found[0].start()
    end = html.index("</section>", html.rindex("</script>")) + len("</section>")
    scripts = sorted(" ".join(sorted(re.findall(r'\w+="[^"]*"', tag)))
                     for tag in re.findall(r"<script\b[^>]*>", html[start:end]))
    assert scripts == ["", 'id="explorer-data" type="application/json"'], scripts
    return html[:start] + html[end:]
