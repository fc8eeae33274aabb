"""Cache keys: a hash over everything that produced a result, so a rebuild redoes only what changed.

A session's key covers its transcript's bytes, its manifest entry, the participant
list, the codebook, the spaCy pipeline's name and version, the session notebook, and
the source of the package code that computes an analysis (readers, pipelines, the
classifier and gazetteer it ships: :data:`outcomes.fingerprint.ANALYSIS_CODE`).
The report's key covers every session key, the manifest, the curation, the report
notebook, the template, the report language, the build date, whether a PDF is made,
and the source of the code that makes the report (:data:`outcomes.fingerprint.REPORT_CODE`).
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path
from typing import Iterable, Optional

from . import __version__, fingerprint
from .codebook import default_path as default_codebook
from .conference import Conference, Session
from .fingerprint import hash_files


def pipeline_version(language: str) -> str:
    """Return "package version" of the installed spaCy pipeline for ``language`` (no spaCy import)."""
    from .nlp import pipeline_names

    for name in pipeline_names(language):
        for distribution in (name, name.replace("_", "-")):
            try:
                return f"{name} {metadata.version(distribution)}"
            except metadata.PackageNotFoundError:
                continue
    return "none"


def session_key(conference: Conference, session: Session, notebook: Optional[Path] = None) -> str:
    """Return the cache key of one session's analysis and executed notebook."""
    digest = hashlib.sha256()
    digest.update(f"outcomes {__version__} code {fingerprint.code(fingerprint.ANALYSIS_CODE)}".encode())
    try:
        digest.update(f"spacy {metadata.version('spacy')}".encode())
    except metadata.PackageNotFoundError:
        pass
    digest.update(pipeline_version(session.language).encode())
    digest.update(json.dumps(session.entry, sort_keys=True, default=str).encode())
    digest.update(session.language.encode())
    digest.update(json.dumps(sorted(conference.participants.items()), default=str).encode())
    codebook = default_codebook() if conference.codebook == "default" else Path(conference.codebook)
    hash_files(digest, [session.transcript, codebook])
    if notebook is not None:
        hash_files(digest, [notebook])
    return digest.hexdigest()[:24]


def report_key(session_keys: Iterable[str], conference: Conference, *, notebook: Path, template: Path,
               report_language: str, build_date: str, pdf: bool, evaluation: str) -> str:
    """Return the key of the published report: it is up to date when this key has not changed."""
    digest = hashlib.sha256()
    digest.update(f"outcomes {__version__} {report_language} {build_date} pdf={pdf} {evaluation}".encode())
    digest.update(f"code {fingerprint.code(fingerprint.REPORT_CODE)}".encode())
    for key in session_keys:
        digest.update(key.encode())
    hash_files(digest, [conference.manifest_path, conference.curation_path, notebook, template])
    return digest.hexdigest()[:24]
