"""Provenance: every input of a build with its hash, and the versions of everything that read them.

The build writes it before the report notebook runs, so the report's provenance
annex and ``manifest.json`` are made from the same record.
"""

from __future__ import annotations

import json
import platform
from importlib import metadata
from pathlib import Path
from typing import List

from . import __version__
from .analysis import SessionAnalysis, file_sha256
from .conference import Conference

FILE = "provenance.json"


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def collect(conference: Conference, analyses: List[SessionAnalysis]) -> dict:
    """Return the inputs (role, path, sha256) and the software versions of a build."""
    from .codebook import load as load_codebook

    codebook = load_codebook(conference.codebook)
    inputs = [{"role": "manifest", "path": "conference.yml", "sha256": file_sha256(conference.manifest_path)}]
    inputs += [{"role": f"transcript {a.id}", "path": a.source["path"], "sha256": a.source["sha256"]} for a in analyses]
    inputs.append({"role": "codebook", "path": Path(codebook.path).name, "sha256": codebook.sha256})
    if conference.curation_path.exists():
        inputs.append({"role": "curation", "path": "curation.yml", "sha256": file_sha256(conference.curation_path)})
    pipelines = {a.pipeline["language"]: f"{a.pipeline['package']} {a.pipeline['version']}" for a in analyses}
    versions = {"python": platform.python_version(), "outcomes": __version__, "spacy": _version("spacy"),
                "pipelines": dict(sorted(pipelines.items())), "papermill": _version("papermill"),
                "nbconvert": _version("nbconvert")}
    return {"inputs": inputs, "versions": versions}


def save(record: dict, folder) -> Path:
    """Write the record as ``provenance.json`` in ``folder``."""
    path = Path(folder) / FILE
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
