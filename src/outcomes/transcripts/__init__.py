"""Read transcripts in every format a rapporteur meets, into one normalised shape.

Importing this package registers the readers: speaker-labelled text and
Markdown (``text``), WebVTT (``webvtt``), SubRip (``srt``), diarised JSON from
speech-to-text tools (``diarised``) and Word documents (``docx``).
"""

from . import diarised, docx, srt, text, webvtt  # noqa: F401  (registers the readers)
from .model import Transcript, Turn
from .normalise import UNKNOWN_SPEAKER, SpeakerDirectory
from .registry import formats, read, register

__all__ = ["Transcript", "Turn", "SpeakerDirectory", "UNKNOWN_SPEAKER", "formats", "read", "register"]
