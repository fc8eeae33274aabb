"""The report stage's one entry point: the :class:`~outcomes.aggregate.Report` the report notebook shows.

In a build, the report was computed once by the aggregate stage and saved in the staging
folder's ``analyses/`` as ``report.json`` (:mod:`outcomes.model`), beside the session
analyses it rests on; this module only reads it. Run by hand in JupyterLab, with no such folder, the notebook gets the same
Report from the same stage functions the build calls (:func:`outcomes.analysis.analyze`,
:func:`outcomes.evaluation.evaluate`, :func:`outcomes.provenance.collect`), in this
process. Nothing is written either way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import pandas as pd

from . import aggregate, evaluation, model, provenance
from .analysis import analyze
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
    """Return the report the build's aggregate stage saved in ``folder`` (``report.json``)."""
    return model.load(folder / model.FILE, conference)


def saved_evaluation(folder: Path) -> Optional[pd.DataFrame]:
    """Return the accuracy tables the build saved in ``folder`` (``evaluation.json``), or None when empty."""
    table = pd.read_json(folder / EVALUATION_FILE, orient="records")
    return table if len(table) else None


def _own_gold(conference: Conference) -> Optional[pd.DataFrame]:
    """Return the own gold's held-out accuracy, as a notebook run by hand shows it (None without gold data).

    The real texts are measured by builds only: they may not be on every machine, and a
    notebook's stored outputs must not depend on which machine ran it.
    """
    if conference.codebook != "default" or not all(
            evaluation.gold_path(language, "test").exists() for language in ("en", "fr")):
        return None
    return evaluation.own_gold(("en", "fr"), conference.codebook)
