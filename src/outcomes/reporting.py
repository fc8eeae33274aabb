"""The report stage's one entry point: the :class:`~outcomes.aggregate.Report` the report notebook shows.

In a build, everything the report rests on was computed by earlier stages and saved in
the staging folder's ``analyses/``: the session analyses, the accuracy tables
(``evaluation.json``) and the provenance record (``provenance.json``); this module only
reads them. Run by hand in JupyterLab, with no such folder, the notebook gets the same
Report from the same stage functions the build calls (:func:`outcomes.analysis.analyze`,
:func:`outcomes.evaluation.evaluate`, :func:`outcomes.provenance.collect`), in this
process. Nothing is written either way.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import pandas as pd

from . import aggregate, evaluation, provenance
from .analysis import SessionAnalysis, analyze
from .conference import Conference
from .conference import load as load_conference

EVALUATION_FILE = "evaluation.json"


def for_notebook(conference_dir, analyses_dir: Optional[str] = None) -> aggregate.Report:
    """Return the report of ``conference_dir``: from a build's saved stages, or computed here.

    Parameters
    ----------
    conference_dir : str or Path
        The conference folder.
    analyses_dir : str, optional
        A build's ``analyses/`` folder (the report notebook's parameter); empty or None
        when the notebook runs by hand.
    """
    conference = load_conference(conference_dir)
    if analyses_dir:
        return _saved(conference, Path(analyses_dir))
    analyses = [analyze(conference, session) for session in conference.sessions]
    return aggregate.build(conference, analyses, evaluation=_own_gold(conference),
                           provenance=provenance.collect(conference, analyses))


def _saved(conference: Conference, folder: Path) -> aggregate.Report:
    """Return the report from what the build's stages saved in ``folder``."""
    analyses: List[SessionAnalysis] = [SessionAnalysis.load(folder / f"{s.id}.json") for s in conference.sessions]
    table = pd.read_json(folder / EVALUATION_FILE, orient="records")
    record = json.loads((folder / provenance.FILE).read_text(encoding="utf-8"))
    return aggregate.build(conference, analyses, evaluation=table if len(table) else None, provenance=record)


def _own_gold(conference: Conference) -> Optional[pd.DataFrame]:
    """Return the own gold's held-out accuracy, as a notebook run by hand shows it (None without gold data).

    The real texts are measured by builds only: they may not be on every machine, and a
    notebook's stored outputs must not depend on which machine ran it.
    """
    if conference.codebook != "default" or not all(
            evaluation.gold_path(language, "test").exists() for language in ("en", "fr")):
        return None
    return evaluation.own_gold(("en", "fr"), conference.codebook)
