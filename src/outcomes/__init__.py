"""outcomes: from conference transcripts to an outcomes report an advisory board can trust."""

__version__ = "0.1.0"
