"""Read the real-text evaluation sets and their frozen split into a development and a test part.

The real texts are third-party paragraphs nobody on the team wrote: 1,106 English
paragraphs of UN General Debate speeches and 399 French paragraphs of official
statements, each labelled with the four themes by two annotators. They are read by
path and never copied into the repository: from ``<repo>/../shared/realtext`` unless
the environment variable ``OUTCOMES_REALTEXT`` names another folder. English lies at
the top of that folder (``paragraphs.jsonl``, ``labels.jsonl``), French in ``fr/``.

Gold labels are the ``labels`` field of ``labels.jsonl``: the set both annotators
agreed on (``"agreement": "agreed"``) or, where they differed, the adjudicated set
(``"agreement": "adjudicated"``). The file holds no per-annotator labels, so there is
no other set to choose.

The split is by document (an English speech, a French page), made once by
:func:`make_split` and frozen in ``outcomes/data/realtext-split.json``; evaluation
reads that file and never splits again. Tuning may look at the dev part only.
"""

from __future__ import annotations

import json
import os
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from .errors import InputError
from .files import MB, read_limited

ENV = "OUTCOMES_REALTEXT"
DEFAULT_ROOT = Path(__file__).resolve().parents[2].parent / "shared" / "realtext"
LANGUAGES = ("en", "fr")
PARTS = ("dev", "test")
SPLIT_FILE = Path(__file__).resolve().parent / "data" / "realtext-split.json"
#: The two files are under 1 MB each; the limit only stops a wrong path from filling memory.
MAX_BYTES = 50 * MB
SPLIT_SEED = 20251129
TEST_SHARE = 0.5
MIN_TEST_SHARE = 0.4
DRAWS = 20000

_PARAGRAPH_SUFFIX = re.compile(r"-p\d+$")


@dataclass(frozen=True)
class Paragraph:
    """One labelled real-text paragraph."""

    id: str
    doc: str
    lang: str
    text: str
    labels: Tuple[str, ...]
    agreement: str


def root(folder: Optional[Path] = None) -> Path:
    """Return the folder of the real texts: ``folder``, else ``$OUTCOMES_REALTEXT``, else the default.

    Parameters
    ----------
    folder : Path, optional
        An explicit location, which wins over the environment.

    Returns
    -------
    Path
    """
    if folder:
        return Path(folder)
    return Path(os.environ.get(ENV) or DEFAULT_ROOT)


def files(language: str, folder: Optional[Path] = None) -> Tuple[Path, Path]:
    """Return the paragraphs file and the labels file of ``language``.

    Raises
    ------
    ValueError
        For a language with no real-text set.
    """
    if language not in LANGUAGES:
        raise ValueError(f"no real-text set for language '{language}' (there are {', '.join(LANGUAGES)})")
    base = root(folder) if language == "en" else root(folder) / language
    return base / "paragraphs.jsonl", base / "labels.jsonl"


def available(language: str, folder: Optional[Path] = None) -> bool:
    """Return whether both files of the ``language`` set are present."""
    return all(path.is_file() for path in files(language, folder))


def missing_message(languages: Sequence[str], folder: Optional[Path] = None) -> str:
    """Return the one line that says which real-text sets are absent and how to point at them."""
    absent = [language for language in languages if not available(language, folder)]
    return (f"real text: not found for {', '.join(absent)} in {root(folder)} "
            f"(third-party, never in the repository; set {ENV} to its folder); skipped")


def document_of(record: dict) -> str:
    """Return the document a paragraph record belongs to: the speech (``doc``) or, in French, the page.

    A French record has no ``doc``; its id is the page's slug plus ``-pNN``, and one
    slug is one page address (checked when the split was made).
    """
    return str(record.get("doc") or _PARAGRAPH_SUFFIX.sub("", record["id"]))


def _records(path: Path) -> List[Tuple[int, dict]]:
    """Return the JSON objects of a JSONL file with their line numbers."""
    text = read_limited(path, MAX_BYTES, what="real-text file").decode("utf-8", errors="replace")
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"is not JSON ({exc.msg})", path, number) from exc
        if not isinstance(record, dict) or "id" not in record:
            raise InputError("is not a record with an id", path, number)
        records.append((number, record))
    return records


def load(language: str, themes: Optional[Iterable[str]] = None, folder: Optional[Path] = None) -> List[Paragraph]:
    """Read the real-text paragraphs of ``language`` with their gold labels, sorted by id.

    Parameters
    ----------
    language : str
        "en" or "fr".
    themes : iterable of str, optional
        The theme ids a label may take; unchecked when None.
    folder : Path, optional
        Where the real texts are (see :func:`root`).

    Returns
    -------
    list of Paragraph

    Raises
    ------
    InputError
        When a file is missing or malformed, a label is not a theme, or the two files
        do not hold the same ids.
    """
    text_path, label_path = files(language, folder)
    known = set(themes) if themes is not None else None
    labels: Dict[str, Tuple[Tuple[str, ...], str]] = {}
    for number, record in _records(label_path):
        found = record.get("labels")
        if not isinstance(found, list) or (known is not None and not set(found) <= known):
            raise InputError(f"labels must be a list of theme ids, not {found!r:.80}", label_path, number)
        labels[record["id"]] = (tuple(sorted(found)), str(record.get("agreement", "")))
    paragraphs = []
    for number, record in _records(text_path):
        if record["id"] not in labels:
            raise InputError(f"paragraph {record['id']} has no line in {label_path.name}", text_path, number)
        found, agreement = labels.pop(record["id"])
        paragraphs.append(Paragraph(record["id"], document_of(record), record.get("lang", language),
                                    str(record.get("text", "")), found, agreement))
    if labels:
        raise InputError(f"{len(labels)} labelled id(s) have no paragraph, e.g. {min(labels)}", label_path)
    return sorted(paragraphs, key=lambda p: p.id)


def load_split(path: Optional[Path] = None) -> dict:
    """Return the frozen split (see ``outcomes/data/realtext-split.json``).

    Raises
    ------
    InputError
        When the file cannot be read or is not JSON.
    """
    path = Path(path or SPLIT_FILE)
    try:
        return json.loads(read_limited(path, MB, what="split file"))
    except json.JSONDecodeError as exc:
        raise InputError(f"is not JSON ({exc.msg})", path, exc.lineno) from exc


def select(paragraphs: Sequence[Paragraph], part: str, language: str, split: Optional[dict] = None) -> List[Paragraph]:
    """Return the paragraphs of ``part`` ("dev" or "test") of the frozen split.

    Raises
    ------
    InputError
        When a paragraph's document is in neither part: the texts changed since the
        split was made, and the split must be made again (deliberately, not here).
    """
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}")
    split = split or load_split()
    parts = split["languages"][language]
    unassigned = sorted({p.doc for p in paragraphs} - set(parts["dev"]) - set(parts["test"]))
    if unassigned:
        raise InputError(f"document(s) {', '.join(unassigned[:3])} of the {language} real text are in no part "
                         "of the split: the texts changed since it was made", SPLIT_FILE)
    chosen = set(parts[part])
    return [p for p in paragraphs if p.doc in chosen]


def counts(paragraphs: Sequence[Paragraph], themes: Sequence[str]) -> Dict[str, int]:
    """Return the number of paragraphs, and of paragraphs carrying each theme."""
    result = {"paragraphs": len(paragraphs)}
    for theme in themes:
        result[theme] = sum(theme in p.labels for p in paragraphs)
    return result


def _imbalance(test: Dict[str, int], total: Dict[str, int], share: float) -> float:
    """Return how far the test part's share of paragraphs and of each theme is from ``share``."""
    return sum(abs(test[key] / total[key] - share) for key in total if total[key])


def make_split(paragraphs: Sequence[Paragraph], themes: Sequence[str], seed: int = SPLIT_SEED,
               share: float = TEST_SHARE, draws: int = DRAWS) -> List[str]:
    """Return the documents of the test part: the most balanced of ``draws`` seeded random splits.

    Each draw shuffles the documents (sorted by id first, so only the seed matters)
    and moves them to the test part until it holds ``share`` of the paragraphs.
    The draw kept is the one whose test part is nearest ``share`` of the paragraphs
    and of every theme (the sum of the absolute differences).

    Parameters
    ----------
    paragraphs : sequence of Paragraph
        One language's whole set.
    themes : sequence of str
        The themes to balance.
    seed : int
        Seed of :class:`random.Random`.
    share : float
        The test part's target share of paragraphs and of each theme.
    draws : int
        How many random splits to try.

    Returns
    -------
    list of str
        Sorted document ids.
    """
    by_doc: Dict[str, List[Paragraph]] = {}
    for paragraph in sorted(paragraphs, key=lambda p: p.id):
        by_doc.setdefault(paragraph.doc, []).append(paragraph)
    docs = sorted(by_doc)
    doc_counts = {doc: counts(by_doc[doc], themes) for doc in docs}
    total = counts(paragraphs, themes)
    rng = random.Random(seed)
    best: Tuple[float, List[str]] = (float("inf"), [])
    for _ in range(draws):
        order = docs[:]
        rng.shuffle(order)
        test = dict.fromkeys(total, 0)
        chosen = []
        for doc in order:
            if test["paragraphs"] >= share * total["paragraphs"]:
                break
            chosen.append(doc)
            for key, value in doc_counts[doc].items():
                test[key] += value
        cost = _imbalance(test, total, share)
        if cost < best[0]:
            best = (cost, sorted(chosen))
    return best[1]


def describe_split(paragraphs: Sequence[Paragraph], test_docs: Iterable[str], themes: Sequence[str]) -> dict:
    """Return one language's entry of the split file: the documents and counts of each part."""
    test_docs = set(test_docs)
    docs = sorted({p.doc for p in paragraphs})
    parts = {"dev": [d for d in docs if d not in test_docs], "test": [d for d in docs if d in test_docs]}
    entry = {part: parts[part] for part in PARTS}
    entry["counts"] = {part: counts([p for p in paragraphs if p.doc in set(parts[part])], themes) for part in PARTS}
    return entry


def save_split(themes: Sequence[str], folder: Optional[Path] = None, path: Optional[Path] = None,
               seed: int = SPLIT_SEED) -> Path:
    """Make the split of every language once and write it (document ids and counts, never text).

    Run by hand when the split is first made; evaluation only reads the file.
    Making it again with the same texts and seed writes the same file.

    Returns
    -------
    Path
        The file written.
    """
    from .files import write_atomic

    record = {
        "seed": seed,
        "rule": (f"by document (English: the speech, field 'doc'; French: the page, the id without '-pNN'); "
                 f"{DRAWS} draws of random.Random({seed}): documents sorted by id, shuffled, moved to test "
                 f"until test holds {TEST_SHARE:.0%} of the paragraphs; kept the draw whose test share of the "
                 f"paragraphs and of each theme's gold paragraphs is nearest {TEST_SHARE:.0%} "
                 "(least sum of absolute differences). Made once; tuning never looks at the test part."),
        "made_with": "outcomes.realtext.save_split",
        "languages": {},
    }
    for language in LANGUAGES:
        paragraphs = load(language, themes, folder)
        record["languages"][language] = describe_split(paragraphs, make_split(paragraphs, themes, seed), themes)
    target = Path(path or SPLIT_FILE)
    write_atomic(target, json.dumps(record, indent=1, ensure_ascii=False) + "\n")
    return target
