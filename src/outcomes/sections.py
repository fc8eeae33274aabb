"""The report's chapters as HTML fragments, for the report notebook to display.

Python chooses and computes what a chapter shows (which quotes, which tables, the
numbers formatted for the language); Jinja2 templates lay it out. The templates
live in the nbconvert template folder, ``templates/outcomes/chapters/`` next to
``index.html.j2``: one ``<part>.html.j2`` per part of the report (``title_page``,
``contents``, ``executive_summary``, ``themes_chapter``, ``sessions_chapter``,
``proposals_chapter``, ``participation_chapter``, ``annexes``) and the shared
macros in ``macros.html.j2`` (numbered paragraph, quote with its attribution and
"in context" link, table, figure, chapter).

Everything that comes from a transcript, the manifest, the codebook or the
curation is escaped: the environment autoescapes, so text is data and never
becomes markup, and only HTML built here is passed in as :class:`~markupsafe.Markup`.
Input text is also isolated for the bidirectional algorithm (the ``isolate``
filter, :func:`outcomes.markup.isolate`), so that a right-to-left override in a
speaker's name cannot reorder the attribution or the finding id around it.
Paragraphs are numbered through the whole document, in the style of OPCW reports:
the view renders every part once, in reading order, and the templates take the
next number from ``next_paragraph()`` and ``next_figure()``.

Restyling or reordering a chapter
---------------------------------
Copy the template to change (and ``macros.html.j2`` if its macros should change too)
into a folder of your own, edit it, and give the folder to the view::

    view = sections.ReportView(report, "en", templates="my-organisation/chapters")

A template found in that folder (or in any of a list of folders, searched in order)
is used instead of the one shipped; every other template comes from the package.
A template sees ``t(key, **values)`` (a report string), ``markup(key, **values)``
(a report string whose placeholders take HTML), ``n(value)``, ``clock(seconds)``,
``link(session, finding)``, ``labels`` (theme labels), ``language`` and the
``isolate`` filter, besides the part's own data.
"""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import pandas as pd
from markupsafe import Markup

from . import explorer, figures, pages, points, render, subtopics  # noqa: F401  (render: the tests' template folder)
from .markup import escaped as _e
from .markup import isolate
from .templating import (Folders, HTMLFragment, _folders, _html, chapters_dir,  # noqa: F401  (sections' API)
                         environment)
from .aggregate import MAIN_THEME_FINDINGS, Report, subtopic_labels
from .aggregate import cooccurrence as aggregate_cooccurrence
from .nlp.textcat import MODEL_WEIGHT
from .i18n import STRINGS, clock, date, date_range, decimal, language_name, number, percent, text

CHAPTERS = ("summary", "themes", "sessions", "proposals", "participation", "annexes")
#: The parts of the report in reading order, as the report notebook shows them.
PARTS = ("title_page", "contents", "executive_summary", "themes_chapter", "sessions_chapter", "proposals_chapter",
         "participation_chapter", "annexes", "explorer")
#: Labels of the parts' fragments (what Jupyter shows as text).
LABELS = {"title_page": "title page", "contents": "contents", "executive_summary": "chapter summary",
          "themes_chapter": "chapter themes", "sessions_chapter": "chapter sessions",
          "proposals_chapter": "chapter proposals", "participation_chapter": "chapter participation",
          "annexes": "chapter annexes", "explorer": "findings explorer"}


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
    templates : path or list of paths, optional
        Folders of chapter templates that take precedence over the shipped ones.
    """

    def __init__(self, report: Report, language: str = "en", build_date: Optional[str] = None,
                 templates: Folders = None):
        self.report = report
        self.language = language
        self.build_date = build_date or dt.date.today().isoformat()
        self.env = environment(_folders(templates))
        self._paragraph = 0
        self._figure = 0
        self._shown: Dict[str, int] = {}  # finding id -> the paragraph that quotes it in full
        self.labels = {t.id: t.label(language) for t in report.codebook.themes}
        self._rows = {(row["id"], row["theme"]): row for row in report.findings.to_dict("records")}
        self._first_row: Dict[str, dict] = {}
        for (finding, _), found in self._rows.items():
            self._first_row.setdefault(finding, found)
        self._subtopic_labels = {(row.theme, row.key): row.label for row in report.subtopics.itertuples()}
        # The whole document is laid out once, in reading order, so that paragraph and figure
        # numbers belong to the report, not to the order in which a notebook's cells run:
        # re-running one cell shows the same numbers.
        self._parts = {name: self._render(name, **getattr(self, f"_{name}")()) for name in PARTS}

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

    def explorer(self) -> HTMLFragment:
        """Return the findings explorer: every finding, filterable on screen (hidden in print)."""
        return self._parts["explorer"]

    # -- helpers ---------------------------------------------------------
    def t(self, key: str, **values) -> str:
        """Return a report string in the view's language."""
        return text(self.language, key, **values)

    def n(self, value) -> str:
        """Return a number formatted for the view's language."""
        return number(value, self.language)

    def markup(self, key: str, **html) -> Markup:
        """Return report string ``key`` as HTML, its placeholders filled with ``html``.

        The string itself is escaped; a value that is :class:`~markupsafe.Markup` goes in
        as given (so that input text can arrive isolated), any other value is escaped.
        """
        # formatted with its own placeholders, the string comes back as the template
        template = self.t(key, **{name: "{" + name + "}" for name in html})
        return Markup(_e(template).format(**{name: _html(value) for name, value in html.items()}))

    def next_paragraph(self) -> int:
        """Return the number of the next paragraph of the document."""
        self._paragraph += 1
        return self._paragraph

    def shown_at(self, finding_id: str) -> Optional[int]:
        """Return the paragraph that already quotes ``finding_id`` in full, or None.

        A quote is shown once in the report; wherever else it belongs, it is referred to
        by that paragraph's number.
        """
        return self._shown.get(finding_id)

    def remember(self, finding_id: str) -> str:
        """Record that the paragraph just numbered quotes ``finding_id`` (prints nothing)."""
        self._shown.setdefault(finding_id, self._paragraph)
        return ""

    def row(self, finding_id: str, theme: Optional[str] = None) -> dict:
        """Return a finding's row (under ``theme``, or under its first theme)."""
        if theme is not None:
            return self._rows[(finding_id, theme)]
        return self._first_row[finding_id]

    def next_figure(self) -> int:
        """Return the number of the next figure of the document."""
        self._figure += 1
        return self._figure

    def _render(self, part: str, **data) -> HTMLFragment:
        """Render the template of ``part`` with its data and the view's helpers."""
        html = self.env.get_template(f"{part}.html.j2").render(
            view=self, t=self.t, n=self.n, markup=self.markup, clock=clock, labels=self.labels,
            language=self.language, next_paragraph=self.next_paragraph, next_figure=self.next_figure,
            link=lambda session, finding: Markup(pages.link(session, finding)), **data)
        return HTMLFragment(html, LABELS[part])

    @staticmethod
    def figure(svg: str, caption_key: str, alt: str) -> Dict[str, str]:
        """Return a figure for the ``figure`` macro: the SVG as base64, its caption's key, its alt text."""
        return {"data": base64.b64encode(svg.encode("utf-8")).decode("ascii"), "caption": caption_key, "alt": alt}

    @staticmethod
    def table(frame: pd.DataFrame, headers: Sequence[str], cls: str = "") -> Dict[str, object]:
        """Return a table for the ``table`` macro; numeric columns (and their headers) align right."""

        def numeric(value) -> bool:
            return isinstance(value, (int, float)) and not isinstance(value, bool) or (
                isinstance(value, str) and bool(value) and value.replace("\u202f", "").replace(",", "")
                .replace(".", "").replace("%", "").replace("\u00a0", "").strip().isdigit())

        rows = [list(row) for row in frame.itertuples(index=False)]
        right = [bool(rows) and all(numeric(row[i]) or row[i] in ("", None) for row in rows) and
                 any(numeric(row[i]) for row in rows) for i in range(len(headers))]
        # the macro prints a numeric cell as it is (digits and separators, no bidi control) and isolates any
        # other cell, which may be input text
        return {"cls": cls, "headers": list(headers), "head": any(headers), "right": right, "rows": rows}

    # -- what each part shows ----------------------------------------------
    def _title_page(self) -> dict:
        c = self.report.conference
        return {"c": c, "cur": self.report.curation, "build_date": self.build_date,
                # an unknown code is shown as the manifest writes it
                "languages": [language_name(code, self.language) for code in c.languages],
                "dates": date_range(c.start, c.end, self.language)}

    def _explorer(self) -> dict:
        r = self.report
        rows = []
        for row, subtopic in zip(r.findings.to_dict("records"), subtopic_labels(r)):
            rows.append({"id": row["id"], "theme": row["theme"], "theme_label": self.labels[row["theme"]],
                         "subtopic": subtopic, "session": row["session"], "session_title": row["session_title"],
                         "speaker": row["speaker"], "delegation": row["delegation"] or None,
                         "language": row["language"], "text": row["text"],
                         "link": pages.link(row["session"], row["id"]),
                         "confidence": None if row["confidence"] != row["confidence"] else row["confidence"]})
        return {"explorer": Markup(explorer.render(rows, self.language))}

    def _contents(self) -> dict:
        return {"chapters": CHAPTERS, "themes": self.report.theme_ids,
                "annexes": ("method", "provenance", "sessions", "warnings")}

    def _executive_summary(self) -> dict:
        r = self.report
        f = r.figures
        top = r.prominence.sort_values(["findings", "theme"], ascending=[False, True]).iloc[0]
        written = r.curation.executive_summary  # the rapporteur's own summary, paragraphs split by blank lines
        summary = [p.strip() for p in written.split("\n\n")] if written else []
        numbers = {key: self.n(f[key]) for key in ("sessions", "days", "languages", "speakers", "delegations", "words")}
        figures_table = pd.DataFrame([
            (self.t("sessions"), self.n(f["sessions"])), *([(self.t("days"), self.n(f["days"]))] if f["days"] else []),
            (self.t("speakers"), self.n(f["speakers"])), (self.t("delegations"), self.n(f["delegations"])),
            (self.t("words"), self.n(f["words"])), (self.t("findings"), self.n(f["findings"])),
            (self.t("proposals"), self.n(f["proposals"])),
        ])
        values = "; ".join(f"{self.labels[row.theme]} {percent(row.share, self.language)}"
                           for row in r.prominence.itertuples())
        svg = figures.prominence(r.prominence, self.labels, self.t("share_of_findings"))
        messages = r.key_messages()
        auto, curated = None, []
        if len(messages) and not messages["curated"].iloc[0]:
            auto = []
            for row in messages.to_dict("records"):
                finding = r.findings[(r.findings["id"] == row["evidence"]) & (r.findings["theme"] == row["theme"])]
                auto.append((finding.iloc[0].to_dict(), self.labels[row["theme"]]))
        else:
            # curated ids are typed by the rapporteur: input text like any other
            curated = [{"text": row["text"], "evidence": [i.strip() for i in row["evidence"].split(",")]
                        if row["evidence"] else []} for row in messages.to_dict("records")]
        drafted = [] if summary else [self._drafted(row) for row in r.drafted.itertuples()]
        return {"summary": summary, "drafted": drafted,
                "summary_key": "summary_auto" if f["days"] else "summary_auto_undated",
                "numbers": numbers, "top": self.labels[top["theme"]], "share": percent(top["share"], self.language),
                "key_figures": self.table(figures_table, ["", ""], "key-figures"),
                "prominence": self.figure(svg, "fig_prominence", self.t("fig_prominence_alt", values=values)),
                "auto_messages": auto, "messages": curated}

    def _drafted(self, facts) -> Markup:
        """Return one theme's paragraph of the executive summary drafted from the data.

        Every fact links to what it rests on: sessions to their summaries, points to their
        sub-topics, recommendations to their quotes.
        """
        theme = facts.theme

        def anchor(href: str, content) -> Markup:
            return Markup('<a href="#{}">{}</a>').format(href, content)

        sessions = Markup(", ").join(anchor(f"session-{s}", s) for s in facts.sessions)
        where = (self.markup("drafted_sessions", n=self.n(len(facts.sessions)), sessions=sessions)
                 if len(facts.sessions) else self.markup("drafted_no_sessions"))
        parts = [self.markup("drafted_theme", label=Markup(isolate(self.labels[theme])), where=where,
                             findings=self.n(facts.findings), speakers=self.n(facts.speakers),
                             delegations=self.n(facts.delegations))]
        shown = self.report.subtopics.set_index(["theme", "key"])
        points = []
        for key in facts.subtopics:
            s = shown.loc[(theme, key)]
            points.append(self.markup("drafted_point", label=anchor(f"st-{theme}-{key}", Markup(isolate(s["label"]))),
                                      sessions=", ".join(s["sessions"]), n=self.n(len(s["findings"]))))
        if points:
            parts.append(self.markup("drafted_points", points=Markup("; ").join(points)))
        if len(facts.proposals):
            links = Markup(", ").join(anchor(f"f-{i}", Markup(isolate(i))) for i in facts.proposals)
            parts.append(self.markup("drafted_proposals", ids=links))
        return Markup(" ").join(parts)

    def _themes_chapter(self) -> dict:
        r = self.report
        session_labels = [f"{s} {title[:38]}{'…' if len(title) > 38 else ''}"
                          for s, title in zip(r.sessions["session"], r.sessions["title"])]
        svg = figures.heatmap(r.session_themes, session_labels, [self.labels[t] for t in r.theme_ids], "")
        shown = [self.figure(svg, "fig_heatmap", self.t("fig_heatmap_alt"))]
        by_day = r.days
        if len(by_day) > 1:
            svg = figures.themes_by_day(by_day, self.labels, [date(d, self.language) for d in by_day.index],
                                        self.t("findings_axis"))
            shown.append(self.figure(svg, "fig_days", self.t("fig_days_alt")))
        matrix = aggregate_cooccurrence(r)
        if int(matrix.to_numpy().sum()):
            svg = figures.cooccurrence(matrix, [self.labels[t] for t in r.theme_ids])
            shown.append(self.figure(svg, "fig_cooccurrence", self.t("fig_cooccurrence_alt")))
        themes = []
        for theme in r.codebook.themes:
            row = r.prominence[r.prominence["theme"] == theme.id].iloc[0]
            themes.append({
                "id": theme.id, "label": self.labels[theme.id],
                "numbers": {"findings": self.n(row["findings"]), "speakers": self.n(row["speakers"]),
                            "sessions": self.n(row["sessions"]), "total": self.n(len(r.sessions))},
                "scope": theme.descriptions.get(self.language) or theme.descriptions.get("en", ""),
                "subtopics": self._subtopics(theme.id),
                "statements": r.key_statements[theme.id].to_dict("records"),
                "positions": self._positions(theme.id),
                "differences": [{"label": self._subtopic_labels.get((theme.id, d.subtopic), ""),
                                 "first": self.row(d.first, theme.id), "second": self.row(d.second, theme.id)}
                                for d in r.differences[r.differences["theme"] == theme.id].itertuples()],
                "proposals": self.n(int(row["proposals"]))})
        return {"figures": shown, "themes": themes, "min_findings": points.POSITION_MIN_FINDINGS}

    def _subtopics(self, theme: str) -> List[dict]:
        """Return the visible sub-topics of ``theme``, largest first, with their quotes and who raised them."""
        r = self.report
        shown = r.subtopics[(r.subtopics["theme"] == theme) & ~r.subtopics["hidden"].astype(bool)]
        shown = shown[shown["findings"].map(len) >= subtopics.SHOWN_MIN_FINDINGS].head(subtopics.SHOWN)
        found = []
        for s in shown.itertuples():
            delegations = list(s.delegations)
            listed = ", ".join(delegations[:6])
            if len(delegations) > 6:
                listed = self.t("and_more", items=listed, n=self.n(len(delegations) - 6))
            found.append({"anchor": f"st-{theme}-{s.key}", "label": s.label, "findings": self.n(len(s.findings)),
                          "sessions": ", ".join(s.sessions), "speakers": self.n(len(s.speakers)),
                          "delegations": listed, "quotes": [self.row(i, theme) for i in s.quotes]})
        return found

    def _positions(self, theme: str) -> List[dict]:
        """Return the delegations that spoke to ``theme``, with their words counted and one statement."""
        r = self.report
        mine = r.positions[r.positions["theme"] == theme]
        big = mine["findings"] >= points.POSITION_MIN_FINDINGS
        table = [{"delegation": p.delegation, "findings": self.n(p.findings), "words": self.n(p.words),
                  "statement": self.row(p.statement, theme) if isinstance(p.statement, str) else None}
                 for p in mine[big].itertuples()]
        others = "; ".join(f"{p.delegation} ({self.n(p.findings)})" for p in mine[~big].itertuples())
        return {"table": table, "others": others}

    def _sessions_chapter(self) -> dict:
        r = self.report
        sessions = []
        for s in r.sessions.to_dict("records"):
            analysis = next(a for a in r.analyses if a.id == s["session"])
            counts = {t: s[t] for t in r.theme_ids}
            main = [self.labels[t] for t in sorted(counts, key=lambda t: (-counts[t], r.theme_ids.index(t)))
                    if counts[t] >= MAIN_THEME_FINDINGS][:3]
            chosen = [self.row(i) for i in r.session_quotes[r.session_quotes["session"] == s["session"]]["id"]]
            sessions.append({
                "id": s["session"], "title": s["title"], "chair": s["chair"],
                "when": f"{date(s['date'], self.language)}"
                        + (f", {s['start']}–{s['end']}" if s.get("start") else ""),
                "speakers": self.n(s["speakers"]), "words": self.n(s["words"]), "themes": main,
                "people": sorted({(t["speaker"], t["delegation"] or "") for t in analysis.turns}),
                "quotes": chosen})
        return {"sessions": sessions}

    def _proposals_chapter(self) -> dict:
        r = self.report
        themes = []
        for theme in r.theme_ids:
            proposals = r.proposals[r.proposals["theme"] == theme]
            shown = r.shown_proposals[r.shown_proposals["theme"] == theme]["id"]
            themes.append({"id": theme, "label": self.labels[theme], "count": self.n(len(proposals)),
                           "proposals": [self.row(i, theme) for i in shown],
                           "more": self.n(len(proposals) - len(shown)) if len(proposals) > len(shown) else None})
        return {"themes": themes}

    def _participation_chapter(self) -> dict:
        r = self.report
        unattributed = None
        if len(r.unattributed):
            listing = ", ".join(f"{s} ({self.n(w)})" for s, w in r.unattributed.items())
            share = r.unattributed.sum() / max(r.figures["words"], 1)
            unattributed = self.t("unattributed", words=self.n(int(r.unattributed.sum())),
                                  share=percent(share, self.language), count=self.n(len(r.unattributed)),
                                  sessions=listing)
        svg = figures.words_by_delegation(r.delegations, self.t("words_axis"))
        table = r.delegations[["delegation", "speakers", "sessions", "words"]].copy()
        table["share"] = [percent(v, self.language) for v in r.delegations["share"]]
        table["words"] = [self.n(v) for v in table["words"]]
        speakers = r.speakers[["speaker", "delegation", "sessions", "turns", "words"]].copy()
        speakers["words"] = [self.n(v) for v in speakers["words"]]
        mentions = None
        if len(r.mentions):
            shown = r.mentions[["name", "kind", "mentions", "sessions"]].copy()
            shown["kind"] = [self.t(f"kind_{k}") if f"kind_{k}" in STRINGS["en"] else k for k in shown["kind"]]
            mentions = self.table(shown, [self.t("name"), self.t("kind"), self.t("mentions"), self.t("sessions")],
                                  "compact")
        return {"intro": self.t("participation_intro", speakers=self.n(r.figures["speakers"]),
                                delegations=self.n(r.figures["delegations"])),
                "unattributed": unattributed,
                "delegations_figure": self.figure(svg, "fig_delegations", self.t("fig_delegations_alt")),
                "delegations": self.table(table, [self.t("delegation"), self.t("speakers"), self.t("sessions"),
                                                  self.t("words"), self.t("share")]),
                "speakers": self.table(speakers, [self.t("speaker"), self.t("delegation"), self.t("sessions"),
                                                  self.t("turns"), self.t("words")], "compact"),
                "mentions": mentions}

    def _accuracy(self) -> List[Tuple[str, Optional[dict]]]:
        """Return the accuracy paragraphs and tables of the methodology annex: real text first, then own gold."""
        from .evaluation import TARGET_MACRO, TARGET_REALTEXT, TARGET_THEME

        table = self.report.evaluation
        if table is None or not len(table):
            return [(self.t("accuracy_text"), None)]
        if "source" not in table:
            table = table.rename(columns={"sentences": "items"}).assign(source="gold")
        out: List[Tuple[str, Optional[dict]]] = []
        real = table[table["source"] == "realtext"]
        if len(real):
            counts = real.groupby("language")["items"].first()
            per_language = ", ".join(f"{language_name(lang, self.language)} {self.n(n)}" for lang, n in counts.items())
            out.append((self.t("accuracy_realtext", paragraphs=self.n(int(counts.sum())),
                               per_language=per_language, macro=f"{TARGET_REALTEXT:.2f}"),
                        self._accuracy_table(real, interval=True)))
        else:
            out.append((self.t("accuracy_realtext_absent"), None))
        gold = table[table["source"] == "gold"]
        if len(gold):
            counts = gold.groupby("language")["items"].first()
            per_language = ", ".join(f"{language_name(lang, self.language)} {self.n(n)}" for lang, n in counts.items())
            out.append((self.t("accuracy_measured", sentences=self.n(int(counts.sum())),
                               per_language=per_language, macro=f"{TARGET_MACRO:.2f}",
                               theme=f"{TARGET_THEME:.2f}"),
                        self._accuracy_table(gold, interval=False)))
        return out

    def _operating_points(self) -> List[Tuple[str, Optional[dict]]]:
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
        return [(text,
                 self.table(rows[["language", "theme", "operating_point", "precision", "support"]],
                            [self.t("language"), self.t("theme"), self.t("operating_point"),
                             self.t("dev_precision"), self.t("dev_findings")], "compact"))]

    def _accuracy_table(self, rows: pd.DataFrame, interval: bool) -> dict:
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

    def _annexes(self) -> dict:
        r = self.report
        cb = r.codebook
        rows = []
        for theme in cb.themes:
            counts = ", ".join(f"{lang}: {len(terms)}" for lang, terms in sorted(theme.terms.items()))
            rows.append((theme.id, theme.label(self.language), counts, decimal(cb.threshold_of(theme.id), self.language)))
        software = None
        if r.versions:
            versions = []
            for name, value in r.versions.items():
                if isinstance(value, dict):
                    versions.extend((f"{name} ({key})", str(v)) for key, v in value.items())
                else:
                    versions.append((name, str(value)))
            software = self.table(pd.DataFrame(versions), [self.t("package"), self.t("version")], "compact")
        listing = r.sessions[["session", "title", "date", "language", "chair", "words"]].copy()
        listing["date"] = [date(d, self.language) for d in listing["date"]]
        listing["language"] = [language_name(v, self.language) for v in listing["language"]]
        listing["words"] = [self.n(v) for v in listing["words"]]
        return {
            "threshold": f"{cb.threshold:g}", "codebook_name": Path(cb.path).name, "codebook_sha256": cb.sha256[:16],
            "model_weight": f"{MODEL_WEIGHT:g}",
            "pipelines": self.table(r.pipelines[["language", "package", "version", "spacy", "components"]],
                                    [self.t("language"), self.t("package"), self.t("version"), self.t("spacy"),
                                     self.t("components")], "compact"),
            "codebook": self.table(pd.DataFrame(rows), [self.t("theme"), self.t("title"), self.t("terms"),
                                                        self.t("threshold")], "compact"),
            "accuracy": self._accuracy() + self._operating_points(),
            "provenance": self.table(r.provenance, [self.t("role"), self.t("path"), "SHA-256"], "compact hashes"),
            "software": software,
            "sessions": self.table(listing, [self.t("session"), self.t("title"), self.t("date"), self.t("language"),
                                             self.t("chair"), self.t("words")], "compact sessions-list"),
            "warnings": r.warnings}
