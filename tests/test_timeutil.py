"""Timestamps and expiries.

Expiry examples marked "wiki" were sent as action=protect&expiry=... to
MediaWiki 1.39.17 at 2026-11-21T21:45:39Z (a Saturday); the others were
checked with PHP 8.2's strtotime and MediaWiki's ConvertibleTimestamp.
"""

import pytest

from wikigate.timeutil import (
    INFINITY_WORDS,
    InvalidExpiry,
    format_expiry,
    is_past,
    parse_expiry,
    parse_timestamp,
    to_iso,
    to_mw,
)

SATURDAY = parse_timestamp("2026-11-21T21:45:39Z")
WEDNESDAY = parse_timestamp("2027-01-27T20:00:00Z")


def expiry_at(value: str, now: float) -> str:
    result = parse_expiry(value, now=now)
    assert result is not None
    return to_iso(result)


# --- formatting --------------------------------------------------------------


def test_formats():
    assert to_iso(1795297020) == "2026-11-21T21:37:00Z"
    assert to_mw(1795297020) == "20261121213700"
    assert to_iso(0) == "1970-01-01T00:00:00Z"
    assert to_iso(-1) == "1969-12-31T23:59:59Z"


def test_formats_drop_fractions_of_a_second():
    assert to_iso(1795297020.999) == "2026-11-21T21:37:00Z"
    assert to_mw(-0.5) == "19691231235959"


def test_format_expiry_spells_never_as_asked():
    assert format_expiry(None) == "infinity"
    assert format_expiry(None, infinity="infinite") == "infinite"
    assert format_expiry(1924905600) == "2030-12-31T00:00:00Z"


# --- timestamps --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("20301231000000", "2030-12-31T00:00:00Z"),
        ("2030-12-31T12:00:00Z", "2030-12-31T12:00:00Z"),
        ("2030-12-31T12:00:00", "2030-12-31T12:00:00Z"),
        ("2030-12-31 12:00:00", "2030-12-31T12:00:00Z"),
        ("2030-12-31T12:00:00.5Z", "2030-12-31T12:00:00Z"),
        ("2030-12-31T12:00:00,123456+02:00", "2030-12-31T10:00:00Z"),
        ("2030-12-31T12:00:00+0230", "2030-12-31T09:30:00Z"),
        ("2030-12-31T12:00:00-02", "2030-12-31T14:00:00Z"),
        ("20301231T120000Z", "2030-12-31T12:00:00Z"),
        ("1700000000", "2023-11-14T22:13:20Z"),
        ("-5", "1969-12-31T23:59:55Z"),
        ("1", "1970-01-01T00:00:01Z"),
        ("Tue, 31 Dec 2030 12:00:00 GMT", "2030-12-31T12:00:00Z"),
        ("31 Dec 2030 12:00:00 +0100", "2030-12-31T11:00:00Z"),
        ("Tue, 31 Dec 2030 12:00:00", "2030-12-31T12:00:00Z"),
        ("Tue, 31 Dec 30 12:00:00 GMT", "2030-12-31T12:00:00Z"),
        ("Fri, 31 Dec 99 12:00:00 GMT", "1999-12-31T12:00:00Z"),
        ("31 Dec 2030 12:00:00 EST", "2030-12-31T17:00:00Z"),
        ("Tue, 31 Dec 2030 12:00:00 Z", "2030-12-31T12:00:00Z"),
        ("Tue, 31 Dec 2030 12:00:00 GMT; comment", "2030-12-31T12:00:00Z"),
    ],
)
def test_timestamp_formats(value, iso):
    assert to_iso(parse_timestamp(value)) == iso


def test_unix_time_keeps_its_fraction():
    assert parse_timestamp("1700000000.25") == 1700000000.25


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("20301340000000", "2031-02-09T00:00:00Z"),
        ("20300230000000", "2030-03-02T00:00:00Z"),
        ("20302431000000", "2031-12-31T00:00:00Z"),
        # A weekday that disagrees with the date moves it forward.
        ("Wed, 31 Dec 2030 12:00:00 GMT", "2031-01-01T12:00:00Z"),
    ],
)
def test_out_of_range_fields_overflow_like_php(value, iso):
    assert to_iso(parse_timestamp(value)) == iso


@pytest.mark.parametrize(
    "value",
    ["junk", "", "2030-12-31", " 20301231000000", "2030-12-31T12:00", "Tue, 31 dec 2030 12:00:00 GMT",
     "Xyz, 31 Dec 2030 12:00:00 GMT", "Tue, 31 Foo 2030 12:00:00 GMT", "2030-12-31T12:00:00ZZ",
     "12345678901234567", "99999999999999"],
)
def test_junk_timestamps_raise(value):
    with pytest.raises(ValueError):
        parse_timestamp(value)


# --- expiries ----------------------------------------------------------------


@pytest.mark.parametrize("word", INFINITY_WORDS)
def test_infinity_words_never_expire(word):
    assert parse_expiry(word, now=SATURDAY) is None


@pytest.mark.parametrize("value", ["INFINITE", " infinite", "Infinity", "infinite "])
def test_infinity_words_are_exact(value):  # wiki
    with pytest.raises(InvalidExpiry):
        parse_expiry(value, now=SATURDAY)


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("1 week", "2026-11-28T21:45:39Z"),
        ("2 months", "2027-01-21T21:45:39Z"),
        ("1 month", "2026-12-21T21:45:39Z"),
        ("1 year 2 months", "2028-01-21T21:45:39Z"),
        ("3 days", "2026-11-24T21:45:39Z"),
        ("+1 hour", "2026-11-21T22:45:39Z"),
        ("10 minutes", "2026-11-21T21:55:39Z"),
        ("1 second", "2026-11-21T21:45:40Z"),
        ("1week", "2026-11-28T21:45:39Z"),
        ("1 WEEK", "2026-11-28T21:45:39Z"),
        ("1 fortnight", "2026-12-05T21:45:39Z"),
        ("tomorrow", "2026-11-22T00:00:00Z"),
        ("next monday", "2026-11-23T00:00:00Z"),
        ("now", "2026-11-21T21:45:39Z"),
        ("1 day ago 2 days", "2026-11-22T21:45:39Z"),
        ("20301231000000", "2030-12-31T00:00:00Z"),
        ("20301231", "2030-12-31T00:00:00Z"),
        ("2030-12-31", "2030-12-31T00:00:00Z"),
        ("2030-12-31 12:00:00", "2030-12-31T12:00:00Z"),
        ("2030-12-31T12:00:00.5Z", "2030-12-31T12:00:00Z"),
        ("Tue, 31 Dec 2030 12:00:00 GMT", "2030-12-31T12:00:00Z"),
        ("@1900000000", "2030-03-17T17:46:40Z"),
    ],
)
def test_expiries_accepted_by_the_wiki(value, iso):  # wiki
    assert expiry_at(value, SATURDAY) == iso


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("1 sec", "2027-01-27T20:00:01Z"),
        ("2 secs", "2027-01-27T20:00:02Z"),
        ("5 mins", "2027-01-27T20:05:00Z"),
        ("1 weeks", "2027-02-03T20:00:00Z"),
        ("  1 day  ", "2027-01-28T20:00:00Z"),
        ("1 Day, 2 Hours", "2027-01-28T22:00:00Z"),
        ("+ 1 day", "2027-01-28T20:00:00Z"),
        ("+1 week +2 days -3 hours", "2027-02-05T17:00:00Z"),
        ("1 day 1 hour 1 minute 1 second", "2027-01-28T21:01:01Z"),
        ("today", "2027-01-27T00:00:00Z"),
        ("midnight", "2027-01-27T00:00:00Z"),
        ("noon", "2027-01-27T12:00:00Z"),
        ("yesterday", "2027-01-26T00:00:00Z"),
        ("tomorrow noon", "2027-01-28T12:00:00Z"),
        ("noon tomorrow", "2027-01-28T00:00:00Z"),
        ("1 week ago", "2027-01-20T20:00:00Z"),
        ("1 week 2 days ago", "2027-01-18T20:00:00Z"),
        ("2 weeks ago 1 day", "2027-01-14T20:00:00Z"),
        ("1 day ago ago", "2027-01-28T20:00:00Z"),
        ("tomorrow tomorrow", "2027-01-28T00:00:00Z"),
        ("tomorrow 1 day ago", "2027-01-25T00:00:00Z"),
        ("1 day tomorrow", "2027-01-28T00:00:00Z"),
        ("monday", "2027-02-01T00:00:00Z"),
        ("wednesday", "2027-01-27T00:00:00Z"),
        ("next wednesday", "2027-02-03T00:00:00Z"),
        ("last wednesday", "2027-01-20T00:00:00Z"),
        ("next tue", "2027-02-02T00:00:00Z"),
        ("NEXT MONDAY", "2027-02-01T00:00:00Z"),
        ("monday +1 day", "2027-02-02T00:00:00Z"),
        ("next week", "2027-02-01T20:00:00Z"),
        ("last week", "2027-01-18T20:00:00Z"),
        ("this week", "2027-01-25T20:00:00Z"),
        ("next week 1 day", "2027-02-02T20:00:00Z"),
        ("next month", "2027-02-27T20:00:00Z"),
        ("last year", "2026-01-27T20:00:00Z"),
        ("next day", "2027-01-28T20:00:00Z"),
    ],
)
def test_relative_expiries_follow_strtotime(value, iso):
    assert expiry_at(value, WEDNESDAY) == iso


@pytest.mark.parametrize(
    ("value", "start", "iso"),
    [
        ("1 month", "2027-01-31T12:00:00Z", "2027-03-03T12:00:00Z"),
        ("1 month", "2028-02-29T12:00:00Z", "2028-03-29T12:00:00Z"),
        ("1 month", "2027-03-31T12:00:00Z", "2027-05-01T12:00:00Z"),
        ("-1 month", "2027-03-31T12:00:00Z", "2027-03-03T12:00:00Z"),
        ("1 year", "2028-02-29T12:00:00Z", "2029-03-01T12:00:00Z"),
        ("1 month 1 day", "2027-01-31T12:00:00Z", "2027-03-04T12:00:00Z"),
        ("12 months", "2027-01-27T20:00:00Z", "2028-01-27T20:00:00Z"),
    ],
)
def test_months_overflow_on_the_calendar(value, start, iso):
    assert expiry_at(value, parse_timestamp(start)) == iso


def test_weeks_start_on_monday_even_from_sunday():
    sunday = parse_timestamp("2027-01-31T12:00:00Z")
    assert expiry_at("this week", sunday) == "2027-01-25T12:00:00Z"
    assert expiry_at("next week", sunday) == "2027-02-01T12:00:00Z"
    assert expiry_at("sunday", sunday) == "2027-01-31T00:00:00Z"
    assert expiry_at("last sunday", sunday) == "2027-01-24T00:00:00Z"


@pytest.mark.parametrize(
    "value",
    [
        "junk",  # wiki
        "1800000000",  # wiki: bare numbers are not Unix time here
        "1970-01-01T00:00:00Z",  # wiki: zero counts as invalid
        "1960-01-01",  # wiki: so do times before 1970
        "",
        "1",
        "1234",
        "one week",
        "a week",
        "1.5 days",
        "3 hrs",
        "1 wednesday",
        "1 day and 2 hours",
        "nextweek",
        "99999999999 days",
        "monday next week",
    ],
)
def test_junk_expiries_raise(value):
    with pytest.raises(InvalidExpiry) as caught:
        parse_expiry(value, now=WEDNESDAY)
    assert caught.value.value == value


def test_past_expiries_parse_and_is_past_says_so():  # wiki: pastexpiry
    for value in ("2001-01-01T00:00:00Z", "1 week ago"):
        expiry = parse_expiry(value, now=SATURDAY)
        assert is_past(expiry, SATURDAY)


def test_is_past_compares_whole_seconds():
    assert not is_past(None, SATURDAY)
    assert not is_past(SATURDAY, SATURDAY + 0.9)
    assert is_past(SATURDAY - 1, SATURDAY)
    assert not is_past(SATURDAY + 1, SATURDAY)


def test_relative_expiry_counts_from_the_whole_second():
    assert parse_expiry("1 hour", now=SATURDAY + 0.7) == SATURDAY + 3600
