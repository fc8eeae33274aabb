"""The ``outcomes`` command: a thin click group over the library.

Exit status: 0 success; 1 the build failed (a notebook, the HTML or the PDF, a full or
read-only disk, another build publishing to the same folder); 2 bad input (a manifest,
transcript, codebook or curation file), an output folder outcomes may not use, or bad usage.
Errors are one line on standard error, never a traceback. Text read from a file is shown
with its control characters escaped, so a transcript cannot drive the terminal.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Optional

import click

from .errors import InputError, OutcomesError

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
# C0 and C1 controls, DEL, and the bidi embeddings, overrides and isolates: in a terminal they
# move the cursor, recolour, retitle the window or reorder the line.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Return ``text`` with every control character written as an escape (``\\x1b``, ``\\u202e``)."""
    return _UNPRINTABLE.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), str(text))


def _say(text: str) -> None:
    click.echo(printable(text), err=True)


class _Failure(click.ClickException):
    """An error shown as ``outcomes: error: ...`` with our exit status."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        _say(f"outcomes: error: {self.format_message()}")


def _fail(exc: OutcomesError) -> _Failure:
    return _Failure(str(exc), EXIT_BAD_INPUT if isinstance(exc, InputError) else EXIT_FAILED)


def _internal(exc: Exception) -> _Failure:
    """Return the one line shown for a bug of ours; ``OUTCOMES_DEBUG=1`` re-raises for the traceback."""
    if os.environ.get("OUTCOMES_DEBUG"):
        raise exc
    return _Failure(f"internal error: {type(exc).__name__}: {exc} (this is a bug in outcomes; "
                    "rerun with OUTCOMES_DEBUG=1 for the traceback and report it)", EXIT_FAILED)


def _date(value: Optional[str]) -> Optional[str]:
    from .build import check_build_date

    if value is None:
        return None
    try:
        return check_build_date(value)
    except InputError as exc:
        raise click.BadParameter(printable(exc.message)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="outcomes")
def main() -> None:
    """Turn a conference's session transcripts into an outcomes report."""


@main.command()
@click.argument("conference_dir", type=click.Path(file_okay=False))
@click.option("--output", "-o", type=click.Path(file_okay=False), default=None,
              help="Where to publish the report [default: reports/<conference folder name>].")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Session notebooks run at once [default: number of cores].")
@click.option("--report-language", type=click.Choice(["en", "fr"]), default="en", show_default=True,
              help="Language of headings, captions, dates and numbers (quotes stay as spoken).")
@click.option("--no-pdf", is_flag=True, help="Skip the PDF (no Chromium needed).")
@click.option("--build-date", default=None, callback=lambda ctx, param, value: _date(value),
              help="Date printed on the title page (YYYY-MM-DD) [default: today].")
@click.option("--force", is_flag=True, help="Ignore the cache: analyse and execute everything again.")
@click.option("--quiet", "-q", is_flag=True, help="No progress or summary: print only the published files.")
def build(conference_dir: str, output: Optional[str], jobs: Optional[int], report_language: str, no_pdf: bool,
          build_date: Optional[str], force: bool, quiet: bool) -> None:
    """Build the outcomes report of CONFERENCE_DIR (HTML, PDF, findings.csv, manifest.json)."""
    from . import build as builder

    say = None if quiet else (lambda line: click.echo(f"  {line}", err=True))
    try:
        result = builder.run(conference_dir, output, jobs=jobs, report_language=report_language, pdf=not no_pdf,
                             build_date=build_date, force=force, progress=say,
                             progress_bar=not quiet and sys.stderr.isatty())
    except OutcomesError as exc:
        raise _fail(exc) from None
    except Exception as exc:  # a bug of ours: say so in one line, keep the traceback for those who ask
        raise _internal(exc) from None
    if quiet and result.warnings:  # one line, so that a warning is never missed
        _say(f"{len(result.warnings)} warning{'s' if len(result.warnings) != 1 else ''}: read them in the report's "
             f"annex (Warnings) or in {result.output / 'manifest.json'}, or run without --quiet")
    if not quiet:
        for warning in result.warnings:
            _say(f"warning: {warning}")
        stages = ", ".join(f"{k} {v:.1f}s" for k, v in result.timings.items())
        click.echo(f"  time: {stages}", err=True)
        if result.up_to_date:
            click.echo("  the published report is up to date: nothing was run", err=True)
    for path in result.files:
        if path.suffix in (".html", ".pdf") or quiet is False:
            click.echo(printable(str(path)))


@main.command()
@click.argument("conference_dir", type=click.Path(file_okay=False))
@click.option("--port", "-p", type=click.IntRange(min=0, max=65535), default=8000, show_default=True,
              help="Loopback port to serve the report on (0: any free port).")
@click.option("--output", "-o", type=click.Path(file_okay=False), default=None,
              help="Where the preview is built [default: reports/<conference folder name>-preview].")
@click.option("--report-language", type=click.Choice(["en", "fr"]), default="en", show_default=True,
              help="Language of headings, captions, dates and numbers.")
def preview(conference_dir: str, port: int, output: Optional[str], report_language: str) -> None:
    """Build CONFERENCE_DIR's report, serve it on 127.0.0.1, and rebuild it whenever an input changes.

    The open page reloads by itself after each rebuild; a failed build shows its error
    in the page and here, and the last good report stays. Ctrl-C stops.
    """
    from . import preview as previewer

    try:
        previewer.run(conference_dir, Path(output) if output else None, port=port,
                      report_language=report_language, say=_say)
    except KeyboardInterrupt:
        _say("preview stopped")
    except OSError as exc:  # the port is taken, or not ours to use
        raise _Failure(f"cannot serve on {previewer.HOST}:{port}: {exc.strerror or exc}", EXIT_BAD_INPUT) from None
    except OutcomesError as exc:
        raise _fail(exc) from None


@main.command()
@click.argument("conference_dir", type=click.Path(file_okay=False))
def validate(conference_dir: str) -> None:
    """Check CONFERENCE_DIR's manifest and read every transcript; print each problem as path:line: message."""
    from .build import check_inputs
    from .conference import load

    try:
        conference = load(conference_dir)
    except OutcomesError as exc:
        raise _fail(exc) from None
    errors: list = []
    warnings = check_inputs(conference, errors)
    for warning in warnings:
        _say(f"warning: {warning}")
    if errors:
        for error in errors[:-1]:
            _say(f"outcomes: error: {error}")
        raise _fail(errors[-1])
    click.echo(printable(f"{conference_dir}: ok ({len(conference.sessions)} sessions)"))


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True,
              help="One line per turn as a table, or one JSON object per turn.")
@click.option("--lang", type=click.Choice(["en", "fr", "auto"]), default="auto", show_default=True,
              help="The transcript's language; auto detects it and says so on standard error.")
@click.option("--reader", type=str, default=None, help="Force a reader (text, webvtt, srt, diarised, docx).")
def turns(file: str, fmt: str, lang: str, reader: Optional[str]) -> None:
    """Print the turns of a transcript FILE as read (speaker, delegation, start, end, text, line)."""
    from .conference import session_for
    from .gazetteer import canonical_delegation
    from .transcripts import SpeakerDirectory, read

    found = session_for(file)
    directory = found[0].directory(found[1]) if found else SpeakerDirectory(delegation_names=canonical_delegation)
    try:
        transcript = read(file, fmt=reader or (found[1].format if found else None), directory=directory)
    except OutcomesError as exc:
        raise _fail(exc) from None
    for warning in transcript.warnings:
        _say(f"warning: {warning}")
    if lang == "auto":
        from .language import detect

        try:
            click.echo(f"language: {detect(t.text for t in transcript.turns)} (detected)", err=True)
        except ValueError as exc:
            _say(f"warning: {file}: {exc}")
    for turn in transcript.turns:
        record = {"speaker": turn.speaker, "delegation": turn.delegation, "affiliation": turn.affiliation,
                  "start": turn.start, "end": turn.end, "text": turn.text, "line": turn.line}
        if fmt == "jsonl":
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            when = "" if turn.start is None else f"{turn.start:8.1f}"
            who = turn.speaker + (f" ({turn.delegation})" if turn.delegation
                                  else f", {turn.affiliation}" if turn.affiliation else "")
            click.echo(printable(f"{turn.line:>5} {when:>8}  {who}: {turn.text[:100]}"))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--lang", type=click.Choice(["en", "fr", "auto"]), default="auto", show_default=True,
              help="Language of the transcripts; auto detects it per file.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True,
              help="A readable table, or one JSON object per themed sentence (a stable interface).")
@click.option("--codebook", "codebook_path", default="default", show_default=True,
              help="A codebook YAML file.")
def themes(paths, lang: str, fmt: str, codebook_path: str) -> None:
    """Print the sentences of each transcript in PATHS that carry a theme, with scores and cues.

    With --format jsonl, one object per sentence: source, turn, start, end, text,
    speaker, themes, scores, cues.
    """
    from . import nlp as pipelines
    from .analysis import theme_records
    from .gazetteer import canonical_delegation
    from .language import detect
    from .transcripts import SpeakerDirectory, read

    for path in paths:
        try:
            transcript = read(path, directory=SpeakerDirectory(delegation_names=canonical_delegation))
            language = lang
            if language == "auto":
                try:
                    language = detect(t.text for t in transcript.turns)
                except ValueError as exc:
                    raise _Failure(f"{path}: {exc}; give --lang", EXIT_BAD_INPUT) from None
            nlp = pipelines.load(language, codebook_path)
        except OutcomesError as exc:
            raise _fail(exc) from None
        for warning in transcript.warnings:
            _say(f"warning: {warning}")
        try:
            for record in theme_records(path, transcript, nlp):
                if fmt == "jsonl":
                    click.echo(json.dumps(record, ensure_ascii=False))
                else:
                    scores = " ".join(f"{t}={record['scores'][t]:.2f}" for t in record["themes"])
                    click.echo(printable(f"{path}:{record['turn']} {record['speaker']}: {scores} | "
                                         f"{record['text'][:110]}"))
        except OutcomesError as exc:
            raise _fail(exc) from None
        except Exception as exc:
            raise _internal(exc) from None


def _realtext_lines(table) -> list:
    """Return the real-text table as text lines: per language and part, each theme and the macro row."""
    lines = [f"{'language':<9}{'part':<6}{'theme':<21}{'precision':>10}{'recall':>8}{'F1':>7}  {'95% interval':<14}"
             f"{'kappa':>6}{'support':>9}{'predicted':>10}"]
    for row in table.itertuples():
        lines.append(f"{row.language:<9}{row.part:<6}{row.theme:<21}{row.precision:>10.3f}{row.recall:>8.3f}"
                     f"{row.f1:>7.3f}  {f'[{row.f1_low:.3f}, {row.f1_high:.3f}]':<14}{row.kappa:>6.3f}"
                     f"{row.support:>9}{row.predicted:>10}")
    return lines


def _gold_lines(table, split: str) -> list:
    """Return the own-gold table as text lines, with the verdict on the targets or the dev caveat."""
    sizes = ", ".join(f"{l}: {n} sentences" for l, n in table.groupby("language")["sentences"].first().items())
    lines = [f"split: {split} ({sizes})",
             f"{'language':<9}{'theme':<21}{'precision':>10}{'recall':>8}{'F1':>7}{'kappa':>7}{'support':>9}"]
    for row in table.itertuples():
        lines.append(f"{row.language:<9}{row.theme:<21}{row.precision:>10.3f}{row.recall:>8.3f}{row.f1:>7.3f}"
                     f"{row.kappa:>7.3f}{row.support:>9}")
    if split == "test":
        from .evaluation import targets

        lines += [f"target {language}: {verdict}" for language, verdict in targets(table).items()]
    else:
        lines.append("note: the dev split was used to tune the codebook and train the classifier; "
                     "its scores are optimistic. Use --split test for accuracy.")
    return lines


def _records(frame):
    """Return a table as JSON-ready records rounded to 4 places, or None for no table."""
    return None if frame is None else json.loads(frame.round(4).to_json(orient="records"))


def _realtext_errors(languages, folder):
    """Return the dev part's errors by cue, all languages in one table."""
    import pandas as pd

    from . import evaluation

    frames = []
    for language in languages:
        table = evaluation.cue_table(evaluation.realtext_errors(language, folder))
        table.insert(0, "language", language)
        frames.append(table)
    return pd.concat(frames, ignore_index=True) if frames else None


@main.command()
@click.option("--split", type=click.Choice(["test", "dev"]), default="test", show_default=True,
              help="Own gold: test is the frozen held-out split; dev is the tuning split.")
@click.option("--part", type=click.Choice(["both", "test", "dev"]), default="both", show_default=True,
              help="Real text: the frozen test part of the document split, the dev part (may be tuned on), or both.")
@click.option("--lang", "languages", multiple=True, type=click.Choice(["en", "fr"]),
              help="Languages to score [default: en and fr].")
@click.option("--realtext", "realtext_dir", type=click.Path(file_okay=False), default=None,
              help="Folder of the real texts [default: $OUTCOMES_REALTEXT, else ../shared/realtext beside the project].")
@click.option("--errors", "show_errors", is_flag=True,
              help="Also count the real text's dev-part false positives and negatives by the cue that fired.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def evaluate(split: str, part: str, languages, realtext_dir: Optional[str], show_errors: bool, fmt: str) -> None:
    """Score theme extraction: on real text (the headline), then on the project's own gold sentences.

    Real text is third-party paragraphs read by path, scored per paragraph (the union of its
    sentences' themes) with a 95% bootstrap interval of F1; it is skipped, in one line, when absent.
    Both measures give precision, recall, F1 and Cohen's kappa per theme and language.
    """
    import time

    from . import evaluation, realtext

    languages = list(languages) or ["en", "fr"]
    parts = ["dev", "test"] if part == "both" else [part]
    present = [language for language in languages if realtext.available(language, realtext_dir)]
    missing = realtext.missing_message(languages, realtext_dir) if len(present) < len(languages) else None
    timings = {}
    try:
        started = time.perf_counter()
        real = evaluation.evaluate_realtext(present, parts, realtext_dir) if present else None
        errors = _realtext_errors(present, realtext_dir) if show_errors and present else None
        timings["real text"] = time.perf_counter() - started
        started = time.perf_counter()
        table = evaluation.evaluate(languages, split)
        timings["own gold"] = time.perf_counter() - started
    except OutcomesError as exc:
        raise _fail(exc) from None
    if fmt == "json":
        if missing:
            _say(missing)
        click.echo(json.dumps({"realtext": _records(real), "realtext_missing": missing,
                               "realtext_errors_dev": _records(errors), "gold": _records(table)}, indent=1))
        return
    lines = [] if real is None else [
        "real text (headline; per paragraph, F1 with a 95% bootstrap interval over paragraphs):",
        *_realtext_lines(real)]
    lines += [missing] if missing else []
    if errors is not None:
        lines += ["", "dev-part errors by cue (paragraphs holding the cue):",
                  f"{'language':<9}{'theme':<21}{'error':<7}{'paragraphs':>10}  cue"]
        lines += [f"{r.language:<9}{r.theme:<21}{r.error:<7}{r.paragraphs:>10}  {r.cue}" for r in errors.itertuples()]
    for line in lines + ["", "own gold (sentences written for the project; a second figure):"] + _gold_lines(table, split):
        click.echo(printable(line))
    click.echo("  time: " + ", ".join(f"{k} {v:.1f}s" for k, v in timings.items()), err=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
