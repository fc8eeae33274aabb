"""Tests for outcomes.transcripts: every reader, speaker resolution, encodings, sniffing, errors.

Every fixture is built in ``tmp_path``; nothing is written under /work/main/data.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from outcomes.errors import TranscriptError
from outcomes.gazetteer import canonical_delegation
from outcomes.transcripts import UNKNOWN_SPEAKER, SpeakerDirectory, formats, read

# ---------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------

PARTICIPANTS = {
    "Youssef El Amrani": "Morocco",
    "Amal Benali": "Morocco",
    "Chiamaka Okafor": "Nigeria",
    "Sofia Lindqvist": "Sweden",
    "Claire Dupont": "France",
}


@pytest.fixture
def directory() -> SpeakerDirectory:
    """A session chaired by Youssef El Amrani, delegations canonicalised by the gazetteer."""
    return SpeakerDirectory(participants=dict(PARTICIPANTS), chair="Youssef El Amrani",
                            delegation_names=canonical_delegation)


@pytest.fixture
def write(tmp_path):
    """Write text (UTF-8) or bytes to ``tmp_path/name`` and return the path."""

    def _write(name: str, content, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
        return path

    return _write


def rows(transcript):
    """Return the turns as (speaker, delegation, start, end, text, line) tuples."""
    return [(t.speaker, t.delegation, t.start, t.end, t.text, t.line) for t in transcript.turns]


def build_docx(path: Path, paragraphs) -> Path:
    """Write a Word document: ``paragraphs`` are ("heading", text), (bold_label, rest) or plain str."""
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for item in paragraphs:
        if isinstance(item, str):
            document.add_paragraph(item)
        elif item[0] == "heading":
            document.add_heading(item[1], level=1)
        else:
            paragraph = document.add_paragraph()
            paragraph.add_run(item[0]).bold = True
            paragraph.add_run(item[1])
    document.save(path)
    return path


# ---------------------------------------------------------------------------
# speaker-labelled text: every label style
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("label, speaker, delegation, start, role", [
    ("Amal Benali: Hello.", "Amal Benali", "Morocco", None, None),
    ("AMAL BENALI: Hello.", "Amal Benali", "Morocco", None, None),
    ("Karim Tazi (Maroc): Hello.", "Karim Tazi", "Morocco", None, None),
    ("[00:12:03] Amal Benali: Hello.", "Amal Benali", "Morocco", 723.0, None),
    ("Amal Benali [00:12:03]: Hello.", "Amal Benali", "Morocco", 723.0, None),
    ("Mr. Okafor (Nigeria): Hello.", "Chiamaka Okafor", "Nigeria", None, None),
    ("Ms. Lindqvist (Sweden) (spoke in French): Hello.", "Sofia Lindqvist", "Sweden", None, None),
    ("The President: Hello.", "Youssef El Amrani", "Morocco", None, "chair"),
    ("Le Président : Hello.", "Youssef El Amrani", "Morocco", None, "chair"),
    ("Le Président\u202f: Hello.", "Youssef El Amrani", "Morocco", None, "chair"),
    ("Mme Dupont (France) : Hello.", "Claire Dupont", "France", None, None),
    ("Mme Dupont (France)\u00a0: Hello.", "Claire Dupont", "France", None, None),
    ("**Amal Benali:** Hello.", "Amal Benali", "Morocco", None, None),
], ids=["name", "upper", "delegation", "ts-before", "ts-after", "un-verbatim", "spoke-in",
        "the-president", "le-president", "le-president-nnbsp", "fr-space-colon", "fr-nbsp-colon", "markdown"])
def test_text_label_styles(write, directory, label, speaker, delegation, start, role):
    path = write("session.txt", f"Session title\nRabat, 22 October 2024\n\n{label}\n")
    transcript = read(path, directory=directory)
    assert transcript.format == "text"
    assert len(transcript.turns) == 1
    turn = transcript.turns[0]
    assert (turn.speaker, turn.delegation, turn.start, turn.text, turn.line) == (speaker, delegation, start,
                                                                                 "Hello.", 4)
    assert turn.role == role


@pytest.mark.parametrize("label, speaker, delegation, role", [
    ("Amal Benali: Hello.", "Amal Benali", None, None),
    ("AMAL BENALI: Hello.", "Amal Benali", None, None),
    ("The President: Hello.", "The President", None, "chair"),
    ("Mme Dupont (France) : Hello.", "Dupont", "France", None),
    ("Dr. Amal Benali (Maroc): Hello.", "Amal Benali", "Maroc", None),
])
def test_text_labels_without_a_directory_keep_the_label_as_written(write, label, speaker, delegation, role):
    transcript = read(write("session.txt", label + "\n"))
    assert [(t.speaker, t.delegation, t.role, t.text) for t in transcript.turns] == [
        (speaker, delegation, role, "Hello.")]


def test_un_verbatim_record_into_turns(write, directory):
    path = write("verbatim.txt", (
        "Opening session\n"                                                    # 1 header
        "Rabat, 22 October 2024, 9.30 a.m.\n"                                  # 2 header
        "\n"
        "[The meeting was called to order at 9.35 a.m.]\n"                     # 4 note
        "\n"
        "The President: Excellencies, good morning.\n"                         # 6
        "\n"
        "Let me begin with the agenda.\n"                                      # 8 continuation
        "\n"
        "Mr. Okafor (Nigeria): Thank you, Mr. President.\n"                    # 10
        "(The speaker continued in French)\n"                                  # 11 note
        "We support the draft.\n"                                              # 12 continuation
        "\n"
        "Ms. Lindqvist (Sweden) (spoke in French): Merci.\n"                   # 14
        "\n"
        "[The meeting rose at 12.40 p.m.]\n"                                   # 16 note
    ))
    transcript = read(path, directory=directory)
    assert rows(transcript) == [
        ("Youssef El Amrani", "Morocco", None, None, "Excellencies, good morning. Let me begin with the agenda.", 6),
        ("Chiamaka Okafor", "Nigeria", None, None, "Thank you, Mr. President. We support the draft.", 10),
        ("Sofia Lindqvist", "Sweden", None, None, "Merci.", 14),
    ]
    assert transcript.turns[0].role == "chair"
    assert transcript.warnings == []


def test_french_labels_with_space_before_colon(write, directory):
    path = write("seance.txt", (
        "Le Président : Bonjour à toutes et à tous.\n"
        "\n"
        "Mme Dupont (France) : Merci, Monsieur le Président.\n"
        "\n"
        "La délégation française soutient le projet.\n"
    ))
    assert rows(read(path, directory=directory)) == [
        ("Youssef El Amrani", "Morocco", None, None, "Bonjour à toutes et à tous.", 1),
        ("Claire Dupont", "France", None, None,
         "Merci, Monsieur le Président. La délégation française soutient le projet.", 3),
    ]


def test_timed_labels_end_at_the_next_turns_start(write, directory):
    path = write("timed.txt", "[00:12:03] Amal Benali: One.\n\n[00:12:30] Chiamaka Okafor: Two.\n")
    assert rows(read(path, directory=directory)) == [
        ("Amal Benali", "Morocco", 723.0, 750.0, "One.", 1),
        ("Chiamaka Okafor", "Nigeria", 750.0, None, "Two.", 3),
    ]


def test_consecutive_labels_of_one_speaker_merge(write, directory):
    path = write("merge.txt", "Amal Benali: One.\n\nDr. Amal Benali: Two.\n\nChiamaka Okafor: Three.\n")
    assert [(t.speaker, t.text, t.line) for t in read(path, directory=directory).turns] == [
        ("Amal Benali", "One. Two.", 1), ("Chiamaka Okafor", "Three.", 5)]


def test_colon_phrase_is_not_a_speaker_when_there_is_a_participant_list(write, directory):
    path = write("article.txt", "Amal Benali: We recall one text.\nArticle VI: each State Party declares.\n")
    transcript = read(path, directory=directory)
    assert [t.speaker for t in transcript.turns] == ["Amal Benali"]
    assert transcript.turns[0].text == "We recall one text. Article VI: each State Party declares."


def test_plain_prose_is_one_unknown_speaker_with_a_turn_per_paragraph(write):
    path = write("notes.txt", (
        "The session opened with a review\n"
        "of the verification regime.\n"
        "\n"
        "\n"
        "Delegates asked for more training.\n"
    ))
    transcript = read(path)
    assert rows(transcript) == [
        (UNKNOWN_SPEAKER, None, None, None, "The session opened with a review of the verification regime.", 1),
        (UNKNOWN_SPEAKER, None, None, None, "Delegates asked for more training.", 5),
    ]
    assert any("no speaker label" in w for w in transcript.warnings)


def test_unknown_speaker_is_warned_about(write, directory):
    transcript = read(write("floor.txt", "Amal Benali: Hi.\n\nKarim Tazi (Maroc): Hello.\n"), directory=directory)
    assert transcript.warnings == [
        f"{transcript.path}:3: speaker 'Karim Tazi' is not in the manifest's participant list"]


def test_timestamped_turn_ending_in_bracketed_note_is_kept(write, directory):
    path = write("applause.txt", "[00:12:03] Amal Benali: We agree. [applause]\n\nChiamaka Okafor: Yes.\n")
    assert [t.speaker for t in read(path, directory=directory).turns] == ["Amal Benali", "Chiamaka Okafor"]


def test_typographic_apostrophe_in_a_label_matches_the_participant(write):
    directory = SpeakerDirectory(participants={"Amal Benali": "Morocco", "Seán O'Brien": "Ireland"})
    path = write("apostrophe.txt", "Amal Benali: Welcome.\n\nSeán O\u2019Brien: Thank you.\n")
    assert [(t.speaker, t.delegation) for t in read(path, directory=directory).turns] == [
        ("Amal Benali", "Morocco"), ("Seán O'Brien", "Ireland")]


def test_surname_he_is_not_taken_for_an_honorific(write, directory):
    transcript = read(write("he.txt", "He Yafei (China): Thank you.\n"), directory=directory)
    assert [(t.speaker, t.delegation) for t in transcript.turns] == [("He Yafei", "China")]


# ---------------------------------------------------------------------------
# speaker resolution
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("label", ["Amal Benali", "Dr. Amal Benali", "AMAL BENALI", "Benali", "Mme Benali",
                                   "amal  benali"])
def test_directory_resolves_variants_to_one_participant(directory, label):
    assert directory.lookup(label) == "Amal Benali"


def test_name_variants_in_a_transcript_are_one_speaker_with_the_listed_delegation(write, directory):
    path = write("variants.txt", (
        "Dr. Amal Benali (Maroc): One.\n\n"
        "Chiamaka Okafor: Two.\n\n"
        "AMAL BENALI: Three.\n\n"
        "Mr. Okafor: Four.\n\n"
        "Benali: Five.\n"
    ))
    turns = read(path, directory=directory).turns
    assert [(t.speaker, t.delegation, t.text) for t in turns] == [
        ("Amal Benali", "Morocco", "One."),
        ("Chiamaka Okafor", "Nigeria", "Two."),
        ("Amal Benali", "Morocco", "Three."),
        ("Chiamaka Okafor", "Nigeria", "Four."),
        ("Amal Benali", "Morocco", "Five."),
    ]


def test_participant_list_delegation_wins_over_the_label(write, directory):
    turns = read(write("d.txt", "Amal Benali (Senegal): Hi.\n"), directory=directory).turns
    assert turns[0].delegation == "Morocco"


def test_gazetteer_canonicalises_french_names():
    assert canonical_delegation("Maroc") == canonical_delegation("le Maroc") == "Morocco"
    assert canonical_delegation("Sénégal") == "Senegal"


@pytest.mark.parametrize("written, canonical", [("Maroc", "Morocco"), ("Royaume du Maroc", "Morocco")])
def test_non_participant_delegation_is_canonicalised(write, directory, written, canonical):
    turns = read(write("d.txt", f"Karim Tazi ({written}) : Bonjour.\n"), directory=directory).turns
    assert [(t.speaker, t.delegation) for t in turns] == [("Karim Tazi", canonical)]


def test_a_suffix_that_is_no_state_or_organisation_is_an_affiliation(write, directory):
    path = write("d.txt", "Karim Tazi (Université Mohammed V) : Bonjour.\n")
    transcript = read(path, directory=directory)
    assert [(t.speaker, t.delegation, t.affiliation) for t in transcript.turns] == [
        ("Karim Tazi", None, "Université Mohammed V")]
    assert any("not a known State or organisation" in w for w in transcript.warnings)


def test_delegation_and_role_note_in_one_parenthesis(write, directory):
    directory.chair = "Amal Benali"
    turns = read(write("d.txt", "Amal Benali (Maroc, présidente) : Bonjour.\n"), directory=directory).turns
    assert [(t.speaker, t.delegation, t.role) for t in turns] == [("Amal Benali", "Morocco", "chair")]


def test_chair_title_without_a_chair_keeps_the_title(write):
    directory = SpeakerDirectory(participants=dict(PARTICIPANTS))
    turns = read(write("c.txt", "La Présidente : Bonjour.\n"), directory=directory).turns
    assert [(t.speaker, t.role) for t in turns] == [("La Présidente", "chair")]


# ---------------------------------------------------------------------------
# WebVTT
# ---------------------------------------------------------------------------

VTT = """WEBVTT
Kind: captions
Language: en

NOTE This note is not speech
and spans two lines.

1
00:00:01.000 --> 00:00:04.000 align:start position:10%
<v Amal Benali>Good <i>morning</i>, <c.yellow>everyone</c>.</v>

2
00:00:04.000 --> 00:00:07.500
<v Amal Benali>We discuss verifi-
cation <00:00:05.000>today.

00:00:08.000 --> 00:00:10.000 line:90%
Chiamaka Okafor: Thank you,
Chair.

00:00:10.000 --> 00:00:12.250
Nigeria supports the
proposal.

00:00:12.250 --> 00:00:14.000
<v.loud Sofia Lindqvist>Agreed.
"""


def test_webvtt_into_turns(write, directory):
    transcript = read(write("s.vtt", VTT), directory=directory)
    assert transcript.format == "webvtt"
    assert transcript.language == "en"
    assert rows(transcript) == [
        ("Amal Benali", "Morocco", 1.0, 7.5, "Good morning, everyone. We discuss verification today.", 1),
        ("Chiamaka Okafor", "Nigeria", 8.0, 12.25, "Thank you, Chair. Nigeria supports the proposal.", 3),
        ("Sofia Lindqvist", "Sweden", 12.25, 14.0, "Agreed.", 5),
    ]
    assert not any("note" in t.text.lower() for t in transcript.turns)


def test_webvtt_without_speakers_is_one_unknown_speaker(write):
    path = write("s.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello\n\n00:00:02.000 --> 00:00:03.000\nthere.\n")
    assert rows(read(path)) == [(UNKNOWN_SPEAKER, None, 1.0, 3.0, "Hello there.", 1)]


def test_webvtt_hyphenated_word_across_cues_is_joined(write, directory):
    path = write("s.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Amal Benali>the verifi-\n\n"
                          "00:00:02.000 --> 00:00:03.000\n<v Amal Benali>cation regime\n")
    assert [t.text for t in read(path, directory=directory).turns] == ["the verification regime"]


def test_webvtt_cue_out_of_order_is_warned_about(write):
    path = write("s.vtt", "WEBVTT\n\n00:00:05.000 --> 00:00:06.000\nLater.\n\n00:00:01.000 --> 00:00:02.000\n"
                          "Earlier.\n")
    assert any(w.startswith(f"{path}:2: cue 2 starts before") for w in read(path).warnings)


def test_caption_colon_phrase_is_not_a_speaker_when_there_is_a_participant_list(write, directory):
    path = write("s.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nAmal Benali: We recall one text.\n\n"
                          "00:00:03.000 --> 00:00:05.000\nArticle VI: each State Party declares.\n")
    assert [t.speaker for t in read(path, directory=directory).turns] == ["Amal Benali"]


# ---------------------------------------------------------------------------
# SubRip
# ---------------------------------------------------------------------------

SRT = """1
00:00:01,000 --> 00:00:03,000
Amal Benali: Welcome to the
<i>session</i>.

2
00:00:03,000 --> 00:00:05,500
It is a pleasure.

3
00:00:05,500 --> 00:00:08,000
Mr. Okafor (Nigeria): Thank you.

4
00:00:08,000 --> 00:00:09,000
- Karim Tazi (Maroc): Merci.
"""


def test_srt_into_turns(write, directory):
    transcript = read(write("s.srt", SRT), directory=directory)
    assert transcript.format == "srt"
    assert rows(transcript) == [
        ("Amal Benali", "Morocco", 1.0, 5.5, "Welcome to the session. It is a pleasure.", 1),
        ("Chiamaka Okafor", "Nigeria", 5.5, 8.0, "Thank you.", 3),
        ("Karim Tazi", "Morocco", 8.0, 9.0, "Merci.", 4),
    ]


# ---------------------------------------------------------------------------
# diarised JSON
# ---------------------------------------------------------------------------

SEGMENTS = [
    {"start": 0.0, "end": 2.5, "text": " Welcome, colleagues.", "speaker": "SPEAKER_00"},
    {"start": 2.5, "end": 4.0, "text": " Let us begin.", "speaker": "SPEAKER_00"},
    {"start": 4.0, "end": 6.0, "text": "Thank you.", "speaker": "SPEAKER_01"},
    {"start": 6.0, "end": 7.0, "text": "A question.", "speaker": "SPEAKER_07"},
]


@pytest.fixture
def diarised_directory(directory) -> SpeakerDirectory:
    directory.aliases = {"SPEAKER_00": "Amal Benali", "SPEAKER_01": "Chiamaka Okafor"}
    return directory


# Turn.line is the (0-based) segment index for diarised JSON. An unmapped label is kept
# (title-cased, like any all-caps label) with no delegation.
EXPECTED_DIARISED = [
    ("Amal Benali", "Morocco", 0.0, 4.0, "Welcome, colleagues. Let us begin.", 0),
    ("Chiamaka Okafor", "Nigeria", 4.0, 6.0, "Thank you.", 2),
    ("Speaker_07", None, 6.0, 7.0, "A question.", 3),
]


def test_whisper_segments_with_aliases(write, diarised_directory):
    path = write("s.json", json.dumps({"language": "en", "text": "...", "segments": SEGMENTS}))
    transcript = read(path, directory=diarised_directory)
    assert transcript.format == "diarised"
    assert transcript.language == "en"
    assert rows(transcript) == EXPECTED_DIARISED
    assert f"{path}:3: speaker 'Speaker_07' is not in the manifest's participant list" in transcript.warnings


def test_diarised_plain_list(write, diarised_directory):
    transcript = read(write("s.json", json.dumps(SEGMENTS)), directory=diarised_directory)
    assert rows(transcript) == EXPECTED_DIARISED
    assert transcript.language is None


def test_diarised_segments_without_speaker(write):
    path = write("s.json", json.dumps({"segments": [{"start": 0, "end": 1, "text": "Hello."},
                                                    {"start": 1, "end": 2, "text": "Again."}]}))
    assert rows(read(path)) == [(UNKNOWN_SPEAKER, None, 0.0, 2.0, "Hello. Again.", 0)]


# ---------------------------------------------------------------------------
# Word
# ---------------------------------------------------------------------------

def test_docx_into_turns(tmp_path, directory):
    path = build_docx(tmp_path / "s.docx", [
        ("heading", "Session 7: Capacity building"),             # paragraph 1: skipped
        ("Amal Benali:", " Welcome to the session."),             # 2
        "A continuation paragraph.",                              # 3
        "",                                                       # 4
        ("Mr. Okafor (Nigeria):", " Thank you."),                 # 5
        ("Mme Dupont (France) :", " Merci."),                     # 6
    ])
    transcript = read(path, directory=directory)
    assert transcript.format == "docx"
    assert rows(transcript) == [
        ("Amal Benali", "Morocco", None, None, "Welcome to the session. A continuation paragraph.", 2),
        ("Chiamaka Okafor", "Nigeria", None, None, "Thank you.", 5),
        ("Claire Dupont", "France", None, None, "Merci.", 6),
    ]
    assert not any("Capacity" in t.text for t in transcript.turns)


def test_docx_prose(tmp_path):
    path = build_docx(tmp_path / "s.docx", [("heading", "Notes"), "First paragraph.", "Second paragraph."])
    transcript = read(path)
    assert rows(transcript) == [(UNKNOWN_SPEAKER, None, None, None, "First paragraph.", 2),
                                (UNKNOWN_SPEAKER, None, None, None, "Second paragraph.", 3)]
    assert any("no speaker label" in w for w in transcript.warnings)


# ---------------------------------------------------------------------------
# encodings and normalisation
# ---------------------------------------------------------------------------

LINE = "Amal Benali : Café à Genève, «\u00a0très\u00a0» bien.\n"


@pytest.mark.parametrize("encoded", [
    LINE.encode("utf-8"),
    b"\xef\xbb\xbf" + LINE.encode("utf-8"),
    LINE.encode("utf-16"),                        # with its BOM
    b"\xff\xfe" + LINE.encode("utf-16-le"),
    b"\xfe\xff" + LINE.encode("utf-16-be"),
], ids=["utf-8", "utf-8-bom", "utf-16", "utf-16-le-bom", "utf-16-be-bom"])
def test_unicode_encodings(write, directory, encoded):
    transcript = read(write("s.txt", encoded), directory=directory)
    assert rows(transcript) == [("Amal Benali", "Morocco", None, None, "Café à Genève, « très » bien.", 1)]
    assert transcript.warnings == []


def test_windows_1252_is_read_with_a_warning(write, directory):
    path = write("s.txt", "Amal Benali: Café – “quoted” déjà.\n", encoding="cp1252")
    transcript = read(path, directory=directory)
    assert [t.text for t in transcript.turns] == ["Café – “quoted” déjà."]
    assert any(w.startswith(f"{path}: not valid UTF-8; read as Windows-1252") for w in transcript.warnings)


def test_text_is_nfc_and_runs_of_spaces_fold(write, directory):
    path = write("s.txt", "Amal Benali (Maroc):  Cafe\u0301 \t du\u00a0\u00a0 monde\u2003 entier.  \r\n")
    turn = read(path, directory=directory).turns[0]
    assert turn.text == "Caf\u00e9 du monde entier."
    assert unicodedata.is_normalized("NFC", turn.text)


def test_decomposed_name_in_a_label_is_read(write):
    directory = SpeakerDirectory(participants={"Amal Benali": "Morocco", "A\u00efcha Traor\u00e9": "Mali"})
    nfd = unicodedata.normalize("NFD", "A\u00efcha Traor\u00e9")
    path = write("s.txt", f"Amal Benali: Bonjour.\n\n{nfd} : Merci.\n")
    assert [(t.speaker, t.delegation, t.text) for t in read(path, directory=directory).turns] == [
        ("Amal Benali", "Morocco", "Bonjour."), ("A\u00efcha Traor\u00e9", "Mali", "Merci.")]


def test_crlf_line_endings_keep_line_numbers(write, directory):
    path = write("s.txt", "Header\r\n\r\nAmal Benali: One.\r\n\r\nChiamaka Okafor: Two.\r\n")
    assert [(t.speaker, t.line) for t in read(path, directory=directory).turns] == [
        ("Amal Benali", 3), ("Chiamaka Okafor", 5)]


# ---------------------------------------------------------------------------
# choosing the reader
# ---------------------------------------------------------------------------

def test_formats_lists_every_reader():
    assert formats() == {
        "diarised": (".json",),
        "docx": (".docx",),
        "srt": (".srt",),
        "text": (".txt", ".md", ".markdown", ".text"),
        "webvtt": (".vtt", ".webvtt"),
    }


def test_webvtt_saved_as_txt_is_read_as_webvtt(write, directory):
    transcript = read(write("captions.txt", VTT), directory=directory)
    assert transcript.format == "webvtt"
    assert transcript.turns[0].start == 1.0


def test_webvtt_with_bom_saved_as_txt_is_read_as_webvtt(write):
    assert read(write("captions.txt", b"\xef\xbb\xbf" + VTT.encode())).format == "webvtt"


def test_srt_saved_as_txt_is_read_as_srt(write):
    assert read(write("subtitles.txt", SRT)).format == "srt"


def test_docx_saved_as_bin_is_read_as_docx(tmp_path):
    path = build_docx(tmp_path / "export.bin", [("Amal Benali:", " Hello.")])
    assert read(path).format == "docx"


def test_unknown_suffix_falls_back_to_text(write):
    assert read(write("transcript.log", "Amal Benali: Hello.\n")).format == "text"


def test_forced_format_wins_over_sniffing(write):
    transcript = read(write("captions.vtt", VTT), fmt="text")
    assert transcript.format == "text"


def test_unknown_forced_format(write):
    path = write("s.txt", "Amal Benali: Hello.\n")
    with pytest.raises(TranscriptError) as info:
        read(path, fmt="pdf")
    assert str(info.value).startswith(f"{path}: unknown transcript format 'pdf'")


# ---------------------------------------------------------------------------
# errors: each names the file, and the line where there is one
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, content, line, message", [
    ("empty.txt", b"", None, "is empty"),
    ("blank.txt", b"  \n\t\r\n \n", None, "is empty"),
    ("bom-only.txt", b"\xef\xbb\xbf\n", None, "is empty"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 3, "holds NUL bytes"),
    ("nul.txt", b"Amal Benali: one\nand two\x00\n", 2, "holds NUL bytes"),
    ("empty.vtt", b"WEBVTT\n\nNOTE only a note\n", None, "WebVTT with no cues"),
    ("header.vtt", b"00:00:01.000 --> 00:00:02.000\nHello.\n", 1, "first line must be 'WEBVTT'"),
    ("backwards.vtt", b"WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nHello.\n", 3, "ends (00:00:02.000) before"),
    ("backwards.srt", b"1\n00:00:01,000 --> 00:00:02,000\nHello.\n\n2\n00:00:05,000 --> 00:00:03,000\nBye.\n",
     5, "cue 2 ends before it starts"),
    ("blank.srt", b"\n\n", None, "is empty"),
    ("bad.json", b'{"segments": [\n  {"start": 1,\n   "text": }\n]}', 3, "is not valid JSON"),
    ("string.json", b'"hello"', None, "wrong shape"),
    ("object.json", b'{"results": []}', None, "no 'segments' list"),
    ("no-segments.json", b'{"segments": []}', None, "has no segments"),
    ("ints.json", b"[1, 2]", None, "segment 0 is int"),
    ("notext.json", b'[{"start": 0, "end": 1}]', None, "has no 'text' string"),
    ("time.json", b'[{"start": "0:01", "end": 1, "text": "x"}]', None, "must be a number of seconds"),
    ("backwards.json", b'[{"start": 5, "end": 1, "text": "x"}]', None, "segment 0 ends (1.0) before it starts (5.0)"),
    ("silent.json", b'[{"start": 0, "end": 1, "text": "  "}]', None, "holds no speech"),
    ("text.docx", b"Amal Benali: Hello.\n", None, "is not a Word document"),
    ("broken.docx", b"PK\x03\x04word/document.xml" + b"\x01" * 64, None, "is not a readable Word document"),
    ("empty.docx", b"", None, "is empty"),
])
def test_unreadable_transcripts(write, name, content, line, message):
    path = write(name, content)
    with pytest.raises(TranscriptError) as info:
        read(path)
    where = f"{path}:{line}: " if line is not None else f"{path}: "
    assert str(info.value).startswith(where)
    assert message in str(info.value)
    assert info.value.line == line


def test_malformed_webvtt_timing_is_an_error(write):
    path = write("s.vtt", "WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nHello.\n")
    with pytest.raises(TranscriptError) as info:
        read(path)
    assert str(info.value).startswith(f"{path}")


@pytest.mark.parametrize("timing", ["00:00:03.000 --> 00:00:04", "00:00:03,000 --> 00:00:04,000"])
def test_malformed_webvtt_timing_after_a_good_cue_is_an_error(write, timing):
    path = write("s.vtt", f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello.\n\n{timing}\nLost words.\n")
    try:
        transcript = read(path)
    except TranscriptError as exc:
        assert str(exc).startswith(f"{path}:")
    else:
        assert "Lost words." in " ".join(t.text for t in transcript.turns), "cue dropped without an error"


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.txt"
    with pytest.raises(TranscriptError) as info:
        read(path)
    assert str(info.value) == f"{path}: does not exist"


def test_folder_is_not_a_transcript(tmp_path):
    with pytest.raises(TranscriptError) as info:
        read(tmp_path)
    assert str(info.value).startswith(f"{tmp_path}: ")
