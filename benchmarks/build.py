"""Benchmark: cold, no-op and one-changed builds of the sample conference, and a large conference.

Prints, from one run on this machine:

- sample conference: cold build (empty cache, HTML and PDF), no-op rebuild, rebuild after
  one transcript changed, rebuild after a curation-only change; the ratios of the rebuilds
  to the cold build;
- the warm preview (``outcomes preview``, HTML only): seconds from saving a change (curation
  only; one transcript) until the served page has the new report;
- a generated large conference (60 sessions, over 600,000 words, made from the sample's
  transcripts) built cold, and its cost per word beside the sample's;
- peak memory of each build: the largest sum of resident memory over the build's whole
  process tree (workers, kernels, Chromium), sampled every 0.1 s;
- a reference measured in the same run: loading the pipelines and a bare ``nlp.pipe``
  over the same words, the floor of the NLP work.

Targets (issues 6 and 12): no-op at most 5% of cold; one changed at most 35%; curation-only
at most 15%; a curation-only change in the warm preview shown within 2 s; sample cold within
30 s on 2 cores; large cost per word at most 1.2x the sample's; peak memory at most 2 GB.

Usage: ``.venv/bin/python benchmarks/build.py [--skip-large]``
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample-conference"
OUTCOMES = str(Path(sys.executable).with_name("outcomes"))


def measured(command, cwd=None):
    """Run ``command``; return (seconds, peak bytes of its process tree, completed process)."""
    started = time.perf_counter()
    process = psutil.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            try:
                tree = [process] + process.children(recursive=True)
                total = 0
                for member in tree:
                    try:
                        total += member.memory_info().rss
                    except psutil.Error:
                        pass
                peak[0] = max(peak[0], total)
            except psutil.Error:
                pass
            done.wait(0.1)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    stdout, stderr = process.communicate()
    done.set()
    watcher.join()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"build failed: {' '.join(map(str, command))}\n{stderr[-3000:]}")
    return seconds, peak[0], stdout


def words_of(conference: Path) -> int:
    from outcomes import conference as conferences

    conf = conferences.load(conference)
    return sum(conf.read_transcript(s).words for s in conf.sessions)


def reference(conference: Path) -> float:
    """Seconds to load the pipelines and run a bare nlp.pipe over every turn."""
    code = (
        "import spacy, time\n"
        "from outcomes import conference, nlp\n"
        f"c = conference.load({str(conference)!r})\n"
        "loaded = {}\n"
        "for s in c.sessions:\n"
        "    if s.language not in loaded:\n"
        "        loaded[s.language] = spacy.load(next(n for n in nlp.pipeline_names(s.language) if spacy.util.is_package(n)))\n"
        "    for _ in loaded[s.language].pipe(t.text for t in c.read_transcript(s).turns):\n"
        "        pass\n"
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - started


def warm_preview(conference: Path, output: Path) -> tuple:
    """Return seconds from saving a change until the preview serves the new report: (curation, transcript)."""
    import json
    import threading
    import urllib.request

    from outcomes import preview

    ports, stop = [], threading.Event()
    thread = threading.Thread(target=preview.run, args=(conference, output),
                              kwargs={"port": 0, "say": lambda line: None, "stop": stop, "ready": ports.append},
                              daemon=True)
    thread.start()
    while not ports:
        time.sleep(0.1)

    def build_number() -> int:
        url = f"http://127.0.0.1:{ports[0]}{preview.STATE_PATH}"
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.loads(response.read())["build"]

    def until_shown(change) -> float:
        before = build_number()
        started = time.perf_counter()
        change()
        while build_number() == before:
            time.sleep(0.02)
        return time.perf_counter() - started

    curation = conference / "curation.yml"
    text = curation.read_text(encoding="utf-8")
    assert "status: draft" in text
    curated = until_shown(lambda: curation.write_text(text.replace("status: draft", "status: final"),
                                                      encoding="utf-8"))
    transcript = conference / "transcripts" / "S08-digital-divide.txt"

    def add_line():
        with open(transcript, "a", encoding="utf-8") as handle:
            handle.write("\nDavid Mensah: We recommend a regional training course on laboratory data.\n")

    one = until_shown(add_line)
    stop.set()
    thread.join(timeout=60)
    return curated, one


def large_conference(target: Path, sessions: int = 60, copies: int = 4) -> Path:
    """Write a conference of ``sessions`` sessions, each ``copies`` times a sample transcript, as text."""
    from outcomes import conference as conferences

    sample = conferences.load(SAMPLE)
    (target / "transcripts").mkdir(parents=True)
    manifest = (SAMPLE / "conference.yml").read_text(encoding="utf-8")
    head = manifest[: manifest.index("\nsessions:")]
    entries = []
    for index in range(sessions):
        source = sample.sessions[index % len(sample.sessions)]
        transcript = sample.read_transcript(source)
        lines = []
        for _ in range(copies):
            for turn in transcript.turns:
                who = turn.speaker + (f" ({turn.delegation})" if turn.delegation else "")
                lines.append(f"{who}: {turn.text}")
        name = f"L{index + 1:02d}.txt"
        (target / "transcripts" / name).write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        day = source.date.isoformat()
        entries.append(f"  - id: L{index + 1:02d}\n    title: \"{source.title} ({index // len(sample.sessions) + 1})\"\n"
                       f"    date: {day}\n    language: {source.language}\n    chair: \"{source.chair}\"\n"
                       f"    transcript: transcripts/{name}")
    (target / "conference.yml").write_text(head + "\nsessions:\n" + "\n".join(entries) + "\n", encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-large", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="outcomes-bench-") as folder:
        folder = Path(folder)
        conference = folder / "sample-conference"
        shutil.copytree(SAMPLE, conference)
        output = folder / "reports" / "sample"
        build = [OUTCOMES, "build", str(conference), "--output", str(output), "--build-date", "2024-10-25", "-q"]
        words = words_of(conference)
        ref = reference(conference)
        cold, cold_peak, _ = measured(build)
        noop, noop_peak, _ = measured(build)
        changed_file = conference / "transcripts" / "S03-laboratoires.txt"
        with open(changed_file, "a", encoding="utf-8") as handle:
            handle.write("\n[00:20:30] Amal Benali : Nous recommandons un exercice régional de vérification.\n")
        one, one_peak, _ = measured(build)
        curation = conference / "curation.yml"
        assert 'version: "0.3"' in curation.read_text(encoding="utf-8")
        curation.write_text(curation.read_text(encoding="utf-8").replace('version: "0.3"', 'version: "0.4"'),
                            encoding="utf-8")
        curated, curated_peak, _ = measured(build)
        warm_curated, warm_one = warm_preview(conference, folder / "reports" / "preview")
        pages = subprocess.run(["pdfinfo", str(output / "outcomes-report.pdf")], capture_output=True,
                               text=True).stdout
        rows.append(("sample: reference (load pipelines + bare nlp.pipe)", ref, None, words))
        rows.append(("sample: cold build (HTML + PDF)", cold, cold_peak, words))
        rows.append(("sample: no-op rebuild", noop, noop_peak, words))
        rows.append(("sample: one transcript changed", one, one_peak, words))
        rows.append(("sample: curation-only change", curated, curated_peak, words))
        rows.append(("warm preview: curation-only change shown", warm_curated, None, words))
        rows.append(("warm preview: one transcript changed shown", warm_one, None, words))
        large = None
        if not args.skip_large:
            big = large_conference(folder / "large-conference")
            big_words = words_of(big)
            big_ref = reference(big)
            big_out = folder / "reports" / "large"
            large, large_peak, _ = measured([OUTCOMES, "build", str(big), "--output", str(big_out),
                                             "--build-date", "2024-10-25", "-q"])
            big_pages = subprocess.run(["pdfinfo", str(big_out / "outcomes-report.pdf")], capture_output=True,
                                       text=True).stdout
            rows.append(("large: reference (load pipelines + bare nlp.pipe)", big_ref, None, big_words))
            rows.append(("large: cold build, 60 sessions (HTML + PDF)", large, large_peak, big_words))

    print(f"{'measure':<52}{'seconds':>9}{'peak MB':>9}{'words':>10}{'ms/word':>9}")
    for name, seconds, peak, count in rows:
        mem = f"{peak / 2**20:>9.0f}" if peak else f"{'':>9}"
        print(f"{name:<52}{seconds:>9.1f}{mem}{count:>10,}{1000 * seconds / count:>9.3f}")
    print(f"no-op / cold: {noop / cold:.0%} (target <= 5%)")
    print(f"one changed / cold: {one / cold:.0%} (target <= 35%)")
    print(f"curation-only / cold: {curated / cold:.0%} (target <= 15%)")
    print(f"warm preview, curation-only: {warm_curated:.1f} s (target <= 2 s); one transcript: {warm_one:.1f} s "
          f"({warm_one / cold:.0%} of cold)")
    print(f"sample cold: {cold:.1f} s (target <= 30 s); PDF pages: {pages.split('Pages:')[1].split()[0]}")
    if large is not None:
        ratio = (large / big_words) / (cold / words)
        print(f"large cost per word / sample's: {ratio:.2f}x (target <= 1.2x); PDF pages: "
              f"{big_pages.split('Pages:')[1].split()[0]}")
        print(f"peak memory, large build: {large_peak / 2**20:.0f} MB (target <= 2048 MB)")


if __name__ == "__main__":
    main()
