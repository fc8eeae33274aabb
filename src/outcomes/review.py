"""What a rapporteur checks in one session: tables drawn from a :class:`SessionAnalysis`.

The session notebook displays these; each is a plain DataFrame, sorted, so the
executed notebook is deterministic.
"""

from __future__ import annotations

import pandas as pd

from .analysis import SessionAnalysis
from .i18n import clock


def overview(analysis: SessionAnalysis) -> pd.DataFrame:
    """Return the session's identity and size as a two-column table."""
    s, src = analysis.session, analysis.source
    themed = sum(1 for x in analysis.sentences if x["themes"])
    rows = [("session", s["id"]), ("title", s["title"]), ("date", s["date"] or ""), ("language", s["language"]),
            ("chair", s.get("chair") or ""), ("transcript", src["path"]), ("format", src["format"]),
            ("turns", src["turns"]), ("words", src["words"]), ("sentences", len(analysis.sentences)),
            ("sentences with a theme", themed),
            ("proposals", sum(1 for x in analysis.sentences if x["proposal"] and x["themes"])),
            ("pipeline", f"{analysis.pipeline['package']} {analysis.pipeline['version']}")]
    return pd.DataFrame(rows, columns=["", "value"]).set_index("")


def turns(analysis: SessionAnalysis, preview: int = 80) -> pd.DataFrame:
    """Return one row per turn: who spoke, when, where in the file, and the start of what they said."""
    texts = {}
    for sentence in analysis.sentences:
        texts.setdefault(sentence["turn"], []).append(sentence["text"])
    rows = []
    for turn in analysis.turns:
        text = " ".join(texts.get(turn["index"], []))
        rows.append({"turn": turn["index"], "line": turn["line"], "time": clock(turn["start"]),
                     "speaker": turn["speaker"], "delegation": turn["delegation"] or "",
                     "words": turn["words"], "text": text[:preview] + ("…" if len(text) > preview else "")})
    return pd.DataFrame(rows).set_index("turn")


def themes_by_speaker(analysis: SessionAnalysis, themes) -> pd.DataFrame:
    """Return, per speaker, how many of their sentences carry each theme."""
    rows = {}
    for sentence in analysis.sentences:
        key = (sentence["speaker"], sentence["delegation"] or "")
        row = rows.setdefault(key, {t: 0 for t in themes})
        for theme in sentence["themes"]:
            if theme in row:
                row[theme] += 1
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=list(themes))
    frame.index = pd.MultiIndex.from_tuples(frame.index, names=["speaker", "delegation"])
    return frame.sort_index()


def evidence(analysis: SessionAnalysis, limit: int = 12) -> pd.DataFrame:
    """Return the strongest themed sentences with the cues that fired."""
    rows = []
    for s in analysis.sentences:
        for theme in s["themes"]:
            cues = sorted({c["text"] for c in s["cues"] if c["theme"] == theme})
            rows.append({"id": s["id"], "theme": theme, "score": s["scores"][theme], "speaker": s["speaker"],
                         "line": s["line"], "cues": ", ".join(cues), "text": s["text"], "n": len(cues)})
    if not rows:
        return pd.DataFrame(columns=["id", "theme", "score", "speaker", "line", "cues", "text"])
    frame = pd.DataFrame(rows).sort_values(["score", "n", "line", "id"], ascending=[False, False, True, True],
                                           kind="mergesort")
    return frame.drop(columns="n").head(limit).reset_index(drop=True)


def proposals(analysis: SessionAnalysis) -> pd.DataFrame:
    """Return the themed sentences that propose, recommend, call for, urge or commit."""
    rows = [{"id": s["id"], "kind": s["proposal"], "speaker": s["speaker"], "delegation": s["delegation"] or "",
             "themes": ", ".join(s["themes"]), "text": s["text"]}
            for s in analysis.sentences if s["proposal"] and s["themes"]]
    return pd.DataFrame(rows, columns=["id", "kind", "speaker", "delegation", "themes", "text"])


def warnings(analysis: SessionAnalysis) -> pd.DataFrame:
    """Return what looked odd while reading the transcript."""
    return pd.DataFrame({"warning": analysis.warnings})
