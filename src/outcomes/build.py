"""Build a conference's outcomes report: analyses, papermill runs, exports, staging and publication.

Like papermill's ``execute_notebook``, :func:`run` reads as a list of small named
steps, each a function of this module that takes the :class:`Plan` (and the staging
folder) and records its time under its own key of ``BuildResult.timings``:

1. :func:`run` loads and checks the manifest and reads every transcript (bad input
   stops here, before anything runs or is written), then takes the output's lock;
   :func:`plan` computes each session's cache key, and the report's: when the
   published report has the same key, nothing runs (all of it timed as ``check``);
2. :func:`analyse` (``analyses``): analyse the changed sessions in worker processes
   that load each spaCy pipeline once (the held-out evaluation, when not cached,
   runs in one of them);
3. :func:`run_session_notebooks` (``sessions``): execute ``notebooks/session.ipynb``
   with papermill for each changed session, in parallel, handing it its analysis;
   unchanged sessions come from the cache;
4. :func:`evaluation` and :func:`provenance` (``evaluation``): the held-out accuracy
   and the provenance record, written beside the analyses;
5. :func:`aggregate_stage` (``aggregate``): compute the report once, and save it as
   ``analyses/report.json`` (:mod:`outcomes.model`);
6. :func:`run_report_notebook` (``report``): execute ``notebooks/report.ipynb``, which
   loads that model and displays it;
7. :func:`export` (``html``, ``pdf``): export it with nbconvert to HTML and PDF, and
   write the transcript pages, ``findings.csv``, ``findings.json``, ``sessions.csv``
   and ``manifest.json`` (which records the timings, ``total`` included), all from the
   same model;
8. :func:`publish`: everything was written to a staging folder beside the output
   (:func:`outcomes.publish.staged`), which replaces the published folder only when
   the whole build succeeded. A failed build leaves the last good report in place.
   Which folders may be published to, and the lock that keeps two builds apart, are
   :mod:`outcomes.publish`'s.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Tuple

from . import exports, model
from . import publish as publishing
from .analysis import SessionAnalysis, file_sha256
from .conference import Conference, Session
from .conference import load as load_conference
from .errors import BuildError
from .files import copy_atomic
from .kernels import execute as _execute
from .inputs import check_build_date, check_inputs, default_output, input_files  # noqa: F401  (build's API)
from .workers import _progress, analyse_here, analyse_in_workers, save_evaluation

REPORT_HTML = "outcomes-report.html"
REPORT_PDF = "outcomes-report.pdf"
FINDINGS_CSV = exports.FINDINGS_CSV
FINDINGS_JSON = exports.FINDINGS_JSON
SESSIONS_CSV = exports.SESSIONS_CSV
MANIFEST_JSON = "manifest.json"
#: Beside the output folder: cached analyses and notebooks, keyed by what produced them.
CACHE_DIR = ".outcomes-cache"
#: The staging folder's subfolders: the analyses (with the evaluation and provenance), the executed notebooks.
ANALYSES = "analyses"
NOTEBOOKS = "notebooks"


@dataclass
class BuildResult:
    """Where the report was published and what the build measured."""

    output: Path
    files: List[Path]
    timings: Dict[str, float]
    warnings: List[str] = field(default_factory=list)
    up_to_date: bool = False
    executed: List[str] = field(default_factory=list)  # sessions whose notebook ran (the rest came from the cache)


@dataclass
class Plan:
    """What a build does, decided by :func:`plan` before anything runs, and the times its stages take.

    ``todo`` holds the sessions whose notebook runs (:func:`analyse` still reuses a
    cached analysis); every other session comes from the cache. ``cached_json`` and
    ``cached_nb`` name each session's cached analysis and executed notebook.
    """

    conference: Conference
    output: Path
    notebooks: Path  # the folder of session.ipynb and report.ipynb
    cache_dir: Path
    session_keys: Dict[str, str]
    report_key: str
    evaluation_key: str
    evaluation_file: Optional[Path]  # None: no held-out evaluation (no gold data, or the conference's codebook)
    jobs: int
    report_language: str
    pdf: bool
    build_date: str
    force: bool
    say: Callable[[str], None]
    progress_bar: bool
    started: float  # time.perf_counter() when the build started
    # the preview keeps its pipelines and a kernel warm: analyses in this process, the report
    # notebook through its own runner ``(source, target, parameters, cwd)``
    in_process: bool = False
    notebook_runner: Optional[Callable[[Path, Path, dict, Path], None]] = None
    timings: Dict[str, float] = field(default_factory=dict)
    todo: List[Session] = field(default_factory=list)
    up_to_date: bool = False
    root: Path = field(init=False)
    cached_json: Dict[str, Path] = field(init=False)
    cached_nb: Dict[str, Path] = field(init=False)

    def __post_init__(self) -> None:
        self.root = self.conference.root.resolve()
        self.cached_json = {s: self.sessions_cache / f"{s}-{key}.json" for s, key in self.session_keys.items()}
        self.cached_nb = {s: self.sessions_cache / f"{s}-{key}.ipynb" for s, key in self.session_keys.items()}

    @property
    def sessions_cache(self) -> Path:
        """The cache's folder of analyses and executed session notebooks."""
        return self.cache_dir / "sessions"

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        """Add the time the block takes to ``timings[stage]`` (two steps may share a key)."""
        began = time.perf_counter()
        yield
        self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - began

    def finish(self) -> None:
        """Record the ``total`` time since the build started."""
        self.timings["total"] = time.perf_counter() - self.started


def notebooks_dir() -> Path:
    """Return the folder holding ``session.ipynb`` and ``report.ipynb``.

    ``OUTCOMES_NOTEBOOKS`` overrides; otherwise the repository's ``notebooks/``.
    """
    configured = os.environ.get("OUTCOMES_NOTEBOOKS")
    folder = Path(configured) if configured else Path(__file__).resolve().parents[2] / "notebooks"
    if not (folder / "session.ipynb").is_file() or not (folder / "report.ipynb").is_file():
        raise BuildError(f"the notebooks are not in {folder}; run outcomes from a clone of the repository "
                         "or set OUTCOMES_NOTEBOOKS to the folder holding session.ipynb and report.ipynb")
    return folder


def run(conference_dir, output=None, *, jobs: Optional[int] = None, report_language: str = "en",
        pdf: bool = True, build_date: Optional[str] = None, force: bool = False,
        progress: Optional[Callable[[str], None]] = None, progress_bar: bool = False, in_process: bool = False,
        notebook_runner: Optional[Callable[[Path, Path, dict, Path], None]] = None) -> BuildResult:
    """Build and publish a conference's outcomes report, redoing only what changed.

    Parameters
    ----------
    conference_dir : str or Path
        The conference folder (``conference.yml``, transcripts, optional ``curation.yml``).
    output : str or Path, optional
        Where to publish; ``reports/<conference folder name>`` by default.
    jobs : int, optional
        Analyses and session notebooks run at once; the number of cores by default.
    report_language : str
        "en" or "fr": the language of the report's headings, captions, dates and numbers.
    pdf : bool
        Also print the PDF (needs Chromium).
    build_date : str, optional
        ISO date shown on the title page; today by default.
    force : bool
        Ignore the cache and rebuild everything.
    progress : callable, optional
        Called with a short line as each stage finishes.
    progress_bar : bool
        Show a progress bar over sessions on standard error.
    in_process : bool
        Analyse in this process instead of worker processes, so that a long-lived caller
        (``outcomes preview``) keeps its spaCy pipelines loaded between builds.
    notebook_runner : callable, optional
        ``(source, target, parameters, cwd)``: runs the report notebook instead of papermill
        (the preview's warm kernel, :class:`outcomes.preview.WarmKernel`).

    Returns
    -------
    BuildResult
        ``up_to_date`` is True when nothing had changed and nothing was run.

    Raises
    ------
    InputError
        When the manifest or a transcript is bad (nothing is run or written).
    OutputError
        When ``output`` may not be published to (see :mod:`outcomes.publish`); nothing is written.
    BusyError
        When another build is publishing to the same output.
    StorageError
        When the disk refuses a write (full, read-only); the published report is unchanged.
    BuildError
        When a notebook fails (the failed notebook is kept beside the output).
    RenderError
        When the HTML or PDF cannot be produced.
    """
    say = progress or (lambda line: None)
    started = time.perf_counter()
    conference = load_conference(conference_dir)
    warnings = check_inputs(conference)
    if report_language not in ("en", "fr"):
        raise BuildError(f"report language '{report_language}' is not supported; use en or fr")
    build_date = check_build_date(build_date)
    output = publishing.resolve_output(output or default_output(conference), conference.root,
                                       input_files(conference))
    settings = dict(jobs=jobs, report_language=report_language, pdf=pdf, build_date=build_date, force=force,
                    say=say, progress_bar=progress_bar, started=started, in_process=in_process,
                    notebook_runner=notebook_runner)
    try:
        with publishing.locked(output):
            publishing.recover(output)
            if output.is_dir():  # recovery may have put the last report back
                publishing.check_replaceable(output)
            result = _build(conference, output, warnings, **settings)
            publishing.clear_failed(output)  # a good build clears the last failure
            return result
    except OSError as exc:
        raise publishing.storage_error(exc) from exc


def _cached(path: Path) -> bool:
    """Return True if a cache entry exists and parses (a torn or empty one is a miss)."""
    try:
        with open(path, "rb") as handle:
            json.load(handle)
        return True
    except (OSError, ValueError):
        return False


def _build(conference: Conference, output: Path, warnings: List[str], **settings) -> BuildResult:
    """Run the stages of :func:`run` once the output folder is checked and locked."""
    planned = plan(conference, output, **settings)
    if planned.up_to_date:
        return BuildResult(output=output, files=sorted(p for p in output.iterdir() if p.is_file()),
                           timings=planned.timings, warnings=warnings, up_to_date=True)
    with publishing.staged(output) as staging:
        analyse(planned)
        run_session_notebooks(planned, staging)
        evaluation(planned, staging)
        analyses, record = provenance(planned, staging)
        report = aggregate_stage(planned, staging, analyses, record)
        report_notebook = run_report_notebook(planned, staging)
        warnings = export(planned, staging, report_notebook, report)
        return publish(planned, staging, warnings)


def plan(conference: Conference, output: Path, *, jobs: Optional[int], report_language: str,
         pdf: bool, build_date: str, force: bool, say: Callable[[str], None], progress_bar: bool,
         started: float, in_process: bool = False,
         notebook_runner: Optional[Callable[[Path, Path, dict, Path], None]] = None) -> Plan:
    """Decide what the build does: every cache key, the cache files, and the sessions to run again.

    Parameters
    ----------
    conference : Conference
        The loaded and checked manifest.
    output : Path
        The resolved output folder (its lock is held).
    jobs, report_language, pdf, build_date, force, say, progress_bar
        The settings of :func:`run` (``say`` is its ``progress``, never None here).
    started : float
        When the build started (:func:`time.perf_counter`), for the ``check`` and ``total`` timings.

    Returns
    -------
    Plan
        ``up_to_date`` (with ``todo`` empty, and nothing written) when the
        published report has the same key and ``force`` is off.
    """
    from . import cache, render
    from . import evaluation as evaluating

    notebooks = notebooks_dir()
    keys = {s.id: cache.session_key(conference, s, notebooks / "session.ipynb") for s in conference.sessions}
    evaluated = conference.codebook == "default"
    evaluation_key = evaluating.fingerprint(codebook=conference.codebook) if evaluated else "none"
    report_key = cache.report_key(
        [keys[s.id] for s in conference.sessions], conference, notebook=notebooks / "report.ipynb",
        template=render.template_dir(), report_language=report_language, build_date=build_date, pdf=pdf,
        evaluation=evaluation_key)
    timings = {"check": time.perf_counter() - started}
    cache_dir = output.parent / CACHE_DIR
    planned = Plan(conference=conference, output=output, notebooks=notebooks, cache_dir=cache_dir,
                   session_keys=keys, report_key=report_key, evaluation_key=evaluation_key,
                   evaluation_file=evaluating.cache_path(cache_dir, evaluation_key) if evaluated else None,
                   jobs=max(1, jobs or os.cpu_count() or 1), report_language=report_language, pdf=pdf,
                   build_date=build_date, force=force, say=say, progress_bar=progress_bar, started=started,
                   in_process=in_process, notebook_runner=notebook_runner, timings=timings)
    if not force and _published_key(output) == report_key:
        planned.up_to_date = True
        planned.finish()
        say("nothing changed since the published report")
        return planned
    planned.sessions_cache.mkdir(parents=True, exist_ok=True)
    planned.todo = [s for s in conference.sessions
                    if force or not (_cached(planned.cached_json[s.id]) and _cached(planned.cached_nb[s.id]))]
    return planned


def _published_key(output: Path) -> Optional[str]:
    """Return the report key in the published ``manifest.json``, or None when there is none or it does not parse."""
    published = output / MANIFEST_JSON
    if not published.exists():
        return None
    try:
        return json.loads(published.read_text(encoding="utf-8")).get("report_key")
    except ValueError:
        return None


def analyse(plan: Plan) -> List[str]:
    """Analyse the sessions whose analysis is not cached, and measure the held-out accuracy if it is not.

    The analyses run in worker processes that load each spaCy pipeline once; the
    evaluation rides along in a worker that has its language's pipeline. With
    ``plan.in_process`` (the preview) both run here, where the pipelines stay loaded
    between builds. Timed as ``analyses``.

    Returns
    -------
    list of str
        The sessions analysed; the others' analyses come from the cache.
    """
    with plan.timed("analyses"):
        need = [s for s in plan.todo if plan.force or not _cached(plan.cached_json[s.id])]
        evaluation_file = plan.evaluation_file
        to_evaluate = sorted({"en", "fr"}) if evaluation_file is not None and not _cached(evaluation_file) else []
        if need or to_evaluate:
            analyser = analyse_here if plan.in_process else analyse_in_workers
            tables = analyser(plan, need, to_evaluate)
            if tables:
                save_evaluation(tables, evaluation_file)
    plan.say(f"{len(need)} session(s) analysed, {len(plan.conference.sessions) - len(need)} from the cache")
    return [s.id for s in need]


def run_session_notebooks(plan: Plan, staging: Path) -> None:
    """Execute ``session.ipynb`` with papermill for each session to run, in parallel, caching each result.

    Every session's executed notebook and analysis, run now or cached, is copied into
    the staging folder's ``notebooks/`` and ``analyses/``. Timed as ``sessions``.
    """
    analyses_dir, executed = staging / ANALYSES, staging / NOTEBOOKS
    analyses_dir.mkdir()
    executed.mkdir()
    with plan.timed("sessions"):
        bar = _progress(len(plan.todo), "session notebooks", plan.progress_bar)
        with ThreadPoolExecutor(max_workers=plan.jobs) as pool:
            futures = {pool.submit(_execute_session, plan, s, staging): s for s in plan.todo}
            for future in as_completed(futures):
                future.result()
                session = futures[future]
                copy_atomic(executed / f"session-{session.id}.ipynb", plan.cached_nb[session.id])
                bar.update(1)
        bar.close()
        for session in plan.conference.sessions:
            if session not in plan.todo:
                shutil.copyfile(plan.cached_nb[session.id], executed / f"session-{session.id}.ipynb")
            shutil.copyfile(plan.cached_json[session.id], analyses_dir / f"{session.id}.json")
    done = len(plan.todo)
    plan.say(f"{done} session notebook(s) executed, {len(plan.conference.sessions) - done} from the cache")


def _execute_session(plan: Plan, session: Session, staging: Path) -> None:
    """Execute ``session.ipynb`` for one session into the staging folder's ``notebooks/``."""
    parameters = {"conference_dir": str(plan.root), "session_id": session.id,
                  "output_dir": str(staging / ANALYSES), "analysis_file": str(plan.cached_json[session.id])}
    _execute(plan.notebooks / "session.ipynb", staging / NOTEBOOKS / f"session-{session.id}.ipynb", parameters,
             plan.notebooks, f"session {session.id}", plan.output, session.id)


def evaluation(plan: Plan, staging: Path) -> None:
    """Put the held-out accuracy (measured by :func:`analyse` or cached) in ``analyses/evaluation.json``.

    Without gold data, or with a codebook of the conference's own, an empty table. Timed as ``evaluation``.
    """
    target = staging / ANALYSES / "evaluation.json"
    with plan.timed("evaluation"):
        if plan.evaluation_file is not None and _cached(plan.evaluation_file):
            shutil.copyfile(plan.evaluation_file, target)
        else:
            target.write_text("[]", encoding="utf-8")


def provenance(plan: Plan, staging: Path) -> Tuple[List[SessionAnalysis], dict]:
    """Load every analysis and write the provenance record beside them, before the report notebook reads it.

    Timed with the evaluation (``evaluation``).

    Returns
    -------
    analyses : list of SessionAnalysis
        In the manifest's order of sessions.
    record : dict
        The provenance record (:func:`outcomes.provenance.collect`).
    """
    from . import provenance as provenances

    analyses_dir = staging / ANALYSES
    with plan.timed("evaluation"):
        analyses = [SessionAnalysis.load(analyses_dir / f"{s.id}.json") for s in plan.conference.sessions]
        record = provenances.collect(plan.conference, analyses)
        provenances.save(record, analyses_dir)
    return analyses, record


def run_report_notebook(plan: Plan, staging: Path) -> Path:
    """Execute ``report.ipynb`` with papermill over all analyses; return the executed notebook. Timed as ``report``."""
    report_notebook = staging / NOTEBOOKS / "report.ipynb"
    with plan.timed("report"):
        _execute(plan.notebooks / "report.ipynb", report_notebook,
                 {"conference_dir": str(plan.root), "analyses_dir": str(staging / ANALYSES),
                  "report_language": plan.report_language, "build_date": plan.build_date},
                 plan.notebooks, "the report notebook", plan.output, None, plan.notebook_runner)
    plan.say("report notebook executed")
    return report_notebook


def aggregate_stage(plan: Plan, staging: Path, analyses: List[SessionAnalysis], record: dict):
    """Compute the report once and save it as ``analyses/report.json`` (:mod:`outcomes.model`).

    The report notebook loads it; the exports and transcript pages are written from the
    returned object. Timed as ``aggregate``.

    Returns
    -------
    Report
    """
    from . import aggregate, model
    from .reporting import saved_evaluation

    with plan.timed("aggregate"):
        report = aggregate.build(plan.conference, analyses, evaluation=saved_evaluation(staging / ANALYSES),
                                 provenance=record)
        model.save(report, staging / ANALYSES)
    return report


def export(plan: Plan, staging: Path, report_notebook: Path, report) -> List[str]:
    """Write the report's HTML and PDF, the findings and sessions exports, the transcript pages and ``manifest.json``.

    Everything is written from ``report``, the model :func:`aggregate_stage` computed and
    the report notebook showed. Timed as ``html`` and ``pdf``; ``total`` is taken just
    before ``manifest.json``, which records the timings.

    Returns
    -------
    list of str
        The report's warnings.
    """
    from . import pages

    _export_report(plan, staging, report_notebook)
    exports.write_all(staging, report, plan.build_date)
    labels = {t.id: t.label(plan.report_language) for t in report.codebook.themes}
    pages.write_pages(staging, report.analyses, labels, plan.report_language, plan.conference.title)
    plan.finish()
    _write_manifest(plan, staging, report)
    return report.warnings


def _export_report(plan: Plan, staging: Path, report_notebook: Path) -> None:
    """Export the executed report notebook to HTML with nbconvert, then print it to PDF if asked."""
    import nbformat

    from . import render

    notebook = nbformat.read(str(report_notebook), as_version=4)
    with plan.timed("html"):
        html = render.export_html(notebook)
        del notebook
        (staging / REPORT_HTML).write_text(html, encoding="utf-8")
    plan.say("HTML written")
    if plan.pdf:
        with plan.timed("pdf"):
            (staging / REPORT_PDF).write_bytes(render.print_pdf(html))
        plan.say("PDF written")


def _write_manifest(plan: Plan, staging: Path, report) -> None:
    """Write ``manifest.json``: the keys, versions, inputs, every output's hash, the timings and warnings."""
    files = sorted(p for p in staging.iterdir() if p.is_file() and p.name != publishing.STAGING_MARKER)
    manifest = {
        "conference": plan.conference.title,
        "build_date": plan.build_date,
        "report_language": plan.report_language,
        "status": report.curation.status,
        "report_key": plan.report_key,
        "session_keys": plan.session_keys,
        "versions": report.versions,
        "inputs": report.provenance.to_dict("records"),
        "outputs": [{"path": p.name, "sha256": file_sha256(p)} for p in files],
        "timings_seconds": {k: round(v, 2) for k, v in plan.timings.items()},
        "warnings": [dataclasses.asdict(model.Warning.parse(w)) for w in report.warnings],
    }
    (staging / MANIFEST_JSON).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                         encoding="utf-8")


def publish(plan: Plan, staging: Path, warnings: List[str]) -> BuildResult:
    """Swap the staging folder in as the output (:func:`outcomes.publish.publish`) and say what it holds."""
    warnings = warnings + publishing.publish(staging, plan.output)
    files = sorted(p for p in plan.output.iterdir() if p.is_file() and p.name != publishing.MARKER)
    return BuildResult(output=plan.output, files=files, timings=plan.timings, warnings=warnings,
                       executed=[s.id for s in plan.todo])
