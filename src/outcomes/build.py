"""Build a conference's outcomes report: analyses, papermill runs, exports, staging and publication.

The arrows of the data flow, in order:

1. load and check the manifest and read every transcript (bad input stops here,
   before anything runs or is written); compute each session's cache key, and the
   report's: when the published report has the same key, nothing runs;
2. analyse the changed sessions in worker processes that load each spaCy pipeline
   once (the held-out evaluation, when not cached, runs in one of them);
3. execute ``notebooks/session.ipynb`` with papermill for each changed session,
   in parallel, handing it its analysis; unchanged sessions come from the cache;
4. execute ``notebooks/report.ipynb`` once over all analyses, with the
   provenance record written before it;
5. export it with nbconvert to HTML and PDF, and write the transcript pages,
   ``findings.csv``, ``findings.json``, ``sessions.csv`` and ``manifest.json``;
6. publish: everything was written to a staging folder beside the output, which
   replaces the published folder only when the whole build succeeded. A failed
   build leaves the last good report in place. Which folders may be published
   to, and the lock that keeps two builds apart, are :mod:`outcomes.publish`'s.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Dict, List, Optional

from . import exports
from . import publish as publishing
from .analysis import SessionAnalysis, file_sha256
from .conference import Conference
from .conference import load as load_conference
from .errors import BuildError, InputError, OutcomesError
from .files import copy_atomic, write_atomic

REPORT_HTML = "outcomes-report.html"
REPORT_PDF = "outcomes-report.pdf"
FINDINGS_CSV = exports.FINDINGS_CSV
FINDINGS_JSON = exports.FINDINGS_JSON
SESSIONS_CSV = exports.SESSIONS_CSV
MANIFEST_JSON = "manifest.json"
#: Beside the output folder: cached analyses and notebooks, keyed by what produced them.
CACHE_DIR = ".outcomes-cache"
KERNEL = "python3"
# ipykernel 7 logs an unencrypted-TCP warning on start and a KeyboardInterrupt on shutdown;
# cell errors still reach us through the executed notebook.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]


@dataclass
class BuildResult:
    """Where the report was published and what the build measured."""

    output: Path
    files: List[Path]
    timings: Dict[str, float]
    warnings: List[str] = field(default_factory=list)
    up_to_date: bool = False
    executed: List[str] = field(default_factory=list)  # sessions whose notebook ran (the rest came from the cache)


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


def default_output(conference: Conference) -> Path:
    """Return ``reports/<conference folder name>``."""
    return Path("reports") / conference.root.resolve().name


def input_files(conference: Conference) -> List[Path]:
    """Return every file the build reads from the conference folder (an output may hold none of them)."""
    files = [conference.manifest_path, conference.curation_path] + [s.transcript for s in conference.sessions]
    if conference.codebook != "default":
        files.append(Path(conference.codebook))
    return files


def check_build_date(value: Optional[str]) -> str:
    """Return ``value`` (today when None) if it is an ISO date, or raise :class:`InputError`."""
    if value is None:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise InputError(f"build date {str(value)[:40]!r} is not a date; write it as YYYY-MM-DD") from None


def check_inputs(conference: Conference, errors: Optional[List[OutcomesError]] = None) -> List[str]:
    """Read every transcript once so that bad input fails before any notebook runs.

    Parameters
    ----------
    conference : Conference
        The loaded manifest.
    errors : list, optional
        When given, a bad transcript's error is appended here and reading goes
        on with the next one (``outcomes validate`` reports every problem);
        otherwise the first error is raised.

    Returns
    -------
    list of str
        The readers' warnings.
    """
    from .codebook import load as load_codebook
    from .curation import load as load_curation

    warnings: List[str] = []
    checks = [lambda: load_codebook(conference.codebook),
              lambda: load_curation(conference.curation_path, conference.root)]
    checks += [lambda s=session: warnings.extend(conference.read_transcript(s).warnings)
               for session in conference.sessions]
    for check in checks:
        try:
            check()
        except OutcomesError as exc:
            if errors is None:
                raise
            errors.append(exc)
    return warnings


def _failing_cell(notebook_path: Path) -> Optional[int]:
    import nbformat

    try:
        notebook = nbformat.read(str(notebook_path), as_version=4)
    except Exception:  # the notebook may be half-written; the error message still names the session
        return None
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return index
    return None


@lru_cache(maxsize=1)
def _local_kernel_manager():
    """Return a kernel manager class that talks to its kernel over Unix sockets, not TCP ports.

    Two kernels started at once over TCP may pick the same free port ("Address already
    in use"); a socket file in the temporary folder, named uniquely, cannot collide,
    and no port is opened on the machine.
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import CaselessStrEnum, default

    class LocalKernelManager(AsyncKernelManager):
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

        @default("ip")
        def _ip_default(self) -> str:
            return os.path.join(tempfile.gettempdir(), f"outcomes-kernel-{uuid.uuid4().hex[:16]}")

    return LocalKernelManager


def _execute(source: Path, target: Path, parameters: dict, cwd: Path, what: str, output: Path,
             session: Optional[str]) -> None:
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    try:
        # Not papermill's cwd=: it chdirs the whole process, which races between our threads.
        # nbclient starts the kernel in resources' path instead, leaving our cwd alone.
        pm.execute_notebook(str(source), str(target), parameters=parameters, kernel_name=KERNEL,
                            progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                            extra_arguments=KERNEL_ARGUMENTS, resources={"metadata": {"path": str(cwd)}},
                            kernel_manager_class=_local_kernel_manager())
    except PapermillExecutionError as exc:
        kept = publishing.failed_dir(output) / target.name
        shutil.copyfile(target, kept)
        cell = _failing_cell(kept)
        raise BuildError(f"{what} failed in cell {cell if cell is not None else exc.cell_index}: {exc.ename}: "
                         f"{exc.evalue}. The executed notebook, with the failing cell marked, is {kept}",
                         session=session, cell=cell, notebook=str(kept)) from exc
    except OutcomesError:
        raise
    except OSError as exc:
        if publishing.is_storage_problem(exc):  # papermill could not write the executed notebook
            raise
        raise BuildError(f"{what} could not run: {type(exc).__name__}: {exc}", session=session) from exc
    except Exception as exc:  # kernel death, missing kernel: papermill raises assorted types
        raise BuildError(f"{what} could not run: {type(exc).__name__}: {exc}", session=session) from exc


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


def run(conference_dir, output=None, *, jobs: Optional[int] = None, report_language: str = "en",
        pdf: bool = True, build_date: Optional[str] = None, force: bool = False,
        progress: Optional[Callable[[str], None]] = None, progress_bar: bool = False) -> BuildResult:
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
                    say=say, progress_bar=progress_bar, started=started)
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


def _build(conference: Conference, output: Path, warnings: List[str], *, jobs, report_language, pdf,
           build_date, force, say, progress_bar, started) -> BuildResult:
    """Run the stages of :func:`run` once the output folder is checked and locked."""
    from . import cache, evaluation, render

    timings: Dict[str, float] = {}
    cache_dir = output.parent / CACHE_DIR
    notebooks = notebooks_dir()
    root = conference.root.resolve()
    keys = {s.id: cache.session_key(conference, s, notebooks / "session.ipynb") for s in conference.sessions}
    evaluated = conference.codebook == "default"
    evaluation_key = evaluation.fingerprint(codebook=conference.codebook) if evaluated else "none"
    report_key = cache.report_key(
        [keys[s.id] for s in conference.sessions], conference, notebook=notebooks / "report.ipynb",
        template=render.template_dir(), report_language=report_language, build_date=build_date, pdf=pdf,
        evaluation=evaluation_key)
    timings["check"] = time.perf_counter() - started
    published = output / MANIFEST_JSON
    if not force and published.exists():
        try:
            up_to_date = json.loads(published.read_text(encoding="utf-8")).get("report_key") == report_key
        except ValueError:
            up_to_date = False
        if up_to_date:
            timings["total"] = time.perf_counter() - started
            say("nothing changed since the published report")
            return BuildResult(output=output, files=sorted(p for p in output.iterdir() if p.is_file()),
                               timings=timings, warnings=warnings, up_to_date=True)

    sessions_cache = cache_dir / "sessions"
    sessions_cache.mkdir(parents=True, exist_ok=True)
    cached_json = {s.id: sessions_cache / f"{s.id}-{keys[s.id]}.json" for s in conference.sessions}
    cached_nb = {s.id: sessions_cache / f"{s.id}-{keys[s.id]}.ipynb" for s in conference.sessions}
    todo = [s for s in conference.sessions if force or not (_cached(cached_json[s.id]) and _cached(cached_nb[s.id]))]
    jobs = max(1, jobs or os.cpu_count() or 1)
    staging = publishing.staging_dir(output)
    try:
        analyses_dir = staging / "analyses"
        executed = staging / "notebooks"
        analyses_dir.mkdir()
        executed.mkdir()

        # 1. analyses of changed sessions, in worker processes that load each pipeline once; the
        #    held-out evaluation, when not cached, rides along in a worker that has its pipeline
        t = time.perf_counter()
        need = [s for s in todo if force or not _cached(cached_json[s.id])]
        evaluation_file = evaluation.cache_path(cache_dir, evaluation_key) if evaluated else None
        to_evaluate = sorted({"en", "fr"}) if evaluation_file is not None and not _cached(evaluation_file) else []
        tables = []
        if need or to_evaluate:
            from concurrent.futures import ProcessPoolExecutor

            import pandas as pd

            # a name no other build shares: two builds beside one cache may analyse the same session
            partial = {s.id: f"{cached_json[s.id]}.{os.getpid()}.partial" for s in need}
            tasks = [([s.id for s in chunk], chunk[0].language) for chunk in _chunks(need, jobs)]
            for language in to_evaluate:
                carrier = next((i for i, (_, lang) in enumerate(tasks) if lang == language), None)
                if carrier is None:
                    tasks.append(([], language))
            assigned = set()
            bar = _progress(len(need), "analysing", progress_bar)
            with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(tasks)))) as pool:
                futures = []
                for ids, language in tasks:
                    evaluate_here = language if language in to_evaluate and language not in assigned else None
                    assigned.add(evaluate_here)
                    futures.append(pool.submit(_analyze_chunk, str(root), ids, [partial[i] for i in ids],
                                               evaluate_here, conference.codebook))
                for future in as_completed(futures):
                    done_ids, table = future.result()
                    for session_id in done_ids:
                        os.replace(partial[session_id], cached_json[session_id])
                        bar.update(1)
                    if table is not None:
                        tables.append(pd.read_json(io.StringIO(table), orient="records"))
            bar.close()
        if tables:
            # real text first (its "source" sorts after "gold"), then by language
            combined = pd.concat(tables).sort_values(["source", "language"], ascending=[False, True],
                                                     kind="mergesort").reset_index(drop=True)
            write_atomic(evaluation_file, combined.to_json(orient="records", indent=1))
        timings["analyses"] = time.perf_counter() - t
        say(f"{len(need)} session(s) analysed, {len(conference.sessions) - len(need)} from the cache")

        # 2. session notebooks of changed sessions (papermill), in parallel; the rest from the cache
        t = time.perf_counter()
        bar = _progress(len(todo), "session notebooks", progress_bar)
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = {
                pool.submit(_execute, notebooks / "session.ipynb", executed / f"session-{s.id}.ipynb",
                            {"conference_dir": str(root), "session_id": s.id, "output_dir": str(analyses_dir),
                             "analysis_file": str(cached_json[s.id])},
                            notebooks, f"session {s.id}", output, s.id): s
                for s in todo
            }
            for future in as_completed(futures):
                future.result()
                session = futures[future]
                copy_atomic(executed / f"session-{session.id}.ipynb", cached_nb[session.id])
                bar.update(1)
        bar.close()
        for session in conference.sessions:
            if session not in todo:
                shutil.copyfile(cached_nb[session.id], executed / f"session-{session.id}.ipynb")
            shutil.copyfile(cached_json[session.id], analyses_dir / f"{session.id}.json")
        timings["sessions"] = time.perf_counter() - t
        say(f"{len(todo)} session notebook(s) executed, {len(conference.sessions) - len(todo)} from the cache")

        # 3. accuracy on the held-out gold data (measured in step 1 or cached) and provenance
        t = time.perf_counter()
        if evaluation_file is not None and _cached(evaluation_file):
            shutil.copyfile(evaluation_file, analyses_dir / "evaluation.json")
        else:
            (analyses_dir / "evaluation.json").write_text("[]", encoding="utf-8")
        analyses = [SessionAnalysis.load(analyses_dir / f"{s.id}.json") for s in conference.sessions]
        from . import provenance

        record = provenance.collect(conference, analyses)
        provenance.save(record, analyses_dir)
        timings["evaluation"] = time.perf_counter() - t

        # 4. the report notebook
        t = time.perf_counter()
        report_nb = executed / "report.ipynb"
        _execute(notebooks / "report.ipynb", report_nb,
                 {"conference_dir": str(root), "analyses_dir": str(analyses_dir),
                  "report_language": report_language, "build_date": build_date},
                 notebooks, "the report notebook", output, None)
        timings["report"] = time.perf_counter() - t
        say("report notebook executed")

        # 5. exports
        import nbformat

        from . import aggregate, exports, pages

        notebook = nbformat.read(str(report_nb), as_version=4)
        t = time.perf_counter()
        html = render.export_html(notebook)
        del notebook
        (staging / REPORT_HTML).write_text(html, encoding="utf-8")
        timings["html"] = time.perf_counter() - t
        say("HTML written")
        if pdf:
            t = time.perf_counter()
            (staging / REPORT_PDF).write_bytes(render.print_pdf(html))
            timings["pdf"] = time.perf_counter() - t
            say("PDF written")
        del html

        report = aggregate.build(conference, analyses, provenance=record)
        exports.write_all(staging, report, build_date)
        labels = {t.id: t.label(report_language) for t in report.codebook.themes}
        pages.write_pages(staging, analyses, labels, report_language, conference.title)
        warnings = report.warnings
        timings["total"] = time.perf_counter() - started
        files = sorted(p for p in staging.iterdir() if p.is_file() and p.name != publishing.STAGING_MARKER)
        manifest = {
            "conference": conference.title,
            "build_date": build_date,
            "report_language": report_language,
            "status": report.curation.status,
            "report_key": report_key,
            "session_keys": keys,
            "versions": record["versions"],
            "inputs": record["inputs"],
            "outputs": [{"path": p.name, "sha256": file_sha256(p)} for p in files],
            "timings_seconds": {k: round(v, 2) for k, v in timings.items()},
            "warnings": warnings,
        }
        (staging / MANIFEST_JSON).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                             encoding="utf-8")
        warnings = warnings + publishing.publish(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = sorted(p for p in output.iterdir() if p.is_file() and p.name != publishing.MARKER)
    return BuildResult(output=output, files=files, timings=timings, warnings=warnings,
                       executed=[s.id for s in todo])
