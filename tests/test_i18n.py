"""Numbers, shares, dates and language names in the report's locale (Babel), with the house exceptions."""

import datetime as dt

import pytest

from outcomes.i18n import clock, date, date_range, decimal, language_name, number, percent

NNBSP = "\u202f"  # narrow no-break space: French thousands separator
NBSP = "\u00a0"  # no-break space: French space before %
MISSING = [None, float("nan"), ""]


@pytest.mark.parametrize("value, en, fr", [
    (0, "0", "0"),
    (1, "1", "1"),
    (999, "999", "999"),
    (1000, "1,000", f"1{NNBSP}000"),
    (26596, "26,596", f"26{NNBSP}596"),
    (1234567, "1,234,567", f"1{NNBSP}234{NNBSP}567"),
    (10 ** 12, "1,000,000,000,000", NNBSP.join(["1"] + ["000"] * 4)),
    (-1234, "-1,234", f"-1{NNBSP}234"),
    (1234.9, "1,234", f"1{NNBSP}234"),  # an integer: the fraction is dropped, as int() does
])
def test_number(value, en, fr):
    assert number(value, "en") == en
    assert number(value, "fr") == fr


def test_number_takes_numpy_integers():
    np = pytest.importorskip("numpy")
    assert number(np.int64(26596), "fr") == f"26{NNBSP}596"


@pytest.mark.parametrize("value, en, fr", [
    (0, "0", "0"),
    (1, "1", "1"),
    (0.0, "0", "0"),
    (1.0, "1", "1"),
    (0.5, "0.5", "0,5"),
    (0.938, "0.938", "0,938"),
    (0.9375, "0.938", "0,938"),
    (0.12345, "0.123", "0,123"),
    (0.05, "0.05", "0,05"),
    (0.0005, "0.001", "0,001"),  # Python rounds the binary value up; Babel alone would give 0
    (0.00004, "0", "0"),
    (2 / 3, "0.667", "0,667"),
])
def test_decimal(value, en, fr):
    assert decimal(value, "en") == en
    assert decimal(value, "fr") == fr


def test_decimal_groups_thousands_in_the_locale():
    assert decimal(1234.5, "en") == "1,234.5"
    assert decimal(1234.5, "fr") == f"1{NNBSP}234,5"


@pytest.mark.parametrize("value", [None, float("nan")])
def test_missing_decimal_and_percent_are_empty(value):
    for language in ("en", "fr"):
        assert decimal(value, language) == ""
        assert percent(value, language) == ""


@pytest.mark.parametrize("share, en, fr", [
    (0, "0%", f"0{NBSP}%"),
    (1, "100%", f"100{NBSP}%"),
    (0.42, "42%", f"42{NBSP}%"),
    (0.004, "0%", f"0{NBSP}%"),
    (0.995, "100%", f"100{NBSP}%"),
    (1.5, "150%", f"150{NBSP}%"),
    (12.345, "1,234%", f"1{NNBSP}234{NBSP}%"),
    (0.575, "57%", f"57{NBSP}%"),  # 0.575 * 100 is 57.4999…: the report's rounding, not Babel's half-even 58
    (0.165, "16%", f"16{NBSP}%"),  # 0.165 * 100 is 16.5 exactly: half to even
])
def test_percent(share, en, fr):
    assert percent(share, "en") == en
    assert percent(share, "fr") == fr


def test_percent_rounds_as_the_report_always_has():
    for n in range(1, 400):
        for k in range(n + 1):
            assert percent(k / n, "en") == f"{k / n * 100:.0f}%"


@pytest.mark.parametrize("value, en, fr", [
    (dt.date(2024, 10, 22), "22 October 2024", "22 octobre 2024"),
    (dt.date(2024, 10, 1), "1 October 2024", "1er octobre 2024"),  # house style: "1er" in French
    (dt.date(2024, 8, 1), "1 August 2024", "1er août 2024"),
    (dt.date(2024, 2, 29), "29 February 2024", "29 février 2024"),
    (dt.date(2024, 12, 31), "31 December 2024", "31 décembre 2024"),
    ("2024-10-22", "22 October 2024", "22 octobre 2024"),
    (dt.datetime(2024, 10, 1, 23, 30), "1 October 2024", "1er octobre 2024"),
])
def test_date(value, en, fr):
    assert date(value, "en") == en
    assert date(value, "fr") == fr


def test_date_takes_timestamps_and_nat():
    pd = pytest.importorskip("pandas")
    assert date(pd.Timestamp("2024-11-01"), "fr") == "1er novembre 2024"
    assert date(pd.NaT, "en") == ""


@pytest.mark.parametrize("value", MISSING)
def test_missing_date_is_empty(value):
    assert date(value, "en") == date(value, "fr") == ""


def test_other_languages_fall_back_to_english():
    assert date(dt.date(2024, 10, 1), "es") == "1 October 2024"
    assert number(1234, "es") == "1,234"
    assert percent(0.42, "es") == "42%"
    assert language_name("fr", "es") == "French"


@pytest.mark.parametrize("start, end, en, fr", [
    ((2024, 10, 22), (2024, 10, 24), "22–24 October 2024", "22–24 octobre 2024"),
    ((2024, 10, 1), (2024, 10, 3), "1–3 October 2024", "1–3 octobre 2024"),
    ((2024, 10, 22), (2024, 10, 22), "22 October 2024", "22 octobre 2024"),
    ((2024, 10, 1), (2024, 10, 1), "1 October 2024", "1er octobre 2024"),
    ((2024, 9, 30), (2024, 10, 2), "30 September 2024 – 2 October 2024", "30 septembre 2024 – 2 octobre 2024"),
    ((2024, 9, 1), (2024, 10, 1), "1 September 2024 – 1 October 2024", "1er septembre 2024 – 1er octobre 2024"),
    ((2024, 12, 30), (2025, 1, 2), "30 December 2024 – 2 January 2025", "30 décembre 2024 – 2 janvier 2025"),
    ((2024, 10, 22), (2025, 10, 24), "22 October 2024 – 24 October 2025", "22 octobre 2024 – 24 octobre 2025"),
])
def test_date_range(start, end, en, fr):
    start, end = dt.date(*start), dt.date(*end)
    assert date_range(start, end, "en") == en
    assert date_range(start, end, "fr") == fr


def test_date_range_takes_iso_strings():
    assert date_range("2024-10-22", "2024-10-24", "fr") == "22–24 octobre 2024"


@pytest.mark.parametrize("missing", MISSING)
def test_date_range_without_both_ends_is_empty(missing):
    day = dt.date(2024, 10, 22)
    for language in ("en", "fr"):
        assert date_range(missing, day, language) == ""
        assert date_range(day, missing, language) == ""
        assert date_range(missing, missing, language) == ""


@pytest.mark.parametrize("code, en, fr", [
    ("en", "English", "anglais"),
    ("fr", "French", "français"),
    ("ar", "Arabic", "arabe"),
    ("es", "Spanish", "espagnol"),
    ("ru", "Russian", "russe"),
    ("zh", "Chinese", "chinois"),
    ("qqq", "qqq", "qqq"),  # unknown to CLDR: the code itself
])
def test_language_name(code, en, fr):
    assert language_name(code, "en") == en
    assert language_name(code, "fr") == fr


@pytest.mark.parametrize("seconds, expected", [
    (0, "0:00:00"), (1, "0:00:01"), (59.9, "0:00:59"), (61, "0:01:01"), (3600, "1:00:00"), (36000 + 62, "10:01:02"),
    (None, ""), (float("nan"), ""),
])
def test_clock(seconds, expected):
    assert clock(seconds) == expected
