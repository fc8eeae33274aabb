"""Benchmark: words per second of theme extraction, beside a bare nlp.pipe of the same pipeline.

For each language, a corpus of at least 200,000 words is made from the sample
conference's turns (repeated), and timed through:

- bare:  ``spacy.load(pipeline)`` and ``nlp.pipe`` (the reference);
- ours:  the same pipeline with the outcomes components (themes with the
  classifier, proposals, entities), as ``outcomes.nlp.load`` builds it;

each in two configurations of the trained pipeline: as shipped (the parser
splits sentences) and ``senter`` (the parser excluded, the statistical
sentence splitter enabled), which is cheaper. The ratio ours/bare is the
extraction's overhead (target: at most 1.25x). Runs alternate so that load on
this shared machine hits both sides alike; the median of the runs is printed.

Usage: ``.venv/bin/python benchmarks/extraction.py [--words 200000] [--runs 3]``
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def corpus(language: str, words: int) -> list:
    """Return turn texts of the sample conference in ``language``, repeated to at least ``words`` words."""
    from outcomes import conference

    conf = conference.load(ROOT / "data" / "sample-conference")
    turns = []
    for session in conf.sessions:
        if session.language == language:
            turns.extend(t.text for t in conf.read_transcript(session).turns)
    total = sum(len(t.split()) for t in turns)
    return turns * (words // total + 1)


def build(language: str, ours: bool, senter: bool):
    import spacy

    from outcomes import nlp as pipelines

    name = next(n for n in pipelines.pipeline_names(language) if spacy.util.is_package(n))
    options = {"exclude": ["parser"]} if senter else {}
    nlp = spacy.load(name, **options)
    if senter:
        nlp.enable_pipe("senter")
    if ours:
        from outcomes.nlp import entities, proposals, themes  # noqa: F401

        nlp.add_pipe("outcomes_themes")
        nlp.add_pipe("outcomes_proposals")
        nlp.add_pipe("outcomes_entities")
    return name, nlp


def timed(nlp, texts) -> float:
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lang", nargs="*", default=["en", "fr"])
    args = parser.parse_args()
    print(f"{'language':<9}{'pipeline':<26}{'config':<8}{'words':>9}{'bare w/s':>10}{'ours w/s':>10}{'ours/bare':>11}")
    for language in args.lang:
        texts = corpus(language, args.words)
        words = sum(len(t.split()) for t in texts)
        for senter in (False, True):
            name, bare = build(language, ours=False, senter=senter)
            _, ours = build(language, ours=True, senter=senter)
            timed(bare, texts[:50]), timed(ours, texts[:50])  # warm up
            bare_times, our_times = [], []
            for _ in range(args.runs):
                bare_times.append(timed(bare, texts))
                our_times.append(timed(ours, texts))
            b, o = statistics.median(bare_times), statistics.median(our_times)
            config = "senter" if senter else "parser"
            print(f"{language:<9}{name:<26}{config:<8}{words:>9,}{words / b:>10,.0f}{words / o:>10,.0f}{o / b:>10.2f}x",
                  flush=True)


if __name__ == "__main__":
    main()
