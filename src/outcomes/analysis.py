"""One session in, one :class:`SessionAnalysis` out: sentences with themes, proposals, mentions.

An analysis is plain data (JSON on disk), so the report notebook never needs
spaCy and a rebuild can reuse it.
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Dict, List, Optional

from .codebook import Codebook
from .conference import Conference, Session

#: Version of the saved analysis; 2 added each turn's and sentence's affiliation and cue-timed sentence starts.
FORMAT_VERSION = 2


@dataclass
class SessionAnalysis:
    """What was found in one session's transcript.

    Attributes
    ----------
    session : dict
        The manifest's entry for the session (id, title, date, language, chair, times).
    source : dict
        The transcript: path relative to the conference folder, sha256, format, words.
    pipeline : dict
        The spaCy pipeline that read it (package, version, spaCy version, components).
    codebook : dict
        The codebook used (file name, sha256, threshold).
    turns : list of dict
        One per turn: index, speaker, delegation, role, start, end, line, words.
    sentences : list of dict
        One per sentence: id (stable), turn, speaker, delegation, start, line,
        text, themes, scores, cues, proposal.
    mentions : list of dict
        States, organisations and people named, with counts.
    warnings : list of str
        Oddities met while reading (``path:line: message``).
    """

    session: dict
    source: dict
    pipeline: dict
    codebook: dict
    turns: List[dict]
    sentences: List[dict]
    mentions: List[dict]
    warnings: List[str] = field(default_factory=list)
    version: int = FORMAT_VERSION

    @property
    def id(self) -> str:
        """Return the session id."""
        return self.session["id"]

    def to_json(self) -> str:
        """Return the analysis as deterministic JSON text."""
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True)

    def save(self, path) -> Path:
        """Write the analysis to ``path`` (atomically) and return the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(path.suffix + ".partial")
        partial.write_text(self.to_json(), encoding="utf-8")
        partial.replace(path)
        return path

    @classmethod
    def load(cls, path) -> "SessionAnalysis":
        """Read an analysis written by :meth:`save`.

        Raises
        ------
        InputError
            When the file is not an analysis of this format version (written by another
            version of outcomes): one line naming the file, instead of a TypeError.
        """
        from .errors import InputError

        data = json.loads(Path(path).read_text(encoding="utf-8"))
        version = data.get("version") if isinstance(data, dict) else None
        if version != FORMAT_VERSION or set(data) - {f.name for f in fields(cls)}:
            raise InputError(f"is a session analysis of format {version!r}, not {FORMAT_VERSION}: it was written by "
                             "another version of outcomes; build again with --force", path)
        return cls(**data)


def finding_id(session_id: str, text: str, taken: Dict[str, int]) -> str:
    """Return a sentence's stable id: the session and a hash of its words.

    The id changes only when the words change; a sentence said twice in one
    session gets ``-2``, ``-3``... in spoken order.
    """
    words = " ".join(text.lower().split())
    base = f"{session_id}-{hashlib.sha1(words.encode('utf-8')).hexdigest()[:8]}"
    taken[base] = taken.get(base, 0) + 1
    return base if taken[base] == 1 else f"{base}-{taken[base]}"


def file_sha256(path) -> str:
    """Return the sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


#: Longest text handed to spaCy at once, in characters. A longer turn is analysed in
#: pieces cut at sentence ends; ordinary turns are far shorter and analysed whole, so
#: their sentences and ids do not change.
MAX_DOC_CHARS = 100_000
#: Most words and punctuation marks in one text handed to spaCy, and in one batch of
#: texts. The parser's memory grows with the tokens it reads at once (en_core_web_sm:
#: about 18 KB a token, measured): 25,000 peak near 600 MB. Prose reaches the
#: character limit first (100,000 characters are about 20,000 tokens); text dense in
#: punctuation ("!!!!", "a a a") reaches this one.
MAX_DOC_TOKENS = 25_000
#: Texts per batch, when they are short.
BATCH_TEXTS = 32
#: Longest run of characters without a space handed to spaCy; a longer one (never a
#: word, rarely even a link) gets a space every this many characters. spaCy's tokenizer
#: peels punctuation off a run one mark at a time, rescanning the rest each time:
#: 20,000 "!" in a row take 30 s, and the time grows with the square of the run.
MAX_RUN_CHARS = 500

# Where a sentence ends: its final punctuation, closing quotes or brackets, then a space.
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*\s")
# At least one spaCy token each: a word, or one punctuation mark.
_TOKENISH = re.compile(r"\w+|[^\w\s]")
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN_CHARS + 1},}}")


def pieces(text: str, limit: int = MAX_DOC_CHARS, tokens: int = MAX_DOC_TOKENS) -> List[str]:
    """Return ``text`` as the texts to hand to spaCy, each within ``limit`` characters and about ``tokens`` tokens.

    A piece ends at the last sentence end in the second half of its window, else at
    the last space there, else at the window's end. A run of more than
    :data:`MAX_RUN_CHARS` characters without a space is broken by spaces first.

    Parameters
    ----------
    text : str
        A turn's text.
    limit : int
        The most characters in a piece.
    tokens : int
        The most words and punctuation marks in a piece.

    Returns
    -------
    list of str
        ``[text]`` when it is short enough and has no overlong run.
    """
    if len(text) > MAX_RUN_CHARS:
        text = _LONG_RUN.sub(_break_run, text)
    cuts: List[str] = []
    start = 0
    while True:
        high = _window_end(text, start, limit, tokens)
        if high >= len(text):
            cuts.append(text[start:])
            return cuts
        cut = _cut(text, start + (high - start) // 2, high)
        cuts.append(text[start:cut])
        start = cut


def _break_run(match: "re.Match") -> str:
    """Return a run without spaces with a space after every :data:`MAX_RUN_CHARS` characters."""
    run = match.group()
    return " ".join(run[i:i + MAX_RUN_CHARS] for i in range(0, len(run), MAX_RUN_CHARS))


def _window_end(text: str, start: int, limit: int, tokens: int) -> int:
    """Return the end of the longest stretch from ``start`` within ``limit`` characters and ``tokens`` tokens."""
    end = min(len(text), start + limit)
    if end - start <= tokens:  # fewer characters than the token budget: no need to count
        return end
    for count, match in enumerate(_TOKENISH.finditer(text, start, end), start=1):
        if count > tokens:
            return match.start()
    return end


def _cut(text: str, low: int, high: int) -> int:
    """Return where to end a piece: after the last sentence end in ``text[low:high]``, else its last space."""
    end = None
    for end in _SENTENCE_END.finditer(text, low, high):
        pass
    if end is not None:
        return end.end()
    space = text.rfind(" ", low, high)
    return space + 1 if space >= 0 else high


def _batches(items, tokens: int = MAX_DOC_TOKENS):
    """Yield lists of ``(text, turn index)``: at most :data:`BATCH_TEXTS` texts, ``tokens`` characters in all.

    ``nlp.pipe`` batches by count only, and the parser takes a batch at once: 32
    pieces of a long turn together would need 32 times the memory of one. A text
    over the budget (a long piece of prose) goes alone. Characters bound the
    tokens of a batch whatever the text holds.
    """
    batch: List[tuple] = []
    size = 0
    for text, index in items:
        if batch and (len(batch) == BATCH_TEXTS or size + len(text) > tokens):
            yield batch
            batch, size = [], 0
        batch.append((text, index))
        size += len(text)
    if batch:
        yield batch


def _pieces_of(transcript, limit: int):
    """Yield ``(piece, (turn index, character offset of the piece in the turn))`` for every turn."""
    for index, turn in enumerate(transcript.turns):
        offset = 0
        for piece in pieces(turn.text, limit):
            yield piece, (index, offset)
            offset += len(piece)


def sentences(transcript, nlp):
    """Yield ``(turn index, turn, sentence span, start)`` for every sentence of a transcript.

    Each turn is one spaCy doc, so a sentence never spans two speakers; a turn
    longer than :data:`MAX_DOC_CHARS` (or the pipeline's ``max_length``) or
    :data:`MAX_DOC_TOKENS` is several docs, cut at sentence ends. ``start`` is the
    sentence's time in seconds (see :func:`sentence_start`), or None.
    """
    limit = min(MAX_DOC_CHARS, nlp.max_length)
    offsets: List[int] = []  # the current turn's cue offsets, listed once: a long captioned turn has thousands
    current = None
    for batch in _batches(_pieces_of(transcript, limit)):
        for doc, (index, offset) in nlp.pipe(batch, as_tuples=True, batch_size=len(batch)):
            turn = transcript.turns[index]
            if index != current:
                current, offsets = index, [c[0] for c in turn.cues or ()]
            for sent in doc.sents:
                if sent.text.strip():
                    yield index, turn, sent, sentence_start(turn, offset + sent.start_char, offsets)


def sentence_start(turn, offset: int, offsets: List[int]) -> Optional[float]:
    """Return the time of the caption cue where the character ``offset`` of ``turn`` lies, else the turn's start.

    Captions keep each cue's time in :attr:`~outcomes.transcripts.model.Turn.cues`
    (``offsets`` lists their character offsets): a sentence gets the time at which it
    began to be said, not that of its paragraph.
    """
    if not turn.cues:
        return turn.start
    return turn.cues[max(bisect_right(offsets, offset) - 1, 0)][1]


def theme_records(source: str, transcript, nlp):
    """Yield one record per sentence that carries a theme: the ``outcomes themes`` JSON lines interface.

    Keys: source, turn, start, end, text, speaker, themes, scores, cues (times in
    seconds or None: start is the sentence's, from its caption cue where the format has
    cues; end is its turn's).
    """
    for index, turn, sent, start in sentences(transcript, nlp):
        if sent._.themes:
            yield {"source": source, "turn": index, "start": start, "end": turn.end,
                   "text": sent.text.strip(), "speaker": turn.speaker, "themes": list(sent._.themes),
                   "scores": {t: sent._.theme_scores[t] for t in sent._.themes},
                   "cues": list(sent._.theme_cues)}


def analyze(conference: Conference, session: Session, nlp=None, codebook: Optional[Codebook] = None) -> SessionAnalysis:
    """Read one session's transcript and find its themes, proposals and mentions.

    Parameters
    ----------
    conference : Conference
        The loaded manifest.
    session : Session
        The session to analyse.
    nlp : spacy.Language, optional
        A pipeline from :func:`outcomes.nlp.load`; loaded for the session's language when None.
    codebook : Codebook, optional
        Only used for provenance; the pipeline's theme component holds the terms.

    Returns
    -------
    SessionAnalysis

    Raises
    ------
    TranscriptError
        When the transcript cannot be read.
    PipelineError
        When no pipeline is installed for the session's language.
    """
    from . import nlp as nlp_module

    transcript = conference.read_transcript(session)
    if nlp is None:
        nlp = nlp_module.load(session.language, conference.codebook)
    tagger = nlp.get_pipe("outcomes_themes")
    codebook = codebook or tagger.codebook
    relative = session.entry["transcript"]
    absolute = str(session.transcript)

    turns: List[dict] = []
    sentences_out: List[dict] = []
    mentions: Counter = Counter()
    kinds: Dict[tuple, str] = {}
    taken: Dict[str, int] = {}
    counted = None
    for index, turn in enumerate(transcript.turns):
        turns.append({
            "index": index, "speaker": turn.speaker, "delegation": turn.delegation, "role": turn.role,
            "affiliation": turn.affiliation,
            "start": turn.start, "end": turn.end, "line": turn.line, "words": len(turn.text.split()),
        })
    for index, turn, sent, start in sentences(transcript, nlp):
        text = sent.text.strip()
        sentences_out.append({
            "id": finding_id(session.id, text, taken),
            "turn": index, "speaker": turn.speaker, "delegation": turn.delegation,
            "affiliation": turn.affiliation, "start": start, "line": turn.line, "text": text,
            "themes": list(sent._.themes or []), "scores": dict(sorted((sent._.theme_scores or {}).items())),
            "cues": list(sent._.theme_cues or []), "proposal": sent._.proposal,
        })
        if sent.doc is not counted:  # count a doc's mentions once (a long turn is several docs)
            counted = sent.doc
            for mention in sent.doc._.mentions or []:
                key = (mention["kind"], mention["id"] or mention["name"])
                mentions[key] += 1
                kinds[key] = mention["name"]
    return SessionAnalysis(
        session={
            "id": session.id, "title": session.title, "date": session.date.isoformat() if session.date else None,
            "language": session.language, "chair": session.chair, "start": session.start, "end": session.end,
            "panellists": list(session.panellists),
        },
        source={"path": relative, "sha256": file_sha256(session.transcript), "format": transcript.format,
                "words": transcript.words, "turns": len(transcript.turns)},
        pipeline=nlp_module.describe(nlp),
        codebook={"name": Path(codebook.path).name, "sha256": codebook.sha256, "threshold": codebook.threshold},
        turns=turns,
        sentences=sentences_out,
        mentions=[{"kind": kind, "id": ident if kind != "person" else None, "name": kinds[(kind, ident)],
                   "count": count} for (kind, ident), count in sorted(mentions.items(), key=lambda kv: (kv[0][0], str(kv[0][1])))],
        warnings=[w.replace(absolute, relative) for w in transcript.warnings],
    )
