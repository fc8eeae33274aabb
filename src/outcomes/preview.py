"""The rapporteur's edit loop: build once, serve the report on loopback, rebuild when an input changes.

``outcomes preview CONFERENCE_DIR`` builds the report (HTML only) into a preview folder
beside the published one, serves it on ``127.0.0.1`` and watches the conference
folder (manifest, transcripts, curation, codebook) with ``watchfiles``. A change
rebuilds incrementally through :func:`outcomes.build.run` (only what the change
affects re-runs) in the same process, which keeps warm what a fresh build pays
for again and again: the spaCy pipelines (loaded once per process) and one Jupyter
kernel for the report notebook (see :class:`WarmKernel`). The terminal says what
changed, what was rebuilt and how long it took.

The served page reloads itself when a new report is ready: the server adds a few
lines of script to the page it sends (never to the file), which ask the server, on
the same loopback address, for the current build number. A failed build leaves the
last good report in place, and the page shows the error above it.
"""

from __future__ import annotations

import html
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Optional

HOST = "127.0.0.1"
STATE_PATH = "/__outcomes_preview__"
#: Added to the served report only: polls the build number and reloads when it changes.
RELOAD_SCRIPT = """<script>(function () {
  var seen = null;
  function poll() {
    fetch("%(state)s", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (seen !== null && s.build !== seen) { location.reload(); }
      seen = s.build;
    }).catch(function () {}).finally(function () { setTimeout(poll, 500); });
  }
  poll();
})();</script>"""
ERROR_BANNER = ('<div role="alert" style="position:sticky;top:0;z-index:9;background:#fde8e8;color:#7a1010;'
                'border-bottom:2px solid #7a1010;padding:.6em 1em;font:14px/1.4 sans-serif;white-space:pre-wrap">'
                '<strong>The last build failed</strong>; this is the last good report.\n%s</div>')


@dataclass
class State:
    """What the server shows: the build number, the last error, where the report is."""

    folder: Path
    build: int = 0
    error: Optional[str] = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def built(self) -> None:
        with self.lock:
            self.build += 1
            self.error = None

    def failed(self, message: str) -> None:
        with self.lock:
            self.build += 1
            self.error = message


def _handler(state: State):
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(state.folder), **kwargs)

        def log_message(self, format, *args):  # noqa: A002 - the signature is http.server's
            pass  # the terminal is for what changed and what was rebuilt

        def do_GET(self):  # noqa: N802 - http.server's name
            path = self.path.split("?", 1)[0]
            if path == STATE_PATH:
                with state.lock:
                    body = json.dumps({"build": state.build, "error": state.error}).encode()
                return self._send(body, "application/json")
            if path in ("/", "/index.html", "/outcomes-report.html"):
                return self._send(self._report(), "text/html; charset=utf-8")
            return super().do_GET()

        def _report(self) -> bytes:
            from .build import REPORT_HTML

            report = state.folder / REPORT_HTML
            page = report.read_text(encoding="utf-8") if report.exists() else "<html><body></body></html>"
            with state.lock:
                error = state.error
            extra = (ERROR_BANNER % html.escape(error) if error else "")
            page = page.replace("<body>", "<body>" + extra, 1) if "<body>" in page else extra + page
            script = RELOAD_SCRIPT % {"state": STATE_PATH}
            return (page.replace("</body>", script + "</body>", 1) if "</body>" in page else page + script).encode()

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


def serve(state: State, port: int) -> ThreadingHTTPServer:
    """Start serving ``state.folder`` on loopback in a thread; return the server (its port may be chosen)."""
    server = ThreadingHTTPServer((HOST, port), _handler(state))
    threading.Thread(target=server.serve_forever, daemon=True, name="outcomes-preview-http").start()
    return server


def _watched(conference_dir: Path, output: Path):
    """Return the ``watchfiles`` filter: inputs of the conference, never the preview's own output."""
    output = output.resolve()

    def keep(change, path: str) -> bool:
        resolved = Path(path).resolve()
        if resolved == output or output in resolved.parents:
            return False
        name = resolved.name
        return not (name.startswith(".") or name.endswith(("~", ".swp", ".tmp")))

    return keep


def describe(changes, root: Path) -> str:
    """Return "curation.yml, transcripts/S02.vtt" for a set of watchfiles changes."""
    names = []
    for _, path in sorted(changes, key=lambda c: c[1]):
        try:
            names.append(str(Path(path).resolve().relative_to(root.resolve())))
        except ValueError:
            names.append(path)
    return ", ".join(dict.fromkeys(names))


def run(conference_dir, output: Optional[Path] = None, *, port: int = 8000, report_language: str = "en",
        say: Callable[[str], None] = print, stop: Optional[threading.Event] = None,
        ready: Optional[Callable[[int], None]] = None) -> None:
    """Build, serve and rebuild on change until ``stop`` is set (or the process is interrupted).

    Parameters
    ----------
    conference_dir : str or Path
        The conference folder.
    output : Path, optional
        Where the preview is built; ``reports/<name>-preview`` by default (the published
        report is left alone).
    port : int
        The loopback port (0: any free one; ``ready`` receives it).
    report_language : str
        "en" or "fr".
    say : callable
        Where to print what changed, what was rebuilt and how long it took.
    stop : threading.Event, optional
        Set it to end the loop (tests); Ctrl-C ends it otherwise.
    ready : callable, optional
        Called with the port once the first build is served.
    """
    import watchfiles

    from . import build
    from .conference import load as load_conference
    from .errors import OutcomesError

    root = Path(conference_dir)
    conference = load_conference(root)
    output = Path(output) if output else build.default_output(conference).with_name(
        build.default_output(conference).name + "-preview")
    kernel = WarmKernel()
    state = State(folder=output)

    def rebuild(what: str) -> None:
        started = time.perf_counter()
        try:
            result = build.run(root, output, report_language=report_language, pdf=False, in_process=True,
                               notebook_runner=kernel.execute)
        except OutcomesError as exc:
            state.failed(str(exc))
            say(f"build failed ({what}): {exc}; the last good report stays")
            return
        state.folder = result.output
        state.built()
        ran = ", ".join(result.executed) or "no session"
        stages = ", ".join(f"{k} {v:.1f}s" for k, v in result.timings.items() if k != "total")
        say(f"rebuilt ({what}) in {time.perf_counter() - started:.1f} s: sessions re-run: {ran}; "
            f"{'nothing changed' if result.up_to_date else 'report rendered'} ({stages}); "
            f"{len(result.warnings)} warning(s)")

    server = serve(state, port)  # the port first: a port in use fails now, not after a whole build
    actual = server.server_address[1]
    try:
        say(f"serving http://{HOST}:{actual}/ (loopback only); building the report")
        rebuild("first build")
        say(f"watching {root} — Ctrl-C to stop")
        if ready:
            ready(actual)
        for changes in watchfiles.watch(root, watch_filter=_watched(root, output), stop_event=stop,
                                        debounce=200, step=50, rust_timeout=500, yield_on_timeout=False):
            what = describe(changes, root)
            say(f"changed: {what}")
            rebuild(what)
    finally:
        kernel.close()
        server.shutdown()
        server.server_close()


class WarmKernel:
    """One Jupyter kernel kept running for the report notebook across rebuilds.

    A fresh build starts a kernel and imports pandas, matplotlib and the package for
    each notebook; a warm kernel has them already, so a curation-only change costs the
    report's own computation. Each run gets the notebook's parameters injected the
    way papermill does and is executed by nbclient on the same kernel.
    """

    def __init__(self) -> None:
        self._manager = None
        self._client = None

    def execute(self, source: Path, target: Path, parameters: dict, cwd: Path) -> None:
        """Execute ``source`` with ``parameters`` on the warm kernel and write it to ``target``.

        The notebook runner of :func:`outcomes.build.run` for the report notebook.

        Raises
        ------
        nbclient.exceptions.CellExecutionError
            When a cell fails (the build turns it into a :class:`~outcomes.errors.BuildError`).
        """
        import nbformat
        from nbclient import NotebookClient
        from papermill.iorw import load_notebook_node
        from papermill.parameterize import parameterize_notebook

        notebook = parameterize_notebook(load_notebook_node(str(source)), parameters)
        if self._manager is None:
            from .kernels import KERNEL, KERNEL_ARGUMENTS, local_kernel_manager

            self._manager = local_kernel_manager()(kernel_name=KERNEL)
            self._manager.extra_arguments = KERNEL_ARGUMENTS
        client = NotebookClient(notebook, km=self._manager, kernel_name="python3",
                                resources={"metadata": {"path": str(cwd)}})
        if self._client is not None:
            client.kc = self._client
        try:
            client.execute(cwd=str(cwd))
        finally:
            self._client = client.kc
            nbformat.write(notebook, str(target))

    def close(self) -> None:
        """Stop the kernel, if one was started."""
        if self._client is not None:
            self._client.stop_channels()
        if self._manager is not None:
            from jupyter_core.utils import run_sync

            try:
                if run_sync(self._manager.is_alive)():
                    run_sync(self._manager.shutdown_kernel)(now=True)
            except Exception:  # the kernel may already be gone; nothing to keep
                pass
        self._manager = self._client = None
