"""The analysis stage's worker processes: which sessions go together, and what one worker does.

A worker loads each spaCy pipeline once and analyses a chunk of sessions of one language;
the chunks are about one per worker, largest first, so that the slowest starts first.
:func:`analyse_in_workers` runs them for the build's ``analyse`` stage (``plan`` is an
:class:`outcomes.build.Plan`); :func:`analyse_here` does the same work in this process,
for the preview, whose pipelines stay loaded between builds.
"""

from __future__ import annotations

import io
import os
from concurrent.futures import as_completed
from pathlib import Path
from typing import Dict, List, Optional

from .conference import load as load_conference
from .files import write_atomic


def _analyze_chunk(conference_dir: str, session_ids: List[str], targets: List[str],
                   evaluate_language: Optional[str] = None, codebook: str = "default"):
    """Analyse sessions in a worker process (one pipeline load per language per worker).

    The held-out evaluation of ``evaluate_language`` runs here too, where its pipeline is loaded.
    """
    from .analysis import analyze

    conference = load_conference(conference_dir) if session_ids else None
    for session_id, target in zip(session_ids, targets):
        analyze(conference, conference.session(session_id)).save(target)
    table = None
    if evaluate_language:
        from .evaluation import for_annex

        table = for_annex(evaluate_language, codebook=codebook).to_json(orient="records")
    return session_ids, table


def _chunks(sessions, jobs: int) -> List[list]:
    """Split sessions into chunks of one language each, about one per worker, largest first."""
    by_language: Dict[str, list] = {}
    for session in sessions:
        by_language.setdefault(session.language, []).append(session)
    sizes = {lang: sum(s.transcript.stat().st_size for s in group) for lang, group in by_language.items()}
    total = sum(sizes.values()) or 1
    chunks = []
    for language, group in sorted(by_language.items()):
        parts = max(1, min(len(group), round(jobs * sizes[language] / total)))
        for k in range(parts):
            chunks.append(group[k::parts])
    return sorted(chunks, key=lambda c: -sum(s.transcript.stat().st_size for s in c))


def _progress(total: int, label: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc=label, unit="session", disable=not enabled or total == 0, leave=False,
                dynamic_ncols=True)


def analyse_here(plan, need: list, to_evaluate: List[str]) -> list:
    """Analyse ``need`` into the cache in this process, whose pipelines stay loaded between builds."""
    from .analysis import analyze
    from .evaluation import for_annex

    for session in need:
        partial = f"{plan.cached_json[session.id]}.{os.getpid()}.partial"
        analyze(plan.conference, session).save(partial)
        os.replace(partial, plan.cached_json[session.id])
    return [for_annex(language, codebook=plan.conference.codebook) for language in to_evaluate]


def analyse_in_workers(plan, need: list, to_evaluate: List[str]) -> list:
    """Analyse ``need`` into the cache and evaluate ``to_evaluate``; return the evaluation tables."""
    from concurrent.futures import ProcessPoolExecutor

    import pandas as pd

    # a name no other build shares: two builds beside one cache may analyse the same session
    partial = {s.id: f"{plan.cached_json[s.id]}.{os.getpid()}.partial" for s in need}
    tasks = [([s.id for s in chunk], chunk[0].language) for chunk in _chunks(need, plan.jobs)]
    tasks += [([], language) for language in to_evaluate if all(lang != language for _, lang in tasks)]
    assigned = set()
    tables = []
    bar = _progress(len(need), "analysing", plan.progress_bar)
    with ProcessPoolExecutor(max_workers=max(1, min(plan.jobs, len(tasks)))) as pool:
        futures = []
        for ids, language in tasks:
            evaluate_here = language if language in to_evaluate and language not in assigned else None
            assigned.add(evaluate_here)
            futures.append(pool.submit(_analyze_chunk, str(plan.root), ids, [partial[i] for i in ids],
                                       evaluate_here, plan.conference.codebook))
        for future in as_completed(futures):
            done_ids, table = future.result()
            for session_id in done_ids:
                os.replace(partial[session_id], plan.cached_json[session_id])
                bar.update(1)
            if table is not None:
                tables.append(pd.read_json(io.StringIO(table), orient="records"))
    bar.close()
    return tables


def save_evaluation(tables: list, path: Path) -> None:
    """Write the evaluation tables as one: real text first (its "source" sorts after "gold"), then by language."""
    import pandas as pd

    combined = pd.concat(tables).sort_values(["source", "language"], ascending=[False, True],
                                             kind="mergesort").reset_index(drop=True)
    write_atomic(path, combined.to_json(orient="records", indent=1))
