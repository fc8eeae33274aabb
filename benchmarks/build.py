"""Benchmark: a cold build of the sample conference, beside the bare NLP work it contains.

Prints, for one run on this machine:
- the cold build (papermill sessions, report notebook, HTML, PDF) and its stages;
- the reference: loading both spaCy pipelines and running a bare ``nlp.pipe`` over
  every transcript's turns in one process, which is the floor of the work;
- words per second of each, and the ratio.

Usage: ``.venv/bin/python benchmarks/build.py [CONFERENCE_DIR]``. Timings vary on a
shared machine: compare figures from the same run, not across runs.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def reference(conference_dir: Path) -> tuple[float, int]:
    """Return (seconds, words) for loading the pipelines and a bare nlp.pipe over all turns."""
    import spacy

    from outcomes import conference, nlp

    started = time.perf_counter()
    conf = conference.load(conference_dir)
    loaded = {}
    words = 0
    for session in conf.sessions:
        if session.language not in loaded:
            loaded[session.language] = spacy.load(nlp.pipeline_names(session.language)[-1])
        transcript = conf.read_transcript(session)
        words += transcript.words
        for _ in loaded[session.language].pipe(t.text for t in transcript.turns):
            pass
    return time.perf_counter() - started, words


def main() -> None:
    from outcomes import build

    conference_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "data" / "sample-conference"
    ref_seconds, words = reference(conference_dir)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        result = build.run(conference_dir, Path(folder) / "report", build_date="2024-10-25")
        total = time.perf_counter() - started
        pages = None
        pdf = result.output / build.REPORT_PDF
        if pdf.exists():
            from pypdf import PdfReader

            pages = len(PdfReader(pdf).pages)
    print(f"conference: {conference_dir.name}, {words:,} words")
    print(f"{'measure':<44}{'seconds':>10}{'words/s':>10}")
    print(f"{'reference: load pipelines + bare nlp.pipe':<44}{ref_seconds:>10.1f}{words / ref_seconds:>10.0f}")
    print(f"{'cold build (HTML + PDF)':<44}{total:>10.1f}{words / total:>10.0f}")
    for stage, seconds in result.timings.items():
        print(f"{'  ' + stage:<44}{seconds:>10.1f}")
    print(f"ratio cold build / reference: {total / ref_seconds:.1f}x")
    if pages is not None:
        print(f"PDF pages: {pages}")


if __name__ == "__main__":
    main()
