"""Sub-topics: each theme's findings grouped into a handful of points, labelled with their own words.

A finding is a bag of word stems (lowercased, accents removed, cut to
:data:`STEM` letters, so that "verification" and "vérification", "laboratory" and
"laboratoire" meet) and of pairs of neighbouring stems, weighted by TF-IDF within
its theme. The theme's findings are grouped by spherical k-means: deterministic
(the first centre is the most confident finding, each next one the finding least
like the centres so far), with at most :data:`MAX_SUBTOPICS` groups, so time and
memory grow with the number of findings times that, never with its square.
Groups smaller than :data:`MIN_FINDINGS` are left out of the sub-topics: their
findings stay in the theme, the exports and the explorer. A theme's chapter shows
its :data:`SHOWN` largest sub-topics.

Measured against a hand-made grouping of the sample conference
(``benchmarks/subtopics.py``): agreement is weak (see that script's figures), and
multilingual word embeddings (wordllama) did worse than these word stems there.

A sub-topic's label is its own words: the two or three stems (a pair first) that
weigh most in its centre against the theme's, each written as the sub-topic's
findings most often write it. Its representative quote is the finding nearest its
centre, weighted by its calibrated confidence; a second one, the best in the other
language, shows where English and French speakers made the same point.

A sub-topic's key is the id of its most central finding; the rapporteur's edits in
``curation.yml`` name any finding of the sub-topic instead (see
:class:`outcomes.curation.SubtopicEdit`), so that an edit survives a rebuild that adds
a session and moves the centre.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd
import yaml

from .markup import unaccented
from .procedural import QUOTE_WORDS

#: Letters a stem keeps: long enough to tell words apart, short enough to join English and French forms.
STEM = 6
#: Sub-topics per theme at most, and the fewest findings a sub-topic has. Points are fine-grained
#: (the sample's hand-made gold has 14 to 79 per theme); the report shows the largest
#: :data:`SHOWN` of them, the findings explorer all of them.
MAX_SUBTOPICS = 60
MIN_FINDINGS = 2
#: Findings per sub-topic for k: a theme of 40 findings is cut into at most 40 // 2 = 20 groups.
FINDINGS_PER_SUBTOPIC = 2
#: Sub-topics a theme's chapter shows (those of at least :data:`SHOWN_MIN_FINDINGS` findings).
SHOWN = 6
SHOWN_MIN_FINDINGS = 3
#: Features per theme at most (the most frequent), which bounds memory on a large conference.
MAX_FEATURES = 4000
ITERATIONS = 25
#: Two groups whose centres are at least this alike (cosine) are one point.
MERGE_SIMILARITY = 0.3
#: Findings shorter than this (in words) make no point on their own ("On verification, first.").
MIN_WORDS = 6

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)
# function words and the talk of any conference, in both languages: they never make a point
_STOP = set("""
a about above after again against all also am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here
hers him his how i if in into is it its itself just let like may me might more most must my no nor not now of
off on once only or other our ours out over own same she should so some such than that the their theirs them
then there these they this those through to too under until up very was we were what when where which while
who whom why will with would you your yours us one two also well many much need needs make made use used using
able already still even every get gets got think know say said see way ways things thing lot really going
thank thanks colleague colleagues chair madam mister mr mrs ms excellency excellencies ladies gentlemen
session panel today yesterday tomorrow question questions point points issue issues
au aux avec ce ces cet cette dans de des du elle elles en et eux il ils je la le les leur leurs lui ma mais me
même mes moi mon ne nos notre nous on ou où par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une
vos votre vous c d j l m n s t y été être avoir ont est sont était fait faire peut peuvent doit doivent aussi
bien plus très tout tous toute toutes comme si sans entre depuis donc alors ainsi car ni leur cela ça ceci
merci madame monsieur président présidente collègues excellence mesdames messieurs séance panel aujourd hui
question questions point points
first second third fourth fifth finally lastly next firstly secondly thirdly last
premier premiere premierement deuxieme deuxiemement troisieme troisiemement quatrieme enfin dernier derniere
propose proposes proposal recommend recommends recommendation call calls urge would like want wish believe
proposons propose proposition recommande recommandons appelle appelons souhaite souhaitons crois pensons
contre premiers premieres person people party parties country countries pays national nationale nationaux
important importante new nouveau nouvelle nouvelles different differents concrete concret concrete concretement
work works working help helps whether beaucoup encore deja already year years annee annees day days jour jours
time times fois part way kind sort something anything everything chose choses quelque tres trop often souvent
two three four five six ten hundred deux trois quatre cinq six dix cent real vrai vraie vraiment offers offer
avons devons devrait devraient pouvons pourrait seulement afin notamment cela celle celui ceux dont lors
sommes sera serait seront etre fait faut better clear appropriate specifically systematically nearly useful
""".split())
# two-letter words that carry meaning
_SHORT = {"ai", "ia", "un", "eu", "au"} - _STOP


def _fold(word: str) -> str:
    return unaccented(word.lower())


def _words(text: str) -> List[Tuple[str, str]]:
    """Return ``(folded word, word as written)`` for each content word of ``text``."""
    found = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        folded = _fold(word).replace("’", "'")
        if "'" in folded:  # l'inspection -> inspection
            folded = folded.split("'")[-1]
            word = word.replace("’", "'").split("'")[-1]
        if len(folded) < 2 or folded in _STOP or (len(folded) < 3 and folded not in _SHORT):
            continue
        found.append((folded, word))
    return found


@lru_cache(maxsize=1)
def glossary() -> Dict[Tuple[str, ...], str]:
    """Return the French-to-English glossary (``data/glossary.yml``) as folded word sequences -> English stem."""
    data = yaml.safe_load((resources.files("outcomes") / "data" / "glossary.yml").read_text(encoding="utf-8"))
    return {tuple(w for w, _ in _words(str(french))): _fold(str(english))[:STEM]
            for french, english in (data or {}).items() if _words(str(french))}


def tokens(text: str) -> List[Tuple[str, str]]:
    """Return ``(stem, words as written)`` for each content word of ``text``, in order.

    Glossary phrases ("essai d'aptitude") count as one word with their English stem.
    """
    words = _words(text)
    known = glossary()
    longest = max((len(k) for k in known), default=1)
    found, index = [], 0
    while index < len(words):
        for size in range(min(longest, len(words) - index), 0, -1):
            key = tuple(w for w, _ in words[index:index + size])
            if key in known:
                found.append((known[key], " ".join(w for _, w in words[index:index + size])))
                index += size
                break
        else:
            folded, word = words[index]
            found.append((folded[:STEM], word))
            index += 1
    return found


def features(text: str) -> Counter:
    """Return the stems of ``text`` and the pairs of neighbouring stems ("stem1 stem2")."""
    stems = [stem for stem, _ in tokens(text)]
    counted = Counter(stems)
    counted.update(f"{a} {b}" for a, b in zip(stems, stems[1:]) if a != b)
    return counted


@dataclass
class Subtopic:
    """One point made under a theme.

    Attributes
    ----------
    key : str
        The id of its most central finding.
    theme : str
    label : str
        Its own words (see the module).
    findings : list of str
        Ids of its findings, most central first.
    quotes : list of str
        One or two representative finding ids.
    sessions, speakers, delegations : list of str
        Who raised it and where, in order of first mention.
    renamed, hidden : bool
        Whether the rapporteur renamed or hid it.
    """

    key: str
    theme: str
    label: str
    findings: List[str]
    quotes: List[str]
    sessions: List[str] = field(default_factory=list)
    speakers: List[str] = field(default_factory=list)
    delegations: List[str] = field(default_factory=list)
    renamed: bool = False
    hidden: bool = False

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _matrix(texts: Sequence[str], leave_out=frozenset()) -> Tuple[np.ndarray, List[str], List[Counter]]:
    """Return the L2-normalised TF-IDF matrix of ``texts``, its feature names and each text's features.

    Stems of the words in ``leave_out`` (folded) are not features.
    """
    dropped = {word[:STEM] for word in leave_out if len(word) >= 3}
    counted = [Counter({f: n for f, n in features(t).items() if not dropped & set(f.split())}) for t in texts]
    frequency = Counter(f for c in counted for f in c)
    names = [f for f, n in sorted(frequency.items(), key=lambda item: (-item[1], item[0])) if n >= 2][:MAX_FEATURES]
    column = {name: i for i, name in enumerate(names)}
    matrix = np.zeros((len(texts), len(names)), dtype=np.float32)
    total = len(texts)
    for row, c in enumerate(counted):
        for name, n in c.items():
            if name in column:
                matrix[row, column[name]] = (1 + math.log(n)) * (math.log((1 + total) / (1 + frequency[name])) + 1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms), names, counted


def _kmeans(matrix: np.ndarray, k: int, first: int) -> np.ndarray:
    """Return each row's group by spherical k-means from a deterministic farthest-first start."""
    centres = [first]
    nearest = matrix @ matrix[first]
    nearest[first] = np.inf
    nearest[~matrix.any(axis=1)] = np.inf  # a finding with no feature left is no centre
    while len(centres) < k and np.isfinite(nearest).any():
        candidate = int(np.argmin(nearest))  # the finding least like every centre so far (first such index)
        centres.append(candidate)
        nearest = np.maximum(nearest, matrix @ matrix[candidate])
        nearest[candidate] = np.inf
    centre = matrix[centres].copy()
    groups = np.zeros(len(matrix), dtype=int)
    for _ in range(ITERATIONS):
        updated = np.argmax(matrix @ centre.T, axis=1)
        if _ > 0 and np.array_equal(updated, groups):
            break
        groups = updated
        for g in range(len(centre)):
            members = matrix[groups == g]
            if len(members):
                mean = members.sum(axis=0)
                norm = np.linalg.norm(mean)
                centre[g] = mean / norm if norm else mean
    return groups


def _merge(matrix: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Merge the two groups whose centres are most alike, while they are at least :data:`MERGE_SIMILARITY` alike.

    k-means cuts a theme into many groups on purpose; this joins those that make one point.
    """
    groups = groups.copy()
    while True:
        labels = sorted(set(groups.tolist()))
        if len(labels) < 2:
            return groups
        centres = np.stack([matrix[groups == g].mean(axis=0) for g in labels])
        norms = np.linalg.norm(centres, axis=1, keepdims=True)
        centres = centres / np.where(norms == 0, 1, norms)
        alike = centres @ centres.T
        np.fill_diagonal(alike, -1)
        a, b = np.unravel_index(int(np.argmax(alike)), alike.shape)
        if alike[a, b] < MERGE_SIMILARITY:
            return groups
        groups[groups == labels[max(a, b)]] = labels[min(a, b)]


def _label(centre: np.ndarray, background: np.ndarray, names: List[str], counted: List[Counter],
           texts: List[str]) -> str:
    """Return the sub-topic's words: its heaviest features against the theme's, as its findings write them."""
    lift = centre - background
    order = [i for i in np.argsort(-lift, kind="stable") if lift[i] > 0][:12]
    chosen: List[str] = []
    for i in order:  # a pair first, then single stems not already in a chosen pair
        name = names[i]
        if any(part in " ".join(chosen).split() for part in name.split()):
            continue
        chosen.append(name)
        if len(chosen) == 3 or (len(chosen) == 2 and " " in chosen[0]):
            break
    written: Dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        pairs = tokens(text)
        for (stem, word) in pairs:
            written[stem][word.lower() if not word.isupper() else word] += 1
        for (a, wa), (b, wb) in zip(pairs, pairs[1:]):
            written[f"{a} {b}"][f"{wa.lower() if not wa.isupper() else wa} {wb.lower() if not wb.isupper() else wb}"] += 1
    words = [min(written[name].items(), key=lambda item: (-item[1], item[0]))[0] for name in chosen if written[name]]
    return ", ".join(words)


def group(findings: pd.DataFrame, theme: str) -> List[Subtopic]:
    """Return the sub-topics of ``theme`` from its rows of ``findings`` (the report's findings table).

    Deterministic: the same findings give the same sub-topics, keys and labels.
    """
    pool = findings[(findings["theme"] == theme) & ~findings["procedural"].astype(bool)
                    & (findings["words"] >= MIN_WORDS)].drop_duplicates("id")
    pool = pool.sort_values(["session", "turn", "line", "id"], kind="mergesort").reset_index(drop=True)
    if len(pool) < MIN_FINDINGS:
        return []
    # the names of those who speak are who raised a point, not the point (a delegation's name, such as
    # "International Council of Chemical Associations", holds the very words of the points)
    people = {_fold(part) for name in findings["speaker"].dropna().unique() for part in _WORD.findall(str(name))}
    texts = pool["text"].tolist()
    matrix, names, counted = _matrix(texts, people)
    if not names:
        return []
    weight = pool["confidence"].fillna(pool["score"]).to_numpy(dtype=float)
    k = max(1, min(MAX_SUBTOPICS, len(pool) // FINDINGS_PER_SUBTOPIC))
    first = int(np.argmax(weight))
    groups = _merge(matrix, _kmeans(matrix, k, first))
    background = matrix.mean(axis=0)
    records = pool.to_dict("records")  # in spoken order
    made = []
    for g in sorted(set(groups.tolist())):
        rows = np.flatnonzero(groups == g)
        if len(rows) < MIN_FINDINGS:
            continue
        centre = matrix[rows].mean(axis=0)
        norm = np.linalg.norm(centre)
        centre = centre / norm if norm else centre
        central = matrix[rows] @ centre
        order = [int(rows[i]) for i in np.lexsort((rows, -central))]
        ranked = [int(r) for r in sorted(rows, key=lambda r: (-(float(matrix[r] @ centre) * weight[r]), r))]
        spoken = [records[r] for r in sorted(rows)]
        made.append(Subtopic(
            key=str(records[order[0]]["id"]), theme=theme,
            label=_label(centre, background, names, [counted[r] for r in rows], [texts[r] for r in rows]),
            findings=[records[r]["id"] for r in order], quotes=_quotes(records, ranked),
            sessions=_ordered(r["session"] for r in spoken), speakers=_ordered(r["speaker"] for r in spoken),
            delegations=_ordered(r["delegation"] for r in spoken)))
    made.sort(key=lambda s: (-len(s.findings), s.key))
    return made


def _quotes(records: List[dict], ranked: List[int]) -> List[str]:
    """Return a sub-topic's representative quotes: its best, and the best in another language if it has one.

    Quotable findings (:data:`QUOTE_WORDS`) come first; a sub-topic of short findings still has one quote.
    """
    quotable = [r for r in ranked if QUOTE_WORDS[0] <= records[r]["words"] <= QUOTE_WORDS[1]] or ranked[:1]
    first = quotable[0]
    other = next((r for r in quotable if records[r]["language"] != records[first]["language"]), None)
    return [str(records[r]["id"]) for r in ([first] if other is None else [first, other])]


def _ordered(values) -> List[str]:
    seen: Dict[str, None] = {}
    for value in values:
        if isinstance(value, str) and value:
            seen.setdefault(value, None)
    return list(seen)


def apply_edits(subtopics: List[Subtopic], edits) -> List[Subtopic]:
    """Apply the rapporteur's renames, merges and hides (``curation.yml``'s ``subtopics``).

    Each edit names a finding; it applies to the sub-topic of the edit's theme (or any
    theme) that holds that finding. An edit whose finding is in no sub-topic does nothing
    (the curation's unknown-id warning names it when the finding no longer exists).
    """
    def holding(finding: str, theme: Optional[str]) -> Optional[Subtopic]:
        return next((s for s in subtopics if finding in s.findings and (theme is None or s.theme == theme)), None)

    for edit in edits:
        target = holding(edit.finding, edit.theme)
        if target is None:
            continue
        for other_id in edit.merge:
            other = holding(other_id, target.theme)
            if other is not None and other is not target:
                target.findings += other.findings
                target.sessions = _ordered(target.sessions + other.sessions)
                target.speakers = _ordered(target.speakers + other.speakers)
                target.delegations = _ordered(target.delegations + other.delegations)
                subtopics.remove(other)
        if edit.label:
            target.label, target.renamed = edit.label, True
        if edit.hide:
            target.hidden = True
    return subtopics


def agreement(predicted: Dict[str, str], gold: Dict[str, str]) -> Dict[str, float]:
    """Return how a grouping agrees with a gold grouping (each: item -> group), items in both only.

    ``precision``, ``recall``, ``f1``: B-cubed (per item, the share of its group that the
    other grouping puts with it). ``pair_precision``, ``pair_recall``, ``pair_f1``: over
    pairs of items put together. ``ari``: the adjusted Rand index, 0 for a grouping no
    better than chance (every item alone scores 0 there, though its B-cubed F1 is high
    when the gold has many singletons) and 1 for the gold itself.
    """
    items = sorted(set(predicted) & set(gold))
    if not items:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0, "pair_precision": 0.0, "pair_recall": 0.0,
                "pair_f1": 0.0, "ari": 0.0, "items": 0}
    by_predicted: Dict[str, set] = defaultdict(set)
    by_gold: Dict[str, set] = defaultdict(set)
    both: Counter = Counter()
    for item in items:
        by_predicted[predicted[item]].add(item)
        by_gold[gold[item]].add(item)
        both[(predicted[item], gold[item])] += 1
    precision = sum(len(by_predicted[predicted[i]] & by_gold[gold[i]]) / len(by_predicted[predicted[i]])
                    for i in items) / len(items)
    recall = sum(len(by_predicted[predicted[i]] & by_gold[gold[i]]) / len(by_gold[gold[i]])
                 for i in items) / len(items)

    def pairs(n: int) -> float:
        return n * (n - 1) / 2

    together = sum(pairs(n) for n in both.values())
    said = sum(pairs(len(g)) for g in by_predicted.values())
    truth = sum(pairs(len(g)) for g in by_gold.values())
    expected = said * truth / pairs(len(items)) if len(items) > 1 else 0.0
    ceiling = (said + truth) / 2
    ari = (together - expected) / (ceiling - expected) if ceiling != expected else 0.0
    pair_precision = together / said if said else 0.0
    pair_recall = together / truth if truth else 0.0

    def harmonic(a: float, b: float) -> float:
        return 2 * a * b / (a + b) if a + b else 0.0

    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(harmonic(precision, recall), 3),
            "pair_precision": round(pair_precision, 3), "pair_recall": round(pair_recall, 3),
            "pair_f1": round(harmonic(pair_precision, pair_recall), 3), "ari": round(ari, 3), "items": len(items)}
