"""Per-session transcript pages: anchors for every sentence, everything escaped."""

from __future__ import annotations

from outcomes import pages
from test_aggregate import analysis, sentence


def test_page_anchors_every_sentence_and_escapes_text():
    taken = {}
    rows = [sentence(taken, "T1", "Inspections <script>alert(1)</script> matter.", ["verification"],
                     speaker="Eve <b>", delegation="<i>X</i>"),
            sentence(taken, "T1", "Thank you, Chair.")]
    page = pages.session_page(analysis("T1", rows), {"verification": "Verification"}, "en", "Conf <x>")
    for row in rows:
        assert f'id="{row["id"]}"' in page
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Conf &lt;x&gt;" in page
    assert "http" not in page.split("<style>")[0]


def test_links_point_into_the_sessions_folder():
    assert pages.link("S01", "S01-abc") == "sessions/S01.html#S01-abc"
