"""Benchmark: how the sample conference's sub-topics and points of difference agree with a hand-made gold.

``benchmarks/subtopics-gold.yml`` groups every finding of the sample conference (each
theme apart) by the point it makes, and lists pairs of statements that pull in opposite
directions; one annotator wrote it by reading every finding, before seeing the grouping
of :mod:`outcomes.subtopics`. The sample's transcripts are ours, so the gold is too.

Prints, per theme:

- agreement of :func:`outcomes.subtopics.group` with the gold: adjusted Rand index (0 is
  chance, 1 the gold), pairwise precision and recall (of the pairs put together), and
  B-cubed F1; a finding in no sub-topic counts as a group of its own;
- the same for references computed in the same run: every finding alone, one group per
  theme, and a random grouping with the same group sizes (seed 0);
- points of difference: how many the report lists, and how many of them the gold marks
  as opposed (precision), against the gold's number of pairs (recall).

No target is set by the issue; these figures say how far the grouping is from a reader's.

Usage: ``.venv/bin/python benchmarks/subtopics.py``
"""

from __future__ import annotations

import random
from collections import Counter
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample-conference"
GOLD = Path(__file__).with_name("subtopics-gold.yml")


def _row(name: str, scores: dict) -> str:
    return (f"  {name:24} ARI {scores['ari']:6.3f}   pairs P {scores['pair_precision']:.3f} "
            f"R {scores['pair_recall']:.3f}   B-cubed F1 {scores['f1']:.3f}")


def main() -> int:
    from outcomes import reporting, subtopics

    started = time.perf_counter()
    report = reporting.for_notebook(SAMPLE)
    print(f"sample conference analysed and aggregated in {time.perf_counter() - started:.1f} s")
    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    totals = {"model": [], "every finding alone": [], "one group": [], "random, same sizes": []}
    for theme, groups in gold["themes"].items():
        truth = {finding: str(i) for i, group in enumerate(groups) for finding in group["findings"]}
        mine = report.findings[report.findings["theme"] == theme]
        made = {row.id: row.subtopic if isinstance(row.subtopic, str) else f"alone {row.id}"
                for row in mine.itertuples()}
        missing = set(truth) ^ set(made)
        items = sorted(set(truth) & set(made))
        sizes = sorted(Counter(made[i] for i in items).values(), reverse=True)
        shuffled = items[:]
        random.Random(0).shuffle(shuffled)
        randomly, start = {}, 0
        for number, size in enumerate(sizes):
            randomly.update({item: str(number) for item in shuffled[start:start + size]})
            start += size
        runs = {"model": made, "every finding alone": {i: i for i in items}, "one group": {i: "all" for i in items},
                "random, same sizes": randomly}
        shown = sum(1 for s in report.subtopics.itertuples()
                    if s.theme == theme and len(s.findings) >= subtopics.SHOWN_MIN_FINDINGS)
        print(f"\n{theme}: {len(items)} findings; gold {len(groups)} groups; model "
              f"{len(set(made[i] for i in items if not made[i].startswith('alone ')))} sub-topics "
              f"({min(shown, subtopics.SHOWN)} shown in the report)"
              + (f"; {len(missing)} findings not in both" if missing else ""))
        for name, grouping in runs.items():
            scores = subtopics.agreement(grouping, truth)
            totals[name].append(scores)
            print(_row(name, scores))
    print("\nmacro over the four themes:")
    for name, rows in totals.items():
        print(_row(name, {key: sum(r[key] for r in rows) / len(rows) for key in rows[0]}))

    opposed = {frozenset(d["pair"]) for d in gold.get("differences") or []}
    listed = [frozenset((row.first, row.second)) for row in report.differences.itertuples()]
    right = sum(pair in opposed for pair in listed)
    print(f"\npoints of difference: the report lists {len(listed)}, of which the gold marks {right} as opposed "
          f"(precision {right / len(listed):.2f})" if listed else
          "\npoints of difference: the report lists none (precision undefined)")
    print(f"  the gold marks {len(opposed)} pairs as opposed; recall {right / len(opposed):.2f}" if opposed else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
