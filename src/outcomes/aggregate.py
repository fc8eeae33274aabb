"""Many session analyses plus the rapporteur's curation in, the report's tables out.

Every number in the report comes from :class:`Report`; every table is sorted so
two builds of the same inputs give the same report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional

import pandas as pd

from . import calibration, participation, points, subtopics
from .analysis import SessionAnalysis
from .codebook import Codebook
from .codebook import load as load_codebook
from .conference import Conference
from .curation import Curation
from .curation import load as load_curation
from .procedural import QUOTE_WORDS, is_procedural
from .transcripts.normalise import UNKNOWN_SPEAKER

#: Key statements shown per theme, and at most this many from one speaker.
KEY_STATEMENTS = 6
PER_SPEAKER = 2
#: Maximal marginal relevance: how much a key statement's confidence counts against its likeness to
#: those already chosen (same speaker, delegation, session or sub-topic; see :func:`_likeness`).
RELEVANCE = 0.6
#: A session's main themes are those with at least this many findings in it (also the cut of
#: "sessions where the theme came up" in the prominence table).
MAIN_THEME_FINDINGS = 3
#: Quotes shown per session, one per speaker at most.
SESSION_QUOTES = 3
#: Recommendations shown per theme in its chapter and in the recommendations chapter; the rest are in
#: the findings explorer and the exports.
THEME_PROPOSALS = 8

FINDING_COLUMNS = ["id", "session", "speaker", "delegation", "start", "theme", "subtopic", "score", "confidence",
                   "text"]


@dataclass
class Report:
    """Everything the report shows, as tables and plain values."""

    conference: Conference
    codebook: Codebook
    curation: Curation
    analyses: List[SessionAnalysis]
    sentences: pd.DataFrame  # one row per sentence
    findings: pd.DataFrame  # one row per (sentence, theme) over the threshold, curation applied
    sessions: pd.DataFrame
    session_themes: pd.DataFrame  # sessions x themes: number of findings
    prominence: pd.DataFrame  # per theme: findings, share, sessions, speakers
    speakers: pd.DataFrame
    delegations: pd.DataFrame
    mentions: pd.DataFrame
    key_statements: Dict[str, pd.DataFrame]
    proposals: pd.DataFrame
    subtopics: pd.DataFrame  # per theme, its points (outcomes.subtopics), hidden ones included
    positions: pd.DataFrame  # per theme and delegation: findings, words, most representative statement
    differences: pd.DataFrame  # per theme, opposed statements on one sub-topic
    session_quotes: pd.DataFrame  # per session, the quotes its summary shows
    shown_proposals: pd.DataFrame  # per theme, the recommendations its chapters show (the rest: explorer, exports)
    drafted: pd.DataFrame  # per theme, the facts of the executive summary drafted when none is curated
    days: pd.DataFrame  # dates x themes: findings per day
    figures: Dict[str, int]
    provenance: pd.DataFrame
    pipelines: pd.DataFrame
    warnings: List[str] = field(default_factory=list)
    evaluation: Optional[pd.DataFrame] = None  # held-out accuracy per language and theme
    versions: Dict[str, object] = field(default_factory=dict)  # software that produced the findings
    unattributed: pd.Series = field(default_factory=lambda: pd.Series(dtype=int))  # session -> words no one is named for

    @property
    def theme_ids(self) -> List[str]:
        """Return the theme ids in codebook order."""
        return self.codebook.ids

    def key_messages(self) -> pd.DataFrame:
        """Return the key messages: the rapporteur's, or else the strongest finding per theme."""
        if self.curation.key_messages:
            rows = [{"text": m.text, "evidence": ", ".join(m.evidence), "curated": True, "theme": None}
                    for m in self.curation.key_messages]
            return pd.DataFrame(rows)
        rows = []
        for theme in self.theme_ids:
            top = self.key_statements.get(theme)
            if top is not None and len(top):
                row = top.iloc[0]
                rows.append({"text": row["text"], "evidence": row["id"], "curated": False, "theme": theme,
                             "speaker": row["speaker"], "delegation": row["delegation"], "session": row["session"]})
        return pd.DataFrame(rows)


def _sentence_rows(analyses: List[SessionAnalysis]) -> pd.DataFrame:
    rows = []
    for analysis in analyses:
        for sentence in analysis.sentences:
            rows.append({
                "id": sentence["id"], "session": analysis.id, "session_title": analysis.session["title"],
                "date": analysis.session["date"], "language": analysis.session["language"],
                "turn": sentence["turn"], "speaker": sentence["speaker"], "delegation": sentence["delegation"],
                "affiliation": sentence.get("affiliation"),
                "start": sentence["start"], "line": sentence["line"], "text": sentence["text"],
                "themes": tuple(sentence["themes"]), "scores": sentence["scores"],
                "cues": sentence["cues"], "proposal": sentence["proposal"],
                "words": len(sentence["text"].split()),
            })
    columns = ["id", "session", "session_title", "date", "language", "turn", "speaker", "delegation", "affiliation",
               "start", "line", "text", "themes", "scores", "cues", "proposal", "words"]
    return pd.DataFrame(rows, columns=columns)


def _findings(sentences: pd.DataFrame, curation: Curation) -> pd.DataFrame:
    rows = []
    excluded = set(curation.exclude)
    for row in sentences.itertuples(index=False):
        if row.id in excluded:
            continue
        for theme in row.themes:
            cues = sorted({c["text"].lower() for c in row.cues if c["theme"] == theme})
            rows.append({
                "id": row.id, "session": row.session, "session_title": row.session_title, "date": row.date,
                "language": row.language, "turn": row.turn, "speaker": row.speaker, "delegation": row.delegation,
                "affiliation": row.affiliation,
                "start": row.start, "line": row.line, "theme": theme, "score": row.scores.get(theme, 0.0),
                "confidence": calibration.confidence(row.language, theme, row.scores.get(theme, 0.0)),
                "cues": "; ".join(cues), "n_cues": len(cues), "text": row.text, "proposal": row.proposal,
                "words": row.words, "summary": curation.rewrite.get(row.id, ""),
                "procedural": is_procedural(row.text, row.language),
            })
    columns = ["id", "session", "session_title", "date", "language", "turn", "speaker", "delegation",
               "affiliation", "start", "line", "theme", "score", "confidence", "cues", "n_cues", "text", "proposal", "words", "summary",
               "procedural"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["confidence"] = frame["confidence"].astype(float)  # None (a theme not calibrated) -> NaN
    return frame.sort_values(["session", "turn", "line", "id", "theme"], kind="mergesort").reset_index(drop=True)


def _likeness(a, b) -> float:
    """Return how alike two findings are as key statements: who said them, where, on which point."""
    def same(field: str) -> bool:
        value = getattr(a, field, None)
        return isinstance(value, str) and value == getattr(b, field, None)

    return 0.4 * same("speaker") + 0.2 * same("delegation") + 0.15 * same("session") + 0.25 * same("subtopic")


def _key_statements(findings: pd.DataFrame, theme: str, pinned: List[str]) -> pd.DataFrame:
    """Choose a theme's key statements: pinned ones first, then by maximal marginal relevance.

    Only a finding at or above its language's operating point for the theme (see
    :mod:`outcomes.calibration`) may be chosen; the rapporteur may pin any finding. Among
    those, each next statement is the one whose confidence, less its likeness to those
    already chosen (:func:`_likeness`), is highest: speakers, delegations, sessions and
    sub-topics are spread. No speaker gives more than :data:`PER_SPEAKER`.
    """
    pool = findings[findings["theme"] == theme]
    if "subtopic" not in pool:
        pool = pool.assign(subtopic=None)
    chosen = pool[pool["id"].isin(pinned)]
    # giving the floor, thanks, the agenda: never a key statement unless the rapporteur pins it
    candidates = pool[~pool["id"].isin(pinned) & pool["words"].between(*QUOTE_WORDS) & ~pool["procedural"]
                      & _confident(pool, theme)]
    # strongest first; among equals, more distinct cues, then spoken order (deterministic)
    candidates = candidates.sort_values(["score", "n_cues", "session", "turn", "id"],
                                        ascending=[False, False, True, True, True], kind="mergesort")
    rows = list(candidates.itertuples(index=False))
    taken = list(chosen.itertuples(index=False))
    per_speaker: Dict[str, int] = chosen["speaker"].value_counts().to_dict()
    picked = []
    while rows and len(taken) < KEY_STATEMENTS:
        best, best_value = None, None
        for index, row in enumerate(rows):
            if per_speaker.get(row.speaker, 0) >= PER_SPEAKER:
                continue
            confidence = getattr(row, "confidence", None)
            relevance = confidence if confidence is not None and confidence == confidence else row.score  # NaN: none
            value = RELEVANCE * relevance - (1 - RELEVANCE) * max((_likeness(row, t) for t in taken), default=0.0)
            if best_value is None or value > best_value:
                best, best_value = index, value
        if best is None:
            break
        row = rows.pop(best)
        taken.append(row)
        picked.append(row.id)
        per_speaker[row.speaker] = per_speaker.get(row.speaker, 0) + 1
    ordered = pool[pool["id"].isin(picked)].set_index("id").loc[picked].reset_index()[list(pool.columns)]
    return pd.concat([chosen, ordered]).drop_duplicates("id").reset_index(drop=True)


def _confident(pool: pd.DataFrame, theme: str) -> pd.Series:
    """Return which findings of ``theme`` reach the key-statement operating point of their language."""
    needed = {language: calibration.key_threshold(language, theme) for language in pool["language"].unique()}
    return pd.Series([needed[language] is None or score >= needed[language]
                      for language, score in zip(pool["language"], pool["score"])], index=pool.index, dtype=bool)


def build(conference: Conference, analyses: List[SessionAnalysis], curation: Optional[Curation] = None,
          codebook: Optional[Codebook] = None, evaluation: Optional[pd.DataFrame] = None,
          provenance: Optional[dict] = None) -> Report:
    """Aggregate session analyses into the report's tables.

    Parameters
    ----------
    conference : Conference
        The loaded manifest.
    analyses : list of SessionAnalysis
        One per session, in manifest order.
    curation : Curation, optional
        The rapporteur's overrides; read from the conference folder when None.
    codebook : Codebook, optional
        The codebook the analyses used; the conference's when None.
    evaluation : DataFrame, optional
        Held-out accuracy (see :func:`outcomes.evaluation.evaluate`), shown in the methodology annex.
    provenance : dict, optional
        The build's provenance record (see :mod:`outcomes.provenance`); collected here when None.

    Returns
    -------
    Report
    """
    codebook = codebook or load_codebook(conference.codebook)
    curation = curation if curation is not None else load_curation(conference.curation_path, conference.root)
    themes = codebook.ids
    sentences = _sentence_rows(analyses)
    findings = _findings(sentences, curation)
    subtopic_table = _subtopics(findings, themes, curation)
    session_themes = _session_themes(findings, analyses, themes)
    people = participation.tables(analyses)
    # a finding the rapporteur summarised (rewrite) is shown, like a pinned one: its summary line is there
    shown_first = list(dict.fromkeys([*curation.pin, *curation.rewrite]))
    proposals = _proposals(findings, themes)
    shown_proposals = _shown_proposals(proposals, themes)
    from . import provenance as provenance_module

    record = provenance or provenance_module.collect(conference, analyses)
    return Report(
        conference=conference, codebook=codebook, curation=curation, analyses=analyses, sentences=sentences,
        findings=findings, sessions=_sessions(analyses, session_themes, themes), session_themes=session_themes,
        prominence=_prominence(findings, session_themes, themes), speakers=people.speakers,
        delegations=people.delegations, mentions=participation.mentions(analyses),
        key_statements={t: _key_statements(findings, t, shown_first) for t in themes}, proposals=proposals,
        subtopics=subtopic_table, positions=points.positions(findings, themes),
        differences=points.differences(findings, subtopic_table[~subtopic_table["hidden"]]),
        session_quotes=_session_quotes(findings), shown_proposals=shown_proposals,
        drafted=_drafted(findings, session_themes, subtopic_table, shown_proposals, themes),
        days=_days(findings, themes), figures=_figures(analyses, sentences, findings, proposals, people),
        provenance=pd.DataFrame(record["inputs"], columns=["role", "path", "sha256"]),
        pipelines=_pipelines(analyses), warnings=_warnings(analyses, sentences, curation), evaluation=evaluation,
        versions=record["versions"], unattributed=people.unattributed)


def _session_themes(findings: pd.DataFrame, analyses: List[SessionAnalysis], themes: List[str]) -> pd.DataFrame:
    """Return sessions x themes: the number of findings."""
    counts = findings.groupby(["session", "theme"]).size().unstack(fill_value=0) if len(findings) else pd.DataFrame()
    table = counts.reindex(index=[a.id for a in analyses], columns=themes, fill_value=0).astype(int)
    table.index.name = "session"
    return table


def _prominence(findings: pd.DataFrame, session_themes: pd.DataFrame, themes: List[str]) -> pd.DataFrame:
    """Return per theme: findings, sessions where it came up substantively, speakers, proposals, share."""
    prominence = pd.DataFrame({
        "theme": themes,
        "findings": [int((findings["theme"] == t).sum()) for t in themes],
        "sessions": [int((session_themes[t] >= MAIN_THEME_FINDINGS).sum()) for t in themes],
        "speakers": [int(findings.loc[findings["theme"] == t, "speaker"].nunique()) for t in themes],
        "proposals": [int(((findings["theme"] == t) & findings["proposal"].notna() & ~findings["procedural"]).sum())
                      for t in themes],
    })
    prominence["share"] = (prominence["findings"] / max(len(findings), 1)).round(3)
    return prominence


def _sessions(analyses: List[SessionAnalysis], session_themes: pd.DataFrame, themes: List[str]) -> pd.DataFrame:
    """Return one row per session: its manifest entry, speakers, words, sentences and findings per theme."""
    rows = []
    for analysis in analyses:
        s = analysis.session
        speakers = sorted({t["speaker"] for t in analysis.turns if t["speaker"] != UNKNOWN_SPEAKER})
        row = {"session": s["id"], "title": s["title"], "date": s["date"], "start": s.get("start"),
               "end": s.get("end"), "language": s["language"], "chair": s.get("chair"),
               "speakers": len(speakers), "words": analysis.source["words"], "format": analysis.source["format"],
               "sentences": len(analysis.sentences)}
        row.update({theme: int(session_themes.loc[s["id"], theme]) for theme in themes})
        rows.append(row)
    return pd.DataFrame(rows)


def _proposals(findings: pd.DataFrame, themes: List[str]) -> pd.DataFrame:
    """Return the findings that propose or recommend, in theme order then spoken order."""
    order = {t: i for i, t in enumerate(themes)}
    # a rule 37 invitation or "I invite the next speaker" is procedure, not a recommendation
    proposals = findings[findings["proposal"].notna() & ~findings["procedural"]].copy()
    proposals["theme_order"] = proposals["theme"].map(order)
    return proposals.sort_values(["theme_order", "session", "turn", "id"], kind="mergesort").reset_index(drop=True)


def _days(findings: pd.DataFrame, themes: List[str]) -> pd.DataFrame:
    """Return dates x themes: the number of findings on each day of the conference."""
    if not len(findings):
        return pd.DataFrame(columns=themes)
    by_day = findings.groupby(["date", "theme"]).size().unstack(fill_value=0)
    return by_day.reindex(columns=themes, fill_value=0).astype(int)


def _figures(analyses: List[SessionAnalysis], sentences: pd.DataFrame, findings: pd.DataFrame,
             proposals: pd.DataFrame, people) -> Dict[str, int]:
    """Return the report's key figures."""
    return {
        "sessions": len(analyses),
        "days": len({a.session["date"] for a in analyses if a.session["date"]}),
        "speakers": int(people.speakers["speaker"].nunique()),
        "delegations": int(people.delegations["delegation"].nunique()),
        "words": int(sum(a.source["words"] for a in analyses)),
        "sentences": int(len(sentences)),
        "findings": int(findings["id"].nunique()) if len(findings) else 0,
        "proposals": int(proposals["id"].nunique()) if len(proposals) else 0,
        "languages": len({a.session["language"] for a in analyses}),
        "unattributed_words": int(people.unattributed.sum()),
    }


def _pipelines(analyses: List[SessionAnalysis]) -> pd.DataFrame:
    """Return one row per language: the spaCy pipeline that analysed its sessions."""
    rows = {}
    for analysis in analyses:
        p = analysis.pipeline
        rows[p["language"]] = {"language": p["language"], "package": p["package"], "version": p["version"],
                               "spacy": p["spacy"], "components": ", ".join(p["components"])}
    return pd.DataFrame([rows[k] for k in sorted(rows)])


def _warnings(analyses: List[SessionAnalysis], sentences: pd.DataFrame, curation: Curation) -> List[str]:
    """Return the build's warnings: the transcripts', the curation's unknown ids, sessions with nothing to show."""
    warnings = [w for a in analyses for w in a.warnings]
    warnings += curation.unknown_ids(sentences["id"])
    for analysis in analyses:
        if not analysis.sentences:
            warnings.append(f"session {analysis.id}: no sentences were read")
        elif not any(s["themes"] for s in analysis.sentences):
            warnings.append(f"session {analysis.id}: no sentence carries a theme")
    return warnings


SUBTOPIC_COLUMNS = ["theme", "key", "label", "findings", "quotes", "sessions", "speakers", "delegations", "renamed",
                    "hidden"]


def _subtopics(findings: pd.DataFrame, themes: List[str], curation: Curation) -> pd.DataFrame:
    """Group each theme's findings into sub-topics, apply the rapporteur's edits, and tag each finding.

    Adds the ``subtopic`` column (its sub-topic's key, or None) to ``findings`` in place.
    """
    made = [s for theme in themes for s in subtopics.group(findings, theme)]
    made = subtopics.apply_edits(made, curation.subtopics)
    where = {(finding, s.theme): s.key for s in made for finding in s.findings}
    findings["subtopic"] = [where.get((i, t)) for i, t in zip(findings["id"], findings["theme"])]
    return pd.DataFrame([s.as_dict() for s in made], columns=SUBTOPIC_COLUMNS)


def _session_quotes(findings: pd.DataFrame) -> pd.DataFrame:
    """Return the quotes of each session's summary: its strongest quotable findings, one per speaker.

    Columns: ``session, id`` in spoken order within a session.
    """
    rows = []
    quotable = findings[findings["words"].between(*QUOTE_WORDS) & ~findings["procedural"]]
    ranked = quotable.sort_values(["session", "score", "n_cues", "turn", "id"],
                                  ascending=[True, False, False, True, True], kind="mergesort").drop_duplicates("id")
    for session, said in ranked.groupby("session", sort=True):
        chosen = said.drop_duplicates("speaker").head(SESSION_QUOTES)
        for row in chosen.sort_values(["turn", "id"], kind="mergesort").itertuples():
            rows.append({"session": session, "id": row.id})
    return pd.DataFrame(rows, columns=["session", "id"])


def _shown_proposals(proposals: pd.DataFrame, themes: List[str]) -> pd.DataFrame:
    """Return the recommendations each theme's chapters show: the most confident, one per speaker first.

    At most :data:`THEME_PROPOSALS` per theme, in spoken order. Columns: ``theme, id``.
    """
    rows = []
    for theme in themes:
        mine = proposals[proposals["theme"] == theme].copy()
        mine["weight"] = mine["confidence"].fillna(mine["score"])
        mine["repeat"] = mine.groupby("speaker").cumcount()  # a speaker's second recommendation comes later
        ranked = mine.sort_values(["repeat", "weight", "session", "turn", "id"],
                                  ascending=[True, False, True, True, True], kind="mergesort")
        chosen = ranked.head(THEME_PROPOSALS).sort_values(["session", "turn", "id"], kind="mergesort")
        rows += [{"theme": theme, "id": i} for i in chosen["id"]]
    return pd.DataFrame(rows, columns=["theme", "id"])


#: The drafted summary names this many sub-topics and recommendations per theme.
DRAFT_SUBTOPICS = 3
DRAFT_PROPOSALS = 2


def _drafted(findings: pd.DataFrame, session_themes: pd.DataFrame, subtopic_table: pd.DataFrame,
             shown_proposals: pd.DataFrame, themes: List[str]) -> pd.DataFrame:
    """Return, per theme, the facts an executive summary drafted from the data states.

    Columns: ``theme, findings, sessions`` (where it came up substantively), ``speakers, delegations,
    subtopics`` (keys of its largest visible sub-topics), ``proposals`` (ids of shown recommendations).
    """
    rows = []
    for theme in themes:
        mine = findings[findings["theme"] == theme]
        visible = subtopic_table[(subtopic_table["theme"] == theme) & ~subtopic_table["hidden"].astype(bool)
                                 & (subtopic_table["findings"].map(len) >= subtopics.SHOWN_MIN_FINDINGS)]
        top = visible.assign(size=visible["findings"].map(len)).sort_values(
            ["size", "key"], ascending=[False, True], kind="mergesort")
        rows.append({
            "theme": theme, "findings": int(mine["id"].nunique()),
            "sessions": [s for s in session_themes.index if session_themes.at[s, theme] >= MAIN_THEME_FINDINGS],
            "speakers": int(mine["speaker"].nunique()),
            "delegations": int(mine["delegation"].replace("", None).dropna().nunique()),
            "subtopics": top["key"].head(DRAFT_SUBTOPICS).tolist(),
            "proposals": shown_proposals[shown_proposals["theme"] == theme]["id"].head(DRAFT_PROPOSALS).tolist()})
    return pd.DataFrame(rows, columns=["theme", "findings", "sessions", "speakers", "delegations", "subtopics",
                                       "proposals"])


def cooccurrence(report: Report) -> pd.DataFrame:
    """Return themes x themes: sentences that carry both (the diagonal: sentences with the theme)."""
    themes = report.theme_ids
    matrix = pd.DataFrame(0, index=themes, columns=themes)
    for labels in report.findings.groupby("id")["theme"].apply(list):
        for a in labels:
            for b in labels:
                matrix.loc[a, b] += 1
    return matrix


SESSION_COLUMNS = ["session", "title", "date", "start", "end", "language", "chair", "format", "speakers", "words",
                   "sentences"]


def sessions_table(report: Report) -> pd.DataFrame:
    """Return the sessions export (``sessions.csv``): one row per session with its findings per theme."""
    return report.sessions[SESSION_COLUMNS + report.theme_ids].copy()


def findings_records(report: Report) -> list:
    """Return the findings export (``findings.json``): one object per finding and theme, with its cues."""
    cues = {row.id: row.cues for row in report.sentences.itertuples()}
    records = []
    for row, subtopic in zip(report.findings.to_dict("records"), subtopic_labels(report)):
        row = {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}  # NaN -> null
        records.append({
            "id": row["id"], "session": row["session"], "session_title": row["session_title"], "date": row["date"],
            "language": row["language"], "speaker": row["speaker"], "delegation": row["delegation"],
            "start": row["start"],
            "line": int(row["line"]), "turn": int(row["turn"]), "theme": row["theme"], "subtopic": subtopic,
            "score": row["score"],
            "confidence": row["confidence"],
            "proposal": row["proposal"], "summary": row["summary"] or None, "text": row["text"],
            "cues": [c for c in cues.get(row["id"], []) if c["theme"] == row["theme"]],
        })
    return records


def findings_table(report: Report) -> pd.DataFrame:
    """Return the findings export (``findings.csv``): one row per finding and theme."""
    table = report.findings.copy()
    table["subtopic"] = subtopic_labels(report)
    return table[FINDING_COLUMNS]


def subtopic_labels(report: Report) -> List[Optional[str]]:
    """Return each finding's sub-topic label (None where it is in no sub-topic, or in a hidden one)."""
    shown = report.subtopics[~report.subtopics["hidden"].astype(bool)]
    label = {(t, k): lab for t, k, lab in zip(shown["theme"], shown["key"], shown["label"])}
    return [label.get((t, k)) for t, k in zip(report.findings["theme"], report.findings["subtopic"])]

