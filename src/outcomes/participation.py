"""Who spoke and who was named: the report's participation tables, from the session analyses' turns.

Speech no one is named for ("Unknown speaker") is many people, not one: it is counted
apart (words per session), never as a speaker, and shares are of every word, named or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List

import pandas as pd

from .analysis import SessionAnalysis
from .transcripts.normalise import UNKNOWN_SPEAKER


@dataclass
class People:
    """The participation tables.

    Attributes
    ----------
    speakers : DataFrame
        ``speaker, delegation, sessions, turns, words, seconds``, most words first.
    delegations : DataFrame
        ``delegation, speakers, sessions, turns, words, share``, most words first.
    unattributed : Series
        Session -> words no one is named for (sessions with none left out).
    """

    speakers: pd.DataFrame
    delegations: pd.DataFrame
    unattributed: pd.Series


def _turns(analyses: List[SessionAnalysis]) -> pd.DataFrame:
    rows = []
    for analysis in analyses:
        for turn in analysis.turns:
            seconds = (turn["end"] - turn["start"]) if turn["start"] is not None and turn["end"] is not None else None
            rows.append({"session": analysis.id, "speaker": turn["speaker"], "delegation": turn["delegation"],
                         "role": turn["role"], "words": turn["words"], "seconds": seconds})
    turns = pd.DataFrame(rows, columns=["session", "speaker", "delegation", "role", "words", "seconds"])
    turns["delegation"] = turns["delegation"].fillna("")
    return turns


def tables(analyses: List[SessionAnalysis]) -> People:
    """Return the speakers, delegations and unattributed words of ``analyses``."""
    turns = _turns(analyses)
    unnamed = turns["speaker"] == UNKNOWN_SPEAKER
    unattributed = (turns[unnamed].groupby("session", sort=False)["words"].sum()
                    .reindex([a.id for a in analyses]).dropna().astype(int))
    unattributed = unattributed[unattributed > 0]
    spoken = max(int(turns["words"].sum()), 1)  # shares are of every word, named or not
    turns = turns[~unnamed]
    speakers = (turns.groupby(["speaker", "delegation"], sort=True)
                .agg(sessions=("session", "nunique"), turns=("session", "size"), words=("words", "sum"),
                     seconds=("seconds", lambda s: float(s.dropna().sum()) if s.notna().any() else None))
                .reset_index().sort_values(["words", "speaker"], ascending=[False, True], kind="mergesort")
                .reset_index(drop=True))
    delegations = (turns[turns["delegation"] != ""].groupby("delegation", sort=True)
                   .agg(speakers=("speaker", "nunique"), sessions=("session", "nunique"), turns=("session", "size"),
                        words=("words", "sum"))
                   .reset_index().sort_values(["words", "delegation"], ascending=[False, True], kind="mergesort")
                   .reset_index(drop=True))
    delegations["share"] = (delegations["words"] / spoken).round(3)
    return People(speakers, delegations, unattributed)


def mentions(analyses: List[SessionAnalysis]) -> pd.DataFrame:
    """Return the States and organisations named: ``kind, id, name, mentions, sessions``, most named first."""
    rows = [dict(m, session=a.id) for a in analyses for m in a.mentions if m["kind"] != "person"]
    table = pd.DataFrame(rows, columns=["kind", "id", "name", "count", "session"])
    if len(table):
        table = (table.groupby(["kind", "id", "name"], sort=True)
                 .agg(mentions=("count", "sum"), sessions=("session", "nunique")).reset_index()
                 .sort_values(["mentions", "name"], ascending=[False, True], kind="mergesort").reset_index(drop=True))
    return table
