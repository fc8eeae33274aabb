"""Export the executed report notebook with nbconvert: self-contained HTML, and A4 PDF.

The PDF is nbconvert's ``webpdf`` route (HTML printed by a headless browser),
with one change: :class:`ChromiumPDFExporter` drives the system's Chromium
(Debian's ``chromium``) instead of a browser Playwright would download, adds
page numbers, and takes A4 from the template's ``@page`` rule. It is
registered as the ``outcomes_webpdf`` nbconvert exporter.
"""

from __future__ import annotations

import concurrent.futures
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path
from typing import Optional

import nbformat
from nbconvert import HTMLExporter
from nbconvert.exporters.webpdf import WebPDFExporter
from nbconvert.preprocessors import TagRemovePreprocessor
from traitlets import Unicode
from traitlets.config import Config

from .errors import RenderError

TEMPLATE = "outcomes"
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# The browser must not try to reach the network: no update checks, no sync, no field trials.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--metrics-recording-only", "--no-pings",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
]
#: Above this size of HTML, Chromium prints in one process: slower, but about 470 MB lighter on a
#: 600-page report (measured), which keeps a 60-session build under 2 GB.
SINGLE_PROCESS_BYTES = 2_000_000
FOOTER = ('<div style="font-size:8px;font-family:DejaVu Sans,Arial,sans-serif;color:#5b6775;width:100%;'
          'text-align:center;"><span class="pageNumber"></span> / <span class="totalPages"></span></div>')


def template_dir() -> Path:
    """Return the folder that holds the ``outcomes`` nbconvert template."""
    return Path(str(resources.files("outcomes") / "templates"))


def find_chromium() -> Optional[str]:
    """Return the path of a system Chromium, or None (``OUTCOMES_CHROMIUM`` overrides)."""
    configured = os.environ.get("OUTCOMES_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _config() -> Config:
    config = Config()
    config.TemplateExporter.extra_template_basedirs = [str(template_dir())]
    config.TemplateExporter.template_name = TEMPLATE
    config.TemplateExporter.exclude_input = True
    config.TemplateExporter.exclude_input_prompt = True
    config.TemplateExporter.exclude_output_prompt = True
    # parameter cells have no output; papermill gives its injected cell a random id, which would
    # make two builds of the same inputs differ
    config.TagRemovePreprocessor.remove_cell_tags = {"remove-cell", "parameters", "injected-parameters"}
    config.TagRemovePreprocessor.remove_input_tags = {"remove-input"}
    config.TagRemovePreprocessor.enabled = True
    return config


def _prepare(exporter) -> None:
    exporter.register_preprocessor(TagRemovePreprocessor(config=exporter.config), enabled=True)


class ChromiumPDFExporter(WebPDFExporter):
    """Print the report to PDF with the system's Chromium, A4, page numbers in the footer."""

    export_from_notebook = "PDF (outcomes, system Chromium)"
    chromium_path = Unicode("", help="Path of the Chromium executable; found on PATH when empty.").tag(config=True)

    def _executable(self) -> str:
        path = self.chromium_path or find_chromium()
        if not path:
            raise RenderError("no Chromium found to print the PDF; install Debian's 'chromium' package "
                              "(apt-get install chromium) or set OUTCOMES_CHROMIUM to a Chromium executable")
        return path

    def run_playwright(self, html: str) -> bytes:
        """Print ``html`` to PDF bytes (called by nbconvert with the rendered report)."""
        executable = self._executable()
        arguments = CHROMIUM_ARGS + (["--single-process"] if len(html) > SINGLE_PROCESS_BYTES else [])

        def render(page_file: str) -> bytes:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=executable, args=arguments,
                                                     handle_sigint=False, handle_sigterm=False, handle_sighup=False)
                try:
                    page = browser.new_page()
                    # Only the report file itself may load: any other request is refused.
                    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                               else route.abort())
                    page.emulate_media(media="print")
                    page.goto(Path(page_file).as_uri(), wait_until="load")
                    return page.pdf(format="A4", prefer_css_page_size=True, print_background=True,
                                    display_header_footer=True, header_template="<div></div>",
                                    footer_template=FOOTER, margin={"top": "20mm", "bottom": "20mm",
                                                                    "left": "18mm", "right": "18mm"})
                finally:
                    browser.close()

        with tempfile.TemporaryDirectory(prefix="outcomes-pdf-") as folder:
            page_file = os.path.join(folder, "report.html")
            Path(page_file).write_text(html, encoding="utf-8")
            # Playwright's sync API refuses to run inside an asyncio loop (Jupyter): use a worker thread.
            with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
                try:
                    return pool.submit(render, page_file).result()
                except RenderError:
                    raise
                except Exception as exc:  # playwright raises its own Error types
                    raise RenderError(f"Chromium could not print the report ({type(exc).__name__}: "
                                      f"{str(exc).splitlines()[0] if str(exc) else ''})") from exc


def export_html(notebook: nbformat.NotebookNode) -> str:
    """Return the report notebook as one self-contained HTML page, code hidden."""
    exporter = HTMLExporter(config=_config())
    _prepare(exporter)
    html, _ = exporter.from_notebook_node(notebook)
    return html


def print_pdf(html: str) -> bytes:
    """Return the report's HTML (from :func:`export_html`) printed to an A4 PDF.

    The same template renders both, so printing the HTML already made spares a
    second nbconvert rendering of the notebook.

    Raises
    ------
    RenderError
        When no Chromium is installed or it fails to print.
    """
    return ChromiumPDFExporter(config=_config()).run_playwright(html)

