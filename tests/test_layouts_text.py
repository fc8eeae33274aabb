"""The text reader on real-world layouts: who speaks, for which delegation, from when.

Each layout has a fixture in tests/data/layouts/text-*.txt, written for these tests (the
names are invented): diarised speech-to-text exports, Otter, Rev and Descript, UN verbatim
records taken from their PDF (English and French) and all-caps labels. Every turn's
speaker, delegation and start time is checked, and the number of turns.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from outcomes.gazetteer import canonical_delegation
from outcomes.transcripts import UNKNOWN_SPEAKER, SpeakerDirectory, read, unrecord

LAYOUTS = Path(__file__).resolve().parent / "data" / "layouts"

PARTICIPANTS = {
    "Amal Benali": "Morocco",
    "Chiamaka Okafor": "Nigeria",
    "Sofia Lindqvist": "Sweden",
    "Abebe Tadesse": "Ethiopia",
    "Grace Mwangi": "Kenya",
    "David Okello": "Uganda",
}
# The manifest's ``speakers:`` map; SPEAKER_03 is left out on purpose.
ALIASES = {"SPEAKER_00": "Amal Benali", "SPEAKER_01": "Chiamaka Okafor", "SPEAKER_02": "Sofia Lindqvist",
           "Speaker 1": "Sofia Lindqvist"}


@pytest.fixture
def directory() -> SpeakerDirectory:
    """A session chaired by Abebe Tadesse, with the diarisation labels mapped to names."""
    return SpeakerDirectory(participants=dict(PARTICIPANTS), chair="Abebe Tadesse", aliases=dict(ALIASES),
                            delegation_names=canonical_delegation)


def attribution(name: str, directory):
    """Return the turns of fixture ``name`` as (line, speaker, delegation, start) tuples, and its texts."""
    transcript = read(LAYOUTS / name, directory=directory)
    assert transcript.format == "text"
    return [(t.line, t.speaker, t.delegation, t.start) for t in transcript.turns], [t.text for t in transcript.turns]


# Unmapped diarisation labels keep the label (title-cased, like any all-caps label).
EXPECTED = {
    "text-diarised-own-line.txt": [
        (4, "Amal Benali", "Morocco", None),
        (9, "Chiamaka Okafor", "Nigeria", None),
        (15, "Sofia Lindqvist", "Sweden", None),
        (24, "Amal Benali", "Morocco", None),
        (27, "Speaker_03", None, None),
        (31, "Chiamaka Okafor", "Nigeria", None),   # two blocks of SPEAKER_01 in a row: one turn
        (37, "Sofia Lindqvist", "Sweden", None),
    ],
    "text-diarised-bracket.txt": [
        (4, "Amal Benali", "Morocco", 3.0),
        (8, "Chiamaka Okafor", "Nigeria", 62.0),
        (13, "Sofia Lindqvist", "Sweden", 227.0),
        (16, "Chiamaka Okafor", "Nigeria", 232.0),   # speech on the label's line
        (18, "Amal Benali", "Morocco", 255.0),
        (20, "Speaker_03", None, 261.0),
        (24, "Amal Benali", "Morocco", 3909.0),      # h:mm:ss
    ],
    "text-otter.txt": [
        (10, "Amal Benali", "Morocco", 4.0),
        (14, "Sofia Lindqvist", "Sweden", 62.0),     # "Speaker 1" through the speakers map
        (18, "Chiamaka Okafor", "Nigeria", 765.0),   # a tab before the time
        (22, "Amal Benali", "Morocco", 810.0),
        (25, "Chiamaka Okafor", "Nigeria", 842.0),
        (28, "Sofia Lindqvist", "Sweden", 3723.0),
    ],
    "text-rev.txt": [
        (3, "Amal Benali", "Morocco", 5.0),
        (7, "Sofia Lindqvist", "Sweden", 70.0),
        (9, "Chiamaka Okafor", "Nigeria", 151.0),
        (13, "Karim Tazi", None, 340.0),             # "(00:05:40)" is a time, not a delegation
        (17, "Amal Benali", "Morocco", 3723.0),
    ],
    "text-all-caps.txt": [
        (3, "Grace Mwangi", "Kenya", None),
        (5, "David Okello", "Uganda", None),
        (6, "Grace Mwangi", "Kenya", None),
        (7, "David Okello", "Uganda", None),
        (8, "Henrik Strand", None, None),
    ],
    "text-all-caps-own-line.txt": [
        (3, "Grace Mwangi", "Kenya", None),
        (7, "David Okello", "Uganda", None),
        (10, "Grace Mwangi", "Kenya", None),
        (13, "Henrik Strand", None, None),           # alone once, but the file writes its labels so
    ],
    "text-un-verbatim.txt": [
        (18, "Abebe Tadesse", "Ethiopia", None),     # The President (spoke in Amharic), mid-line
        (18, "The Secretary-General", None, None),
        (23, "Abebe Tadesse", "Ethiopia", None),
        (23, "Moreno-Vidal", None, None),            # a briefer: no delegation
        (25, "Okonkwo", "Nigeria", None),            # "Mr. Okonkwo\n(Nigeria): ..."
        (28, "Laval", "France", None),
        (28, "Hayashi", "Japan", None),
        (28, "Abebe Tadesse", "Ethiopia", None),
    ],
    "text-un-verbatim-fr.txt": [
        (24, "Abebe Tadesse", "Ethiopia", None),     # Le Président (parle en anglais) :
        (24, "Le Secrétaire général", None, None),
        (25, "Dupont", "France", None),
        (28, "Laval", "France", None),
        (28, "Ferreira", "Brazil", None),            # (Brésil) (parle en portugais) :
        (29, "Okonkwo", "Nigeria", None),            # "M. Okonkwo\n(Nigéria) : ..."
        (30, "Abebe Tadesse", "Ethiopia", None),
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_layout_speakers_delegations_and_start_times(name, directory):
    turns, texts = attribution(name, directory)
    expected = EXPECTED[name]
    right = sum(got == want for got, want in zip(turns, expected))
    assert (len(turns), right) == (len(expected), len(expected)), f"{right} of {len(expected)} turns right"
    assert all(texts), "a turn without speech"


@pytest.mark.parametrize("name", ["text-diarised-own-line.txt", "text-diarised-bracket.txt", "text-otter.txt",
                                  "text-rev.txt", "text-all-caps-own-line.txt"])
def test_labels_are_not_left_in_the_speech(name, directory):
    _, texts = attribution(name, directory)
    for label in ["SPEAKER", "Speaker 1", "Amal Benali", "GRACE", "00:0", "Transcribed by"]:
        assert not any(label in text for text in texts), label


def test_own_line_labels_keep_short_lines_of_speech(directory):
    _, texts = attribution("text-diarised-own-line.txt", directory)
    assert texts[1].startswith("Thank you. Before we take questions")
    assert "It was not always right. Verification still rests" in texts[2]
    assert texts[-1].endswith("Closing remarks belong to the chair, so I will stop there.")


def test_diarisation_labels_without_a_speakers_map_are_kept_as_labels():
    transcript = read(LAYOUTS / "text-diarised-own-line.txt")
    assert [t.speaker for t in transcript.turns] == ["Speaker_00", "Speaker_01", "Speaker_02", "Speaker_00",
                                                     "Speaker_03", "Speaker_01", "Speaker_02"]


def test_otter_header_and_footer_are_not_speech(directory):
    _, texts = attribution("text-otter.txt", directory)
    assert texts[0].startswith("Shall we start? We agreed to meet at 14:10")
    assert not any("SUMMARY" in text or "otter.ai" in text for text in texts)


def test_rev_speech_on_the_label_line(directory):
    _, texts = attribution("text-rev.txt", directory)
    assert texts[1] == "I will start with the rules, because they are older than the technology and still apply."


UN_FURNITURE = ["S/PV", "25-30", "/12", "/8 ", "2530", "14/10/2025", "15/10/2025", "spoke in", "parle en",
                "This record", "procès-verbal", "documents.un.org", "agenda was adopted", "ordre du jour",
                "called to order", "séance est", "meeting rose", "Non-prolif", "Members", "Membres"]


@pytest.mark.parametrize("name", ["text-un-verbatim.txt", "text-un-verbatim-fr.txt"])
def test_un_record_speech_holds_no_page_furniture_or_procedure(name, directory):
    _, texts = attribution(name, directory)
    for furniture in UN_FURNITURE:
        assert not any(furniture in text for text in texts), furniture


def test_un_record_speech_across_pages_is_whole(directory):
    transcript = read(LAYOUTS / "text-un-verbatim.txt", directory=directory)
    texts = [t.text for t in transcript.turns]
    assert texts[1].endswith("both can be turned against it. I ask the Council to support the laboratories "
                             "that carry the verification work, and to keep humans answerable for every finding.")
    assert texts[4] == ("I thank the President for convening this meeting. Nigeria asks for two things. The first "
                        "is training: our laboratories need analysts who can check what a model proposes. The "
                        "second is access to the reference data on fair terms.")
    # a name quoted in a speech before a colon is not a label
    assert texts[3].endswith("but as Mr. Hayashi said: a model only knows the chemistry it has seen.")
    assert texts[5].startswith("France shares that view. Let me add one point")
    assert [t.role for t in transcript.turns].count("chair") == 3


def test_french_un_record_speech_across_pages_is_whole(directory):
    _, texts = attribution("text-un-verbatim-fr.txt", directory)
    assert texts[2] == ("La France soutient la formation des analystes. Un modèle n’est utile que si une personne "
                        "peut expliquer ce qu’il propose.")


def test_flattened_un_record_labels_mid_line(tmp_path):
    path = tmp_path / "record.txt"
    path.write_text(
        "The meeting was called to order at 3.05 p.m. The agenda was adopted. The President (spoke in Spanish): "
        "I wish to warmly welcome the briefers. Mr. Okonkwo (Nigeria): I thank the President. "
        "Ms. Laval (France) (spoke in French): France agrees. Mr. Haddad (Jordan) (interpretation from Arabic): "
        "Jordan too. The Secretary-General: Thank you. The meeting rose at 4 p.m.\n", encoding="utf-8")
    assert [(t.speaker, t.delegation, t.text) for t in read(path).turns] == [
        ("The President", None, "I wish to warmly welcome the briefers."),
        ("Okonkwo", "Nigeria", "I thank the President."),
        ("Laval", "France", "France agrees."),
        ("Haddad", "Jordan", "Jordan too."),
        ("The Secretary-General", None, "Thank you."),
    ]


@pytest.mark.parametrize("head, symbol", [
    ("United Nations      S/PV.8225\n", "S/PV.8225"),
    ("A/79/PV.12     General Assembly\n", "A/79/PV.12"),
    ("A/C.1/80/PV.5\n", "A/C.1/80/PV.5"),
    ("as the record shows (S/PV.8224).\n", None),   # quoted in a speech: not the file's own symbol
])
def test_a_record_is_known_by_its_own_symbol(head, symbol):
    assert unrecord.own_symbol("Cover page\n" + head) == symbol


def test_opening_sentence_after_a_label_is_not_the_end_of_a_cover_page(tmp_path):
    path = tmp_path / "late.txt"
    path.write_text("The President: Welcome back.\n\nMr. Okonkwo (Nigeria): Yesterday we began late. The meeting "
                    "was called to order at 11 a.m. instead of ten.\n\nThe President: Thank you.\n",
                    encoding="utf-8")
    turns = read(path).turns
    assert [t.speaker for t in turns] == ["The President", "Okonkwo", "The President"]
    assert turns[0].text == "Welcome back."


@pytest.mark.parametrize("line, expected", [
    ("[SPEAKER_00]: We begin.", ("Amal Benali", None, "We begin.")),                       # whisperX
    ("[00:00:01 - 00:00:05] SPEAKER_00: We begin.", ("Amal Benali", 1.0, "We begin.")),
    ("Speaker 1: We begin.", ("Sofia Lindqvist", None, "We begin.")),
    ("SPEAKER_00 00:00:01 We begin.", ("Amal Benali", 1.0, "We begin.")),
    ("Amal Benali (00:00:01) We begin.", ("Amal Benali", 1.0, "We begin.")),
    ("Amal Benali 00:00:01 We begin.", None),  # one space: a name and a time in a sentence
])
def test_diarised_labels_on_the_speech_line(tmp_path, directory, line, expected):
    path = tmp_path / "one.txt"
    path.write_text(f"{line}\n", encoding="utf-8")
    turn = read(path, directory=directory).turns[0]
    if expected is None:
        assert turn.speaker == UNKNOWN_SPEAKER
    else:
        assert (turn.speaker, turn.start, turn.text) == expected


def test_range_gives_the_turn_its_end(tmp_path, directory):
    path = tmp_path / "range.txt"
    path.write_text("[00:00:01 - 00:00:05] SPEAKER_00: One.\n[00:00:06 - 00:00:09] SPEAKER_01: Two.\n",
                    encoding="utf-8")
    assert [(t.start, t.end) for t in read(path, directory=directory).turns] == [(1.0, 5.0), (6.0, 9.0)]


def test_short_lines_of_prose_are_not_speakers(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text(
        "Closing Remarks\n\n"
        "Thank you.\n\n"
        "Verification\n"
        "was the word of the day.\n\n"
        "SUMMARY\n\n"
        "Amal Benali 1:02 was when the chair spoke.\n\n"
        "The panel met at 10:30 and rose at noon.\n", encoding="utf-8")
    transcript = read(path)
    assert {t.speaker for t in transcript.turns} == {UNKNOWN_SPEAKER}
    assert [t.line for t in transcript.turns] == [1, 3, 5, 8, 10, 12]
    assert any("no speaker label" in w for w in transcript.warnings)


def test_a_name_alone_is_a_label_when_the_participant_list_knows_it(tmp_path, directory):
    path = tmp_path / "known.txt"
    path.write_text("Amal Benali\nWelcome.\n\nKarim Tazi\nThank you.\n\nChiamaka Okafor\nHello.\n", encoding="utf-8")
    assert [(t.speaker, t.text) for t in read(path, directory=directory).turns] == [
        ("Amal Benali", "Welcome. Karim Tazi Thank you."), ("Chiamaka Okafor", "Hello.")]


def test_all_caps_line_alone_once_is_not_a_label(tmp_path):
    path = tmp_path / "caps.txt"
    path.write_text("Grace Mwangi: We start.\nAGENDA\nThe agenda is short.\n", encoding="utf-8")
    assert [(t.speaker, t.text) for t in read(path).turns] == [
        ("Grace Mwangi", "We start. AGENDA The agenda is short.")]


def test_ordinary_transcript_is_not_split_mid_line(tmp_path):
    path = tmp_path / "panel.txt"
    path.write_text("Amal Benali: We heard it. Mr. Okonkwo (Nigeria): said so, and The President: agreed.\n",
                    encoding="utf-8")
    assert [t.speaker for t in read(path).turns] == ["Amal Benali"]


@pytest.mark.parametrize("record", [False, True], ids=["text", "un-record"])
def test_long_line_of_colons_and_parentheses_is_read_in_linear_time(tmp_path, record):
    unit = "Mr. Okonkwo (Nigeria (x) The President (spoke in: [00:01] SPEAKER_01 ). Ms. A: (B) : "
    head = "S/PV.9901\nThe meeting was called to order at 10 a.m.\n" if record else ""
    path = tmp_path / "long.txt"
    path.write_text("Amal Benali: " + head + (unit * (200_000 // len(unit))) + "\n", encoding="utf-8")
    began = time.perf_counter()
    transcript = read(path)
    assert time.perf_counter() - began < 5
    assert sum(len(t.text) for t in transcript.turns) > 100_000
