"""`outcomes preview`: build, serve on loopback, rebuild on change, keep the last good report (issue 12)."""

from __future__ import annotations

import contextlib
import json
import shutil
import threading
import time
import urllib.request

import pytest

from outcomes import preview


def _get(port: int, path: str = "/") -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.read().decode("utf-8")


@contextlib.contextmanager
def _browser():
    """Headless Chromium (the system's, as the PDF uses) through Playwright."""
    from playwright.sync_api import sync_playwright

    from outcomes.render import find_chromium

    executable = find_chromium()
    if executable is None:
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


def _build_number(port: int) -> dict:
    return json.loads(_get(port, preview.STATE_PATH))


def _wait(port: int, build: int, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = _build_number(port)
        if state["build"] >= build:
            return state
        time.sleep(0.2)
    raise AssertionError(f"no build {build} within {timeout} s")


@pytest.mark.e2e
def test_preview_serves_rebuilds_on_change_and_keeps_the_last_good_report(tiny_conference, tmp_path):
    work = tmp_path / "conf"
    shutil.copytree(tiny_conference, work)
    said, ports, stop = [], [], threading.Event()
    thread = threading.Thread(target=preview.run, args=(work, tmp_path / "out"),
                              kwargs={"port": 0, "say": said.append, "stop": stop, "ready": ports.append},
                              daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 180
        while not ports and time.monotonic() < deadline and thread.is_alive():
            time.sleep(0.2)
        assert ports, said
        port = ports[0]
        page = _get(port)
        assert "Tiny Conference on Verification" in page and preview.STATE_PATH in page  # the reload script
        # the reload script is in the served page only, never in the published file
        assert preview.STATE_PATH not in (tmp_path / "out" / "outcomes-report.html").read_text(encoding="utf-8")
        first = _build_number(port)["build"]

        # a curation-only change: the report is rendered again, no session re-runs; a real browser
        # showing the page sees it appear without being told to reload
        with _browser() as browser:
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/")
            assert "A summary written during the preview." not in page.content()
            (work / "curation.yml").write_text("executive_summary: |\n  A summary written during the preview.\n",
                                               encoding="utf-8")
            page.wait_for_function("document.body && document.body.innerText.includes("
                                   "'A summary written during the preview.')", timeout=180_000)
            assert page.url == f"http://127.0.0.1:{port}/"
        state = _wait(port, first + 1)
        assert state["error"] is None, state
        assert "A summary written during the preview." in _get(port)
        assert any(line.startswith("changed: curation.yml") for line in said), said
        assert any("sessions re-run: no session" in line for line in said), said

        # a broken manifest: the error shows in the page and the terminal, the last good report stays
        manifest = (work / "conference.yml").read_text(encoding="utf-8")
        (work / "conference.yml").write_text(manifest + "\nsessions: [\n", encoding="utf-8")
        state = _wait(port, first + 2)
        assert state["error"] and "conference.yml" in state["error"]
        page = _get(port)
        assert "The last build failed" in page and "A summary written during the preview." in page
        assert any(line.startswith("build failed") for line in said), said
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not thread.is_alive()


def test_the_server_listens_on_loopback_only(tmp_path):
    state = preview.State(folder=tmp_path)
    server = preview.serve(state, 0)
    try:
        host, port = server.server_address
        assert host == "127.0.0.1"
        assert _build_number(port) == {"build": 0, "error": None}
    finally:
        server.shutdown()
        server.server_close()


def test_a_change_is_described_relative_to_the_conference(tmp_path):
    changes = {(1, str(tmp_path / "transcripts" / "S02.vtt")), (2, str(tmp_path / "curation.yml"))}
    assert preview.describe(changes, tmp_path) == "curation.yml, transcripts/S02.vtt"


def test_a_port_in_use_is_one_line_and_status_2(tiny_conference):
    import socket

    from click.testing import CliRunner

    from outcomes.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["preview", str(tiny_conference), "--port", str(port)])
    assert result.exit_code == 2
    assert "cannot serve on 127.0.0.1" in result.output and "Traceback" not in result.output
