"""What was said under a theme, beyond where: positions by delegation and points of difference.

Both read the report's findings once they carry their sub-topic (:mod:`outcomes.subtopics`).

- **Positions**: per theme, each delegation or organisation that spoke to it, the
  number of its findings and of their words, and its one most representative
  statement: of its findings that may be quoted, the most confident in the largest
  sub-topic it spoke to.
- **Points of difference**: two statements of different delegations in the same
  sub-topic, one of which denies what the other affirms: it negates a word and what
  follows ("cannot *replace inspectors*", "ne doit pas *réglementer l'IA*") that the
  other says without negation, and the two share at least :data:`SHARED_WORDS` content words beyond the sub-topic's
  own label. This is
  deliberately conservative: on the sample conference's hand-written gold, a pair it
  lists is checked against the pairs a reader marked as opposed
  (``benchmarks/subtopics.py``), and precision matters more than coverage.
"""

from __future__ import annotations

import re
from typing import Dict, List

import pandas as pd

from .procedural import QUOTE_WORDS
from .subtopics import tokens

#: Content words two opposed statements share at least, besides their sub-topic's label.
SHARED_WORDS = 2
#: Points of difference shown per theme at most.
DIFFERENCES = 3
#: A delegation's statement is shown in the positions table from this many findings on the theme;
#: those with fewer are listed on one line, with their number of findings.
POSITION_MIN_FINDINGS = 3

# English words that deny what follows them, and what closes a French "ne ... pas"
_EN_NOT = (r"cannot|can't|can ?not|could not|won't|will not|should not|shouldn't|must not|mustn't|need not|"
           r"does not|doesn't|do not|don't")
_FR_NOT = r"pas|jamais|plus|guère|nullement"
_NEGATION = {
    "en": re.compile(rf"\b(?:{_EN_NOT}|is not|isn't|are not|aren't|never|no substitute|not replace|"
                     r"not a substitute|nor)\b", re.I),
    "fr": re.compile(rf"\b(?:ne|n')\s*(?:\w+\s+){{0,2}}?(?:{_FR_NOT})\b|\bne saurait\b|"
                     r"\bn'est pas\b|\bsans (?:remplacer|se substituer)\b", re.I),
}


def negates(text: str, language: str) -> bool:
    """Return True when ``text`` says that something is not, cannot or must not be."""
    pattern = _NEGATION.get(language, _NEGATION["en"])
    return bool(pattern.search(text.replace("’", "'")))


# what a negation denies: the content word after it (English) or between "ne" and "pas" (French)
_DENIED = {
    "en": re.compile(rf"\b(?:{_EN_NOT}|never|not)\s+(?:(?:be|simply|just|try to|to|a|an|the)\s+)*(\w+)", re.I),
    # "ne remplace pas", or after a modal "ne doit pas réglementer"
    "fr": re.compile(rf"\b(?:ne|n')\s*(?:(?:se|s')\s*)?(\w+)\s+(?:{_FR_NOT})\b"
                     r"(?:\s+(?:(?:à|de|d'|se|s')\s*)?(\w+))?", re.I),
}
_MODALS = {"peut", "peuvent", "pourra", "pourront", "doit", "doivent", "devra", "devront", "saurait", "sauraient",
           "faut", "va", "vont", "veut", "veulent", "est", "sont"}


def denied(text: str, language: str) -> set:
    """Return what ``text`` denies, as pairs of stems: the word negated and the next content word.

    "AI cannot replace inspectors" -> {("replac", "inspec")}.
    """
    pattern = _DENIED.get(language, _DENIED["en"])
    text = text.replace("’", "'")
    found = set()
    for match in pattern.finditer(text):
        word, end = match.group(1), match.end(1)
        if language == "fr":
            if word.lower() in _MODALS and match.group(2):
                word, end = match.group(2), match.end(2)
            elif match.group(2):
                end = match.start(2)
        verb = [stem for stem, _ in tokens(word)]
        after = [stem for stem, _ in tokens(text[end:])]
        if verb and after:
            found.add((verb[0], after[0]))
    return found


def _quotable(frame: pd.DataFrame) -> pd.Series:
    return frame["words"].between(*QUOTE_WORDS) & ~frame["procedural"].astype(bool)


def positions(findings: pd.DataFrame, themes: List[str]) -> pd.DataFrame:
    """Return one row per theme and delegation: findings, words, and its most representative statement.

    Columns: ``theme, delegation, speakers, findings, words, statement`` (a finding id, or
    None when none of its findings may be quoted).
    """
    rows = []
    pool = findings[findings["delegation"].notna() & (findings["delegation"] != "")]
    pool = pool.assign(quotable=_quotable(pool), weight=pool["confidence"].fillna(pool["score"]))
    for theme in themes:
        mine = pool[pool["theme"] == theme]
        sizes = mine["subtopic"].value_counts().to_dict()
        by_delegation: Dict[str, List[dict]] = {}
        for row in mine.to_dict("records"):
            by_delegation.setdefault(row["delegation"], []).append(row)
        for delegation in sorted(by_delegation):
            said = by_delegation[delegation]
            # most confident in the largest sub-topic it spoke to; then spoken order
            candidates = sorted((r for r in said if r["quotable"]),
                                key=lambda r: (-sizes.get(r["subtopic"], 0), -r["weight"], r["session"], r["turn"],
                                               r["id"]))
            rows.append({"theme": theme, "delegation": delegation,
                         "speakers": ", ".join(sorted({r["speaker"] for r in said})),
                         "findings": len({r["id"] for r in said}), "words": int(sum(r["words"] for r in said)),
                         "statement": candidates[0]["id"] if candidates else None})
    frame = pd.DataFrame(rows, columns=["theme", "delegation", "speakers", "findings", "words", "statement"])
    order = {t: i for i, t in enumerate(themes)}
    frame["theme_order"] = frame["theme"].map(order)
    return (frame.sort_values(["theme_order", "words", "delegation"], ascending=[True, False, True], kind="mergesort")
            .drop(columns="theme_order").reset_index(drop=True))


def differences(findings: pd.DataFrame, subtopics: pd.DataFrame) -> pd.DataFrame:
    """Return pairs of opposed statements of different delegations on one sub-topic (see the module).

    Columns: ``theme, subtopic, first, second`` (finding ids: ``first`` affirms, ``second`` negates).
    """
    rows = []
    labels: Dict[tuple, set] = {(s.theme, s.key): {stem for stem, _ in tokens(s.label)}
                                for s in subtopics.itertuples()}
    pool = findings[findings["subtopic"].notna() & findings["delegation"].notna() & _quotable(findings)]
    pool = pool.sort_values(["theme", "subtopic", "session", "turn", "id"], kind="mergesort")
    groups: Dict[tuple, List[dict]] = {}
    for row in pool.to_dict("records"):
        groups.setdefault((row["theme"], row["subtopic"]), []).append(row)
    for (theme, key), said in groups.items():
        stems = {row["id"]: {stem for stem, _ in tokens(row["text"])} for row in said}
        words = {i: found - labels.get((theme, key), set()) for i, found in stems.items()}
        negative = [row for row in said if negates(row["text"], row["language"])]
        positive = [row for row in said if row not in negative]
        found = []
        for no in negative:
            claim = denied(no["text"], no["language"])
            for yes in positive:
                if yes["delegation"] == no["delegation"]:
                    continue
                # the one denies what the other affirms, and they speak of the same things
                shared = len(words[yes["id"]] & words[no["id"]])
                affirmed = stems[yes["id"]]
                if shared >= SHARED_WORDS and any(verb in affirmed and what in affirmed for verb, what in claim):
                    found.append((shared, yes["id"], no["id"]))
        used = set()
        for shared, yes, no in sorted(found, key=lambda f: (-f[0], f[1], f[2])):
            if yes in used or no in used:
                continue
            used |= {yes, no}
            rows.append({"theme": theme, "subtopic": key, "first": yes, "second": no, "shared": shared})
    frame = pd.DataFrame(rows, columns=["theme", "subtopic", "first", "second", "shared"])
    frame = frame.sort_values(["theme", "shared", "first"], ascending=[True, False, True], kind="mergesort")
    return frame.groupby("theme", sort=False).head(DIFFERENCES).reset_index(drop=True)
