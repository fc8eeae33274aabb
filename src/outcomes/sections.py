"""The report's chapters as HTML fragments, for the report notebook to display.

Everything that comes from a transcript, the manifest, the codebook or the
curation is escaped here: text is data and never becomes markup. It is also
isolated for the bidirectional algorithm (:func:`isolate`), so that a right-to-left
override in a speaker's name cannot reorder the attribution or the finding id
around it. Paragraphs are numbered through the whole document, in the style of
OPCW reports.
"""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path
from typing import Iterable, List, Optional, Sequence

import pandas as pd

from . import figures, pages
from .markup import escaped as _e
from .markup import isolate
from .aggregate import Report
from .aggregate import cooccurrence as aggregate_cooccurrence
from .nlp.textcat import MODEL_WEIGHT
from .i18n import STRINGS, clock, date, date_range, decimal, language_name, number, percent, text

CHAPTERS = ("summary", "themes", "sessions", "proposals", "participation", "annexes")
#: The parts of the report in reading order, as the report notebook shows them.
PARTS = ("title_page", "contents", "executive_summary", "themes_chapter", "sessions_chapter", "proposals_chapter",
         "participation_chapter", "annexes")


class HTMLFragment:
    """A piece of report HTML that Jupyter displays as HTML (and as a short text otherwise)."""

    def __init__(self, html: str, label: str):
        self.html = html
        self.label = label

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<{self.label}>"


class ReportView:
    """Lay out a :class:`~outcomes.aggregate.Report` as numbered HTML chapters.

    Parameters
    ----------
    report : Report
        The aggregated report.
    language : str
        "en" or "fr": the language of headings, captions, dates and numbers.
    build_date : str, optional
        ISO date printed on the title page (the only field that varies between builds).
    """

    def __init__(self, report: Report, language: str = "en", build_date: Optional[str] = None):
        self.report = report
        self.language = language
        self.build_date = build_date or dt.date.today().isoformat()
        self._paragraph = 0
        self._figure = 0
        self.labels = {t.id: t.label(language) for t in report.codebook.themes}
        # The whole document is laid out once, in reading order, so that paragraph and figure
        # numbers belong to the report, not to the order in which a notebook's cells run:
        # re-running one cell shows the same numbers.
        self._parts = {name: getattr(self, f"_render_{name}")() for name in PARTS}

    def title_page(self) -> HTMLFragment:
        """Return the title page."""
        return self._parts["title_page"]

    def contents(self) -> HTMLFragment:
        """Return the table of contents."""
        return self._parts["contents"]

    def executive_summary(self) -> HTMLFragment:
        """Return chapter 1: key figures, theme prominence, key messages."""
        return self._parts["executive_summary"]

    def themes_chapter(self) -> HTMLFragment:
        """Return chapter 2: one section per theme, with where it came up, key statements, proposals."""
        return self._parts["themes_chapter"]

    def sessions_chapter(self) -> HTMLFragment:
        """Return chapter 3: one section per session."""
        return self._parts["sessions_chapter"]

    def proposals_chapter(self) -> HTMLFragment:
        """Return chapter 4: every proposal and recommendation, grouped by theme."""
        return self._parts["proposals_chapter"]

    def participation_chapter(self) -> HTMLFragment:
        """Return chapter 5: speakers, delegations and organisations, words spoken."""
        return self._parts["participation_chapter"]

    def annexes(self) -> HTMLFragment:
        """Return the annexes: methodology, provenance, list of sessions, warnings."""
        return self._parts["annexes"]

    # -- helpers ---------------------------------------------------------
    def t(self, key: str, **values) -> str:
        """Return a report string in the view's language."""
        return text(self.language, key, **values)

    def n(self, value) -> str:
        """Return a number formatted for the view's language."""
        return number(value, self.language)

    def markup(self, key: str, **html: str) -> str:
        """Return report string ``key`` as HTML, its placeholders filled with ``html`` (already HTML).

        The string itself is escaped; each value goes in as given, so that input
        text can arrive isolated (see :func:`isolate`).
        """
        # formatted with its own placeholders, the string comes back as the template
        template = self.t(key, **{name: "{" + name + "}" for name in html})
        return _e(template).format(**html)

    def para(self, html: str, cls: str = "", anchor: str = "") -> str:
        """Return a numbered paragraph (``html`` and ``anchor`` must already be escaped)."""
        self._paragraph += 1
        anchor = f'id="{anchor}" ' if anchor else ""
        return (f'<p {anchor}class="para {cls}"><span class="para-num">{self._paragraph}.</span> '
                f'<span class="para-text">{html}</span></p>')

    def figure(self, svg: str, caption_key: str, alt: str) -> str:
        """Return a figure with its caption and alt text, the SVG embedded as a data URI."""
        self._figure += 1
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        caption = self.t(caption_key, n=self._figure)
        return (f'<figure class="figure"><img src="data:image/svg+xml;base64,{data}" alt="{_e(alt)}" />'
                f"<figcaption>{_e(caption)}</figcaption></figure>")

    def table(self, frame: pd.DataFrame, headers: Sequence[str], cls: str = "") -> str:
        """Return a table with escaped cells, text cells isolated; numeric columns (and their headers) align right."""

        def numeric(value) -> bool:
            return isinstance(value, (int, float)) and not isinstance(value, bool) or (
                isinstance(value, str) and bool(value) and value.replace("\u202f", "").replace(",", "")
                .replace(".", "").replace("%", "").replace("\u00a0", "").strip().isdigit())

        rows = list(frame.itertuples(index=False))
        right = [bool(rows) and all(numeric(row[i]) or row[i] in ("", None) for row in rows) and
                 any(numeric(row[i]) for row in rows) for i in range(len(headers))]
        head = "".join(f'<th class="{"num" if right[i] else ""}">{_e(h)}</th>' for i, h in enumerate(headers))
        thead = f"<thead><tr>{head}</tr></thead>" if any(headers) else ""
        # a numeric cell holds only digits and separators, so no bidi control; any other cell may be input text
        cells = [_e if right[i] else isolate for i in range(len(headers))]
        body = "".join("<tr>" + "".join(f'<td class="{"num" if right[i] else ""}">{cells[i](v)}</td>'
                                        for i, v in enumerate(row)) + "</tr>" for row in rows)
        return f'<table class="data {cls}">{thead}<tbody>{body}</tbody></table>'

    def attribution(self, row) -> str:
        """Return "Speaker (Delegation), session S01, 0:12:03" for a finding, as HTML."""
        # isolate() is empty for None and for the NaN that a missing delegation becomes in some tables
        delegation = isolate(row.get("delegation"))
        affiliation = isolate(row.get("affiliation"))  # a role tag that names no State or organisation
        delegation = f" ({delegation})" if delegation else (f", {affiliation}" if affiliation else "")
        when = clock(row.get("start"))
        # the session id is not isolated: the manifest's schema allows only [A-Za-z0-9_.-] in it
        return self.markup("said_by", speaker=isolate(row["speaker"]), delegation=delegation,
                           session=_e(row["session"]), time=_e(f", {when}") if when else "")

    def quote(self, row, tag: str = "") -> str:
        """Return a numbered verbatim quote with its attribution and finding id (all escaped).

        ``tag``, already escaped HTML, goes before the quote (the theme of a key message).
        """
        summary = f'<span class="summary">{isolate(row["summary"])}</span> ' if row.get("summary") else ""
        source = f'<a class="source" href="{pages.link(row["session"], row["id"])}">{_e(self.t("in_context"))}</a>'
        # the quote marks stay outside the isolate, in the report's direction
        body = (f'{tag}{summary}<q lang="{_e(row["language"])}">{isolate(row["text"])}</q> '
                f'<span class="attribution">— {self.attribution(row)} '
                f'<span class="finding-id">[{_e(row["id"])}]</span> {source}</span>')
        return self.para(body, "quote", anchor=f'f-{_e(row["id"])}')

    def chapter(self, key: str, title: str, body: Iterable[str]) -> HTMLFragment:
        """Return a chapter: an anchored heading and its body."""
        html = f'<section class="chapter" id="ch-{key}"><h1>{_e(title)}</h1>{"".join(body)}</section>'
        return HTMLFragment(html, f"chapter {key}")

    # -- chapters --------------------------------------------------------
    def _render_title_page(self) -> HTMLFragment:
        """Return the title page."""
        c = self.report.conference
        cur = self.report.curation
        notice = ""
        if c.illustrative:
            notice = (f'<div class="notice"><strong>{_e(self.t("illustrative"))}.</strong> '
                      f"{isolate(c.illustrative_notice)}</div>")
        # an unknown code is shown as the manifest writes it
        languages = ", ".join(isolate(language_name(code, self.language)) for code in c.languages)
        # what a minimal manifest does not give is left out, not shown empty
        where_when = " · ".join(x for x in (isolate(c.venue), _e(date_range(c.start, c.end, self.language))) if x)
        sub = f'<p class="doc-sub">{where_when}</p>' if where_when else ""
        organisers = (f'<tr><th>{_e(self.t("organisers"))}</th><td>{"<br/>".join(isolate(o) for o in c.organisers)}'
                      "</td></tr>" if c.organisers else "")
        html = f"""<section class="title-page" id="title">
<p class="doc-kind">{_e(self.t("report"))}</p>
<h1 class="doc-title">{isolate(c.title)}</h1>
{sub}
<table class="meta">
{organisers}
<tr><th>{_e(self.t("languages"))}</th><td>{languages}</td></tr>
<tr><th>{_e(self.t("status"))}</th><td class="status-{_e(cur.status)}">{_e(self.t(cur.status))}</td></tr>
<tr><th>{_e(self.t("version"))}</th><td>{isolate(cur.version)}</td></tr>
<tr><th>{_e(self.t("built"))}</th><td class="build-date">{_e(self.build_date)}</td></tr>
</table>
{notice}
</section>"""
        return HTMLFragment(html, "title page")

    def _render_contents(self) -> HTMLFragment:
        """Return the table of contents."""
        items = []
        for key in CHAPTERS:
            title = self.t(f"ch_{key}")
            sub = ""
            if key == "themes":
                sub = "<ol>" + "".join(f'<li><a href="#theme-{_e(t)}">{isolate(self.labels[t])}</a></li>'
                                       for t in self.report.theme_ids) + "</ol>"
            if key == "annexes":
                sub = "<ol class='annexes'>" + "".join(
                    f'<li><a href="#annex-{k}">{_e(self.t("annex_" + k))}</a></li>'
                    for k in ("method", "provenance", "sessions", "warnings")) + "</ol>"
            items.append(f'<li><a href="#ch-{key}">{_e(title)}</a>{sub}</li>')
        html = f'<nav class="toc" id="contents"><h1>{_e(self.t("contents"))}</h1><ol>{"".join(items)}</ol></nav>'
        return HTMLFragment(html, "contents")

    def _render_executive_summary(self) -> HTMLFragment:
        """Return chapter 1: key figures, theme prominence, key messages."""
        r = self.report
        f = r.figures
        top = r.prominence.sort_values(["findings", "theme"], ascending=[False, True]).iloc[0]
        body: List[str] = []
        if r.curation.executive_summary:
            for paragraph in r.curation.executive_summary.split("\n\n"):
                body.append(self.para(isolate(paragraph.strip())))
        body.append(self.para(self.markup(
            "summary_auto" if f["days"] else "summary_auto_undated",
            sessions=_e(self.n(f["sessions"])), days=_e(self.n(f["days"])),
            languages=_e(self.n(f["languages"])), speakers=_e(self.n(f["speakers"])),
            delegations=_e(self.n(f["delegations"])), words=_e(self.n(f["words"])),
            top=isolate(self.labels[top["theme"]]), share=_e(percent(top["share"], self.language)))))
        figures_table = pd.DataFrame([
            (self.t("sessions"), self.n(f["sessions"])), *([(self.t("days"), self.n(f["days"]))] if f["days"] else []),
            (self.t("speakers"), self.n(f["speakers"])), (self.t("delegations"), self.n(f["delegations"])),
            (self.t("words"), self.n(f["words"])), (self.t("findings"), self.n(f["findings"])),
            (self.t("proposals"), self.n(f["proposals"])),
        ])
        body.append(f'<h2>{_e(self.t("key_figures"))}</h2>')
        body.append('<div class="side-by-side">' + self.table(figures_table, ["", ""], "key-figures"))
        values = "; ".join(f"{self.labels[row.theme]} {percent(row.share, self.language)}"
                           for row in r.prominence.itertuples())
        svg = figures.prominence(r.prominence, self.labels, self.t("share_of_findings"))
        body.append(self.figure(svg, "fig_prominence", self.t("fig_prominence_alt", values=values)) + "</div>")
        body.append(f'<h2>{_e(self.t("key_messages"))}</h2>')
        messages = r.key_messages()
        if len(messages) and not messages["curated"].iloc[0]:
            body.append(f'<p class="note">{_e(self.t("key_messages_auto"))}</p>')
            for row in messages.to_dict("records"):
                finding = r.findings[(r.findings["id"] == row["evidence"]) & (r.findings["theme"] == row["theme"])]
                tag = f'<span class="theme-tag">{isolate(self.labels[row["theme"]])}</span> '
                body.append(self.quote(finding.iloc[0].to_dict(), tag))
        else:
            for row in messages.to_dict("records"):
                evidence = ""
                if row["evidence"]:
                    # curated ids are typed by the rapporteur: input text like any other
                    links = ", ".join(f'<a href="#f-{_e(i.strip())}">{isolate(i.strip())}</a>'
                                      for i in row["evidence"].split(","))
                    evidence = f' <span class="finding-id">[{links}]</span>'
                body.append(self.para(f"<strong>{isolate(row['text'])}</strong>{evidence}", "key-message"))
        return self.chapter("summary", self.t("ch_summary"), body)

    def _render_themes_chapter(self) -> HTMLFragment:
        """Return chapter 2: one section per theme, with where it came up, key statements, proposals."""
        r = self.report
        body: List[str] = []
        session_labels = [f"{s} {title[:38]}{'…' if len(title) > 38 else ''}"
                          for s, title in zip(r.sessions["session"], r.sessions["title"])]
        svg = figures.heatmap(r.session_themes, session_labels, [self.labels[t] for t in r.theme_ids], "")
        body.append(self.figure(svg, "fig_heatmap", self.t("fig_heatmap_alt")))
        by_day = r.findings.groupby(["date", "theme"]).size().unstack(fill_value=0) if len(r.findings) else None
        if by_day is not None and len(by_day) > 1:
            by_day = by_day.reindex(columns=r.theme_ids, fill_value=0)
            svg = figures.themes_by_day(by_day, self.labels, [date(d, self.language) for d in by_day.index],
                                        self.t("findings_axis"))
            body.append(self.figure(svg, "fig_days", self.t("fig_days_alt")))
        matrix = aggregate_cooccurrence(r)
        if int(matrix.to_numpy().sum()):
            svg = figures.cooccurrence(matrix, [self.labels[t] for t in r.theme_ids])
            body.append(self.figure(svg, "fig_cooccurrence", self.t("fig_cooccurrence_alt")))
        for theme in r.codebook.themes:
            row = r.prominence[r.prominence["theme"] == theme.id].iloc[0]
            body.append(f'<section class="theme" id="theme-{_e(theme.id)}"><h2>{isolate(self.labels[theme.id])}</h2>')
            body.append(self.para(self.markup("theme_intro", label=isolate(self.labels[theme.id]),
                                              findings=_e(self.n(row["findings"])),
                                              speakers=_e(self.n(row["speakers"])),
                                              sessions=_e(self.n(row["sessions"])),
                                              total=_e(self.n(len(r.sessions))))))
            scope = theme.descriptions.get(self.language) or theme.descriptions.get("en", "")
            if scope:
                body.append(f'<p class="scope"><em>{_e(self.t("theme_scope"))}:</em> {isolate(scope)}</p>')
            body.append(f'<h3>{_e(self.t("where"))}</h3>')
            where = r.sessions[["session", "title", theme.id]].sort_values(
                [theme.id, "session"], ascending=[False, True], kind="mergesort")
            where = where[where[theme.id] > 0]
            body.append(self.table(where, [self.t("session"), self.t("title"), self.t("findings_axis")], "compact"))
            body.append(f'<h3>{_e(self.t("key_statements"))}</h3>')
            for quote in r.key_statements[theme.id].to_dict("records"):
                body.append(self.quote(quote))
            body.append(f'<h3>{_e(self.t("theme_proposals"))}</h3>')
            proposals = r.proposals[r.proposals["theme"] == theme.id]
            if not len(proposals):
                body.append(f'<p class="note">{_e(self.t("no_proposals"))}</p>')
            for quote in proposals.head(8).to_dict("records"):
                body.append(self.quote(quote))
            body.append("</section>")
        return self.chapter("themes", self.t("ch_themes"), body)

    def _render_sessions_chapter(self) -> HTMLFragment:
        """Return chapter 3: a summary of each session with its key quotes."""
        r = self.report
        body: List[str] = []
        for s in r.sessions.to_dict("records"):
            analysis = next(a for a in r.analyses if a.id == s["session"])
            counts = {t: s[t] for t in r.theme_ids}
            main = [self.labels[t] for t in sorted(counts, key=lambda t: (-counts[t], r.theme_ids.index(t)))
                    if counts[t] >= 3][:3]
            when = f"{date(s['date'], self.language)}" + (f", {s['start']}–{s['end']}" if s.get("start") else "")
            body.append(f'<section class="session" id="session-{_e(s["session"])}">'
                        f'<h2>{_e(s["session"])}. {isolate(s["title"])}</h2><p class="when">{_e(when)}</p>')
            themes = ", ".join(isolate(label) for label in main) if main else _e(self.t("no_themes"))
            body.append(self.para(self.markup("session_intro", chair=isolate(s["chair"]) or "—",
                                              speakers=_e(self.n(s["speakers"])), words=_e(self.n(s["words"])),
                                              themes=themes)))
            speakers = sorted({(t["speaker"], t["delegation"] or "") for t in analysis.turns})
            listing = "; ".join(f"{isolate(name)} ({isolate(d)})" if d else isolate(name) for name, d in speakers)
            body.append(f'<p class="speakers"><em>{_e(self.t("speakers"))}:</em> {listing}</p>')
            picks = (r.findings[r.findings["session"] == s["session"]]
                     .sort_values(["score", "n_cues", "turn", "id"], ascending=[False, False, True, True], kind="mergesort")
                     .drop_duplicates("id"))
            picks = picks[picks["words"].between(10, 70)]
            chosen, seen = [], set()
            for row in picks.to_dict("records"):
                if row["speaker"] in seen:
                    continue
                seen.add(row["speaker"])
                chosen.append(row)
                if len(chosen) == 3:
                    break
            if chosen:
                body.append(f'<h3>{_e(self.t("key_quotes"))}</h3>')
                for row in sorted(chosen, key=lambda x: (x["turn"], x["id"])):
                    body.append(self.quote(row))
            body.append("</section>")
        return self.chapter("sessions", self.t("ch_sessions"), body)

    def _render_proposals_chapter(self) -> HTMLFragment:
        """Return chapter 4: every proposal and recommendation, grouped by theme."""
        r = self.report
        body = [self.para(_e(self.t("proposals_intro")))]
        for theme in r.theme_ids:
            proposals = r.proposals[r.proposals["theme"] == theme]
            body.append(f'<h2>{isolate(self.labels[theme])} ({self.n(len(proposals))})</h2>')
            if not len(proposals):
                body.append(f'<p class="note">{_e(self.t("no_proposals"))}</p>')
            for row in proposals.to_dict("records"):
                body.append(self.quote(row))
        return self.chapter("proposals", self.t("ch_proposals"), body)

    def _render_participation_chapter(self) -> HTMLFragment:
        """Return chapter 5: speakers, delegations and organisations, words spoken."""
        r = self.report
        body = [self.para(_e(self.t("participation_intro", speakers=self.n(r.figures["speakers"]),
                                    delegations=self.n(r.figures["delegations"]))))]
        if len(r.unattributed):
            listing = ", ".join(f"{s} ({self.n(w)})" for s, w in r.unattributed.items())
            share = r.unattributed.sum() / max(r.figures["words"], 1)
            body.append(self.para(_e(self.t("unattributed", words=self.n(int(r.unattributed.sum())),
                                             share=percent(share, self.language), count=self.n(len(r.unattributed)),
                                             sessions=listing)), "note"))
        svg = figures.words_by_delegation(r.delegations, self.t("words_axis"))
        body.append(self.figure(svg, "fig_delegations", self.t("fig_delegations_alt")))
        table = r.delegations[["delegation", "speakers", "sessions", "words"]].copy()
        table["share"] = [percent(v, self.language) for v in r.delegations["share"]]
        table["words"] = [self.n(v) for v in table["words"]]
        body.append(self.table(table, [self.t("delegation"), self.t("speakers"), self.t("sessions"),
                                       self.t("words"), self.t("share")]))
        body.append(f'<h2>{_e(self.t("speakers"))}</h2>')
        speakers = r.speakers[["speaker", "delegation", "sessions", "turns", "words"]].copy()
        speakers["words"] = [self.n(v) for v in speakers["words"]]
        body.append(self.table(speakers, [self.t("speaker"), self.t("delegation"), self.t("sessions"),
                                          self.t("turns"), self.t("words")], "compact"))
        if len(r.mentions):
            body.append(f'<h2>{_e(self.t("states_named"))}</h2>')
            mentions = r.mentions[["name", "kind", "mentions", "sessions"]].copy()
            mentions["kind"] = [self.t(f"kind_{k}") if f"kind_{k}" in STRINGS["en"] else k for k in mentions["kind"]]
            body.append(self.table(mentions, [self.t("name"), self.t("kind"), self.t("mentions"),
                                              self.t("sessions")], "compact"))
        return self.chapter("participation", self.t("ch_participation"), body)

    def _accuracy(self) -> List[str]:
        """Return the accuracy paragraphs and tables of the methodology annex: real text first, then own gold."""
        from .evaluation import TARGET_MACRO, TARGET_REALTEXT, TARGET_THEME

        table = self.report.evaluation
        if table is None or not len(table):
            return [self.para(_e(self.t("accuracy_text")))]
        if "source" not in table:
            table = table.rename(columns={"sentences": "items"}).assign(source="gold")
        out: List[str] = []
        real = table[table["source"] == "realtext"]
        if len(real):
            counts = real.groupby("language")["items"].first()
            per_language = ", ".join(f"{language_name(lang, self.language)} {self.n(n)}" for lang, n in counts.items())
            out.append(self.para(_e(self.t("accuracy_realtext", paragraphs=self.n(int(counts.sum())),
                                           per_language=per_language, macro=f"{TARGET_REALTEXT:.2f}"))))
            out.append(self._accuracy_table(real, interval=True))
        else:
            out.append(self.para(_e(self.t("accuracy_realtext_absent"))))
        gold = table[table["source"] == "gold"]
        if len(gold):
            counts = gold.groupby("language")["items"].first()
            per_language = ", ".join(f"{language_name(lang, self.language)} {self.n(n)}" for lang, n in counts.items())
            out.append(self.para(_e(self.t("accuracy_measured", sentences=self.n(int(counts.sum())),
                                           per_language=per_language, macro=f"{TARGET_MACRO:.2f}",
                                           theme=f"{TARGET_THEME:.2f}"))))
            out.append(self._accuracy_table(gold, interval=False))
        return out

    def _operating_points(self) -> List[str]:
        """Return the paragraph and table saying from which score a finding may be a key statement."""
        from . import calibration

        rows = pd.DataFrame(calibration.table())
        if not len(rows):
            return []
        rows = rows[rows["theme"].isin(self.report.theme_ids)
                    & rows["language"].isin(self.report.sessions["language"].unique())].copy()
        if not len(rows):
            return []
        rows["language"] = [language_name(v, self.language) for v in rows["language"]]
        rows["theme"] = [self.labels.get(v, v) for v in rows["theme"]]
        rows["operating_point"] = [self.t("no_point") if v is None or v != v else decimal(v, self.language)
                                   for v in rows["operating_point"]]
        rows["precision"] = ["" if v is None or v != v else decimal(v, self.language) for v in rows["precision"]]
        rows["support"] = [self.n(int(v)) for v in rows["support"]]
        text = self.t("key_point_text", precision=decimal(calibration.KEY_PRECISION, self.language),
                      support=self.n(calibration.MIN_SUPPORT))
        return [self.para(_e(text)),
                self.table(rows[["language", "theme", "operating_point", "precision", "support"]],
                           [self.t("language"), self.t("theme"), self.t("operating_point"),
                            self.t("dev_precision"), self.t("dev_findings")], "compact")]

    def _accuracy_table(self, rows: pd.DataFrame, interval: bool) -> str:
        """Return one accuracy table: per language and theme, precision, recall, F1 (with its interval), kappa."""
        shown = rows.copy()
        shown["language"] = [language_name(v, self.language) for v in shown["language"]]
        shown["theme"] = [self.labels.get(v, "macro") for v in shown["theme"]]
        for column in ("precision", "recall", "f1", "kappa"):
            shown[column] = [f"{v:.3f}" for v in shown[column]]
        if interval:
            shown["f1"] = [f"{f} [{low:.2f}–{high:.2f}]" for f, low, high in
                           zip(shown["f1"], rows["f1_low"], rows["f1_high"])]
        shown["support"] = [int(v) for v in shown["support"]]
        return self.table(shown[["language", "theme", "precision", "recall", "f1", "kappa", "support"]],
                          [self.t("language"), self.t("theme"), self.t("precision"), self.t("recall"),
                           self.t("f1_interval") if interval else self.t("f1"), self.t("kappa"),
                           self.t("support_paragraphs") if interval else self.t("support")],
                          "compact accuracy")

    def _render_annexes(self) -> HTMLFragment:
        """Return the annexes: methodology, provenance, list of sessions, warnings."""
        r = self.report
        cb = r.codebook
        body = [f'<section class="annex" id="annex-method"><h2>{_e(self.t("annex_method"))}</h2>',
                f'<h3>{_e(self.t("method_pipeline"))}</h3>',
                self.para(_e(self.t("method_text", threshold=f"{cb.threshold:g}"))),
                f'<h3>{_e(self.t("method_models"))}</h3>',
                self.table(r.pipelines[["language", "package", "version", "spacy", "components"]],
                           [self.t("language"), self.t("package"), self.t("version"), self.t("spacy"),
                            self.t("components")], "compact"),
                f'<h3>{_e(self.t("method_codebook"))}</h3>']
        rows = []
        for theme in cb.themes:
            counts = ", ".join(f"{lang}: {len(terms)}" for lang, terms in sorted(theme.terms.items()))
            rows.append((theme.id, theme.label(self.language), counts, decimal(cb.threshold_of(theme.id), self.language)))
        body.append(self.table(pd.DataFrame(rows), [self.t("theme"), self.t("title"), self.t("terms"),
                                                    self.t("threshold")], "compact"))
        body.append(f'<p class="note">{_e(self.t("threshold"))}: {cb.threshold:g} · {isolate(Path(cb.path).name)} '
                    f'(SHA-256 {_e(cb.sha256[:16])}…)</p>')
        body.append(self.para(_e(self.t("classifier_text", weight=f"{MODEL_WEIGHT:g}"))))
        body.append(f'<h3>{_e(self.t("method_accuracy"))}</h3>')
        body.extend(self._accuracy())
        body.extend(self._operating_points())
        body.append("</section>")
        body.append(f'<section class="annex" id="annex-provenance"><h2>{_e(self.t("annex_provenance"))}</h2>')
        body.append(self.para(_e(self.t("provenance_text"))))
        body.append(self.table(r.provenance, [self.t("role"), self.t("path"), "SHA-256"], "compact hashes"))
        if r.versions:
            rows = []
            for name, value in r.versions.items():
                if isinstance(value, dict):
                    rows.extend((f"{name} ({key})", str(v)) for key, v in value.items())
                else:
                    rows.append((name, str(value)))
            body.append(f'<h3>{_e(self.t("software"))}</h3>')
            body.append(self.table(pd.DataFrame(rows), [self.t("package"), self.t("version")], "compact"))
        body.append("</section>")
        body.append(f'<section class="annex" id="annex-sessions"><h2>{_e(self.t("annex_sessions"))}</h2>')
        listing = r.sessions[["session", "title", "date", "language", "chair", "words"]].copy()
        listing["date"] = [date(d, self.language) for d in listing["date"]]
        listing["language"] = [language_name(v, self.language) for v in listing["language"]]
        listing["words"] = [self.n(v) for v in listing["words"]]
        body.append(self.table(listing, [self.t("session"), self.t("title"), self.t("date"), self.t("language"),
                                         self.t("chair"), self.t("words")], "compact sessions-list"))
        body.append("</section>")
        body.append(f'<section class="annex" id="annex-warnings"><h2>{_e(self.t("annex_warnings"))}</h2>')
        if r.warnings:
            body.append(self.para(_e(self.t("warnings_text"))))
            # a warning mixes our words with input text; the item is its own bidi paragraph
            body.append('<ul class="warnings">' + "".join(f"<li><code>{isolate(w)}</code></li>" for w in r.warnings)
                        + "</ul>")
        else:
            body.append(self.para(_e(self.t("no_warnings"))))
        body.append("</section>")
        return self.chapter("annexes", self.t("ch_annexes"), body)
