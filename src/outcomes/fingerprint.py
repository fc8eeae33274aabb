"""Fingerprints: one place that hashes files, the package's own code and the software versions.

A cached result may be reused only while everything that produced it is unchanged:
its inputs (files), the code that computed it, and the versions of the libraries and
pipelines it ran. The package's version alone is not enough: editing ``themes.py``
without bumping it must not serve analyses computed by the old code. So each stage
names the parts of the package it runs (:data:`ANALYSIS_CODE`, :data:`REPORT_CODE`),
and their source bytes go into its key.

A leaf module: it imports nothing of the package, so any module may use it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable, Tuple

#: The installed package's folder (an editable install reads the working tree).
PACKAGE = Path(__file__).resolve().parent

#: What computes a session's analysis: the readers, the pipelines, the manifest and codebook
#: loaders, and the data they ship (codebook, gazetteer, procedural patterns, classifiers).
ANALYSIS_CODE: Tuple[str, ...] = (
    "analysis.py", "codebook.py", "conference.py", "errors.py", "files.py", "gazetteer.py", "language.py",
    "procedural.py", "yamlfile.py", "transcripts", "nlp", "data/codebook.yml", "data/gazetteer.yml",
    "data/procedural.yml", "data/models",
)
#: What turns analyses into the published report: aggregation, chapters, figures, pages, exports,
#: calibration, evaluation, rendering and the nbconvert template.
REPORT_CODE: Tuple[str, ...] = (
    "aggregate.py", "calibration.py", "curation.py", "evaluation.py", "explorer.py", "exports.py", "figures.py",
    "gold.py", "i18n.py", "markup.py", "model.py", "pages.py", "participation.py", "points.py", "provenance.py",
    "realtext.py", "render.py", "reporting.py", "review.py", "sections.py", "subtopics.py", "templating.py",
    "data/calibration.json", "data/glossary.yml", "data/realtext-split.json", "data/report.schema.json", "templates",
)


def hash_files(digest, paths: Iterable[Path]) -> None:
    """Add the names and bytes of ``paths`` to ``digest``; a folder adds its files in sorted order.

    A missing path adds its name as missing, so that its appearing later changes the hash.
    """
    for path in paths:
        path = Path(path)
        if path.is_dir():
            hash_files(digest, sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts))
        elif path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        else:
            digest.update(f"missing:{path.name}".encode())


def code(parts: Iterable[str], package: Path = None) -> str:
    """Return a hash of the source of ``parts`` of the package (module files, sub-packages, data).

    Parameters
    ----------
    parts : iterable of str
        Paths relative to the package folder, such as :data:`ANALYSIS_CODE`.
    package : Path, optional
        The package folder; :data:`PACKAGE` by default.
    """
    root = Path(package or PACKAGE)
    digest = hashlib.sha256()
    for part in parts:
        digest.update(f"[{part}]".encode())
        hash_files(digest, [root / part])
    return digest.hexdigest()[:20]
