"""One session in, one :class:`SessionAnalysis` out: sentences with themes, proposals, mentions.

An analysis is plain data (JSON on disk), so the report notebook never needs
spaCy and a rebuild can reuse it.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from .codebook import Codebook
from .conference import Conference, Session

FORMAT_VERSION = 1


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
        """Read an analysis written by :meth:`save`."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
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


def sentences(transcript, nlp):
    """Yield ``(turn index, turn, sentence span)`` for every sentence of a transcript.

    Each turn is one spaCy doc, so a sentence never spans two speakers.
    """
    texts = ((turn.text, index) for index, turn in enumerate(transcript.turns))
    for doc, index in nlp.pipe(texts, as_tuples=True, batch_size=32):
        for sent in doc.sents:
            if sent.text.strip():
                yield index, transcript.turns[index], sent


def theme_records(source: str, transcript, nlp):
    """Yield one record per sentence that carries a theme: the ``outcomes themes`` JSON lines interface.

    Keys: source, turn, start, end, text, speaker, themes, scores, cues (times in
    seconds or None: the times of the sentence's turn).
    """
    for index, turn, sent in sentences(transcript, nlp):
        if sent._.themes:
            yield {"source": source, "turn": index, "start": turn.start, "end": turn.end,
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
    counted_turns = set()
    for index, turn in enumerate(transcript.turns):
        turns.append({
            "index": index, "speaker": turn.speaker, "delegation": turn.delegation, "role": turn.role,
            "start": turn.start, "end": turn.end, "line": turn.line, "words": len(turn.text.split()),
        })
    for index, turn, sent in sentences(transcript, nlp):
        text = sent.text.strip()
        sentences_out.append({
            "id": finding_id(session.id, text, taken),
            "turn": index, "speaker": turn.speaker, "delegation": turn.delegation,
            "start": turn.start, "line": turn.line, "text": text,
            "themes": list(sent._.themes or []), "scores": dict(sorted((sent._.theme_scores or {}).items())),
            "cues": list(sent._.theme_cues or []), "proposal": sent._.proposal,
        })
        if index not in counted_turns:  # a turn is one doc: count its mentions once
            counted_turns.add(index)
            for mention in sent.doc._.mentions or []:
                key = (mention["kind"], mention["id"] or mention["name"])
                mentions[key] += 1
                kinds[key] = mention["name"]
    return SessionAnalysis(
        session={
            "id": session.id, "title": session.title, "date": session.date.isoformat(),
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


def load_or_analyze(conference: Conference, analyses_dir: Optional[str] = None) -> List[SessionAnalysis]:
    """Return every session's analysis, reading saved ones from ``analyses_dir`` and computing the rest.

    Used by the report notebook so that it also runs on its own in JupyterLab,
    where no session notebook has run before it.
    """
    analyses = []
    for session in conference.sessions:
        saved = Path(analyses_dir) / f"{session.id}.json" if analyses_dir else None
        if saved is not None and saved.is_file():
            analyses.append(SessionAnalysis.load(saved))
            continue
        analysis = analyze(conference, session)
        if saved is not None:
            analysis.save(saved)
        analyses.append(analysis)
    return analyses
