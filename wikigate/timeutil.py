"""Timestamps and expiries in the forms MediaWiki 1.39 reads and writes.

All times are Unix seconds (floats) in UTC; the API shows them as ISO 8601
("2026-11-21T21:17:00Z") and the database as 14 digits ("20261121211700").

Two parsers exist because MediaWiki has two:

* `parse_timestamp` reads timestamp parameters (ConvertibleTimestamp): fixed
  formats, where a bare number is Unix time.
* `parse_expiry` reads expiry parameters (PHP's strtotime after a check for
  the "infinite" words): absolute dates plus relative forms like "2 weeks".
  A bare number here is not Unix time.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

INFINITY_WORDS = ("infinite", "indefinite", "infinity", "never")

_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_DAY = 86400


class InvalidExpiry(ValueError):
    """The text is neither an infinity word nor a time MediaWiki understands."""

    def __init__(self, value: str) -> None:
        super().__init__(f"invalid expiry: {value!r}")
        self.value = value


def _utc(ts: float) -> dt.datetime:
    return dt.datetime(1970, 1, 1) + dt.timedelta(seconds=math.floor(ts))


def to_iso(ts: float) -> str:
    """ISO 8601 as the API prints it, whole seconds: "2026-11-21T21:17:00Z"."""
    return _utc(ts).strftime("%Y-%m-%dT%H:%M:%SZ")


def to_mw(ts: float) -> str:
    """MediaWiki's database form (TS_MW): "20261121211700"."""
    return _utc(ts).strftime("%Y%m%d%H%M%S")


def format_expiry(expiry: float | None, *, infinity: str = "infinity") -> str:
    """An expiry as the API shows it.

    Modules differ in the word for "never": action=protect says "infinite",
    prop=info says "infinity".
    """
    return infinity if expiry is None else to_iso(expiry)


def is_past(expiry: float | None, now: float) -> bool:
    """Whether an expiry lies before `now`, to the second as MediaWiki compares."""
    return expiry is not None and math.floor(expiry) < math.floor(now)


def _from_fields(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> float:
    """Unix time of calendar fields, letting them overflow as PHP does.

    Month 13 is January of the next year and February 30 is early March; PHP
    accepts such dates instead of rejecting them. Years outside 1..9999
    raise ValueError.
    """
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    days = dt.date(year, month, 1).toordinal() - _EPOCH_ORDINAL + day - 1
    return float(days * _DAY + hour * 3600 + minute * 60 + second)


# ---------------------------------------------------------------------------
# Timestamps (ConvertibleTimestamp)

_MW = re.compile(r"(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)", re.ASCII)
_ZONE = r"(Z|[+-]\d\d(?::?\d\d)?)?"
_ISO = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,6}))?" + _ZONE, re.ASCII
)
_ISO_BASIC = re.compile(
    r"(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)(?:[.,](\d{1,6}))?" + _ZONE, re.ASCII
)
_UNIX = re.compile(r"-?\d{1,13}(?:\.\d{1,6})?", re.ASCII)

_WS = r"[ \t\r\n]"
# RFC 2822 dates as in HTTP headers; anything after a ";" is a comment.
_RFC2822 = re.compile(
    rf"{_WS}*(?:([A-Z][a-z]{{2}}),{_WS}*)?"
    rf"(\d\d?){_WS}+([A-Z][a-z]{{2}}){_WS}+(\d{{2,4}})"
    rf"{_WS}+(\d\d){_WS}*:{_WS}*(\d\d){_WS}*:{_WS}*(\d\d)"
    rf"(?:{_WS}+([+-]\d{{4}}|UT|GMT|[ECMP][SD]T|[A-IK-Za-ik-z]))?"
    rf"(?:{_WS}*;|$)",
    re.ASCII,
)

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_US_ZONE_HOURS = {"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7}


def _zone_offset(zone: str | None) -> int:
    """Seconds east of UTC for "Z", "+02", "+0230" or "+02:30"."""
    if not zone or zone == "Z":
        return 0
    digits = zone[1:].replace(":", "")
    seconds = int(digits[:2]) * 3600 + int(digits[2:] or 0) * 60
    return -seconds if zone[0] == "-" else seconds


def _iso_time(match: re.Match[str]) -> float:
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    fraction = float("0." + match[7]) if match[7] else 0.0
    local = _from_fields(year, month, day, hour, minute, second) + fraction
    return local - _zone_offset(match[8])


def _rfc2822_zone_offset(zone: str | None) -> int:
    if zone is None or zone in ("UT", "GMT") or len(zone) == 1:
        # RFC 2822 says to read the one-letter military zones as UTC.
        return 0
    if zone in _US_ZONE_HOURS:
        return _US_ZONE_HOURS[zone] * 3600
    return _zone_offset(zone)


def _rfc2822_time(match: re.Match[str]) -> float:
    weekday, day, month_name, year_text, hour, minute, second, zone = match.groups()
    if month_name.lower() not in _MONTHS:
        raise ValueError(f"unknown month {month_name!r}")
    year = int(year_text)
    if year < 1000:
        year += 2000 if year < 50 else 1900
    local = _from_fields(year, _MONTHS.index(month_name.lower()) + 1, int(day),
                         int(hour), int(minute), int(second))
    if weekday is not None:
        if weekday.lower() not in _WEEKDAYS:
            raise ValueError(f"unknown weekday {weekday!r}")
        # PHP moves a date whose weekday disagrees forward to that weekday.
        current = dt.datetime(1970, 1, 1) + dt.timedelta(seconds=local)
        local += ((_WEEKDAYS.index(weekday.lower()) - current.weekday()) % 7) * _DAY
    return local - _rfc2822_zone_offset(zone)


def parse_timestamp(value: str) -> float:
    """Read a timestamp parameter; raise ValueError if it is not one.

    Accepted, as MediaWiki's ConvertibleTimestamp: 14 digits (TS_MW),
    ISO 8601 ("2026-11-21T21:17:00Z", "2026-11-21 21:17:00" as in the
    database, optional fraction and zone, or the basic "20261121T211700Z"),
    Unix seconds ("1700000000", "-5", "1700000000.25") and RFC 2822
    ("Sat, 21 Nov 2026 21:17:00 GMT"). Out-of-range fields overflow as in
    PHP. The API's "now" and empty values are the caller's business.
    """
    try:
        if match := _MW.fullmatch(value):
            return _from_fields(*(int(part) for part in match.groups()))
        if match := _ISO.fullmatch(value) or _ISO_BASIC.fullmatch(value):
            return _iso_time(match)
        if _UNIX.fullmatch(value):
            return float(value)
        if match := _RFC2822.match(value):
            return _rfc2822_time(match)
    except (ValueError, OverflowError) as error:
        raise ValueError(f"invalid timestamp: {value!r}") from error
    raise ValueError(f"invalid timestamp: {value!r}")


# ---------------------------------------------------------------------------
# Expiries (strtotime)

_UNIX_AT = re.compile(r"@(-?\d+)", re.ASCII)
_DATE_ONLY = re.compile(r"(\d{4})-(\d\d)-(\d\d)|(\d{4})(\d\d)(\d\d)", re.ASCII)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?", re.ASCII)


def _absolute_expiry(text: str) -> float | None:
    """An absolute date or time, or None if `text` is not one."""
    if match := _UNIX_AT.fullmatch(text):
        return float(match[1])
    if match := _DATE_ONLY.fullmatch(text):
        return _from_fields(*(int(part) for part in match.groups() if part))
    # strtotime never reads a bare number as Unix time ("1234" is 12:34
    # today, "1800000000" nothing); of those we take only the 14-digit form.
    if _NUMBER.fullmatch(text) and not _MW.fullmatch(text):
        return None
    try:
        return parse_timestamp(text)
    except ValueError:
        return None


_UNIT_SECONDS = {"sec": 1, "second": 1, "min": 60, "minute": 60, "hour": 3600}
_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14}
_UNIT_MONTHS = {"month": 1, "year": 12}
_UNITS = _UNIT_SECONDS.keys() | _UNIT_DAYS.keys() | _UNIT_MONTHS.keys()
_WEEKDAY_NAMES = {
    **{name: index for index, name in enumerate(_WEEKDAYS)},
    **{name + "day": index for index, name in
       enumerate(("mon", "tues", "wednes", "thurs", "fri", "satur", "sun"))},
}

_TOKEN = re.compile(
    r"(?P<amount>[+-]?\s*\d+)\s*(?P<unit>[a-z]+)"
    r"|(?P<which>next|last|previous|this)\s+(?P<what>[a-z]+)"
    r"|(?P<word>[a-z]+)",
    re.ASCII,
)


def _unit(word: str) -> str | None:
    """The singular unit name for "weeks", "secs", "Hour"…, if it is one."""
    for candidate in (word, word.removesuffix("s")):
        if candidate in _UNITS:
            return candidate
    return None


@dataclass(slots=True)
class _Relative:
    """What a relative expiry asks for, collected token by token.

    strtotime first sets the time of day and moves to a weekday, then adds
    months (on the calendar), then days and seconds.
    """

    months: int = 0
    days: int = 0
    seconds: int = 0
    time_of_day: int | None = None
    # (target weekday, how): "this" = today or later, "next" = after today,
    # "last" = before today, "week" = the Monday starting this ISO week.
    weekday: tuple[int, str] | None = None

    def add(self, amount: int, unit: str) -> None:
        if unit in _UNIT_MONTHS:
            self.months += amount * _UNIT_MONTHS[unit]
        elif unit in _UNIT_DAYS:
            self.days += amount * _UNIT_DAYS[unit]
        else:
            self.seconds += amount * _UNIT_SECONDS[unit]

    def set_weekday(self, weekday: int, how: str) -> None:
        # Two weekday rules interact in ways not worth imitating.
        if self.weekday is not None:
            raise ValueError("more than one weekday")
        self.weekday = (weekday, how)

    def negate(self) -> None:
        self.months, self.days, self.seconds = -self.months, -self.days, -self.seconds

    def apply(self, now: float) -> float:
        start = math.floor(now)
        day_start = start - start % _DAY
        moment = start if self.time_of_day is None else day_start + self.time_of_day
        if self.weekday is not None:
            moment = _move_to_weekday(moment, *self.weekday)
        if self.months:
            moment = _add_months(moment, self.months)
        return float(moment + self.days * _DAY + self.seconds)


def _move_to_weekday(moment: int, weekday: int, how: str) -> int:
    today = (moment // _DAY + 3) % 7  # 1970-01-01 was a Thursday (3).
    if how == "week":
        return moment - today * _DAY
    ahead = (weekday - today) % 7
    if how == "next" and ahead == 0:
        ahead = 7
    if how == "last":
        ahead = ahead - 7 if ahead else -7
    return moment + ahead * _DAY


def _add_months(moment: int, months: int) -> int:
    when = dt.datetime(1970, 1, 1) + dt.timedelta(seconds=moment)
    shifted = _from_fields(when.year, when.month + months, when.day)
    return int(shifted) + moment % _DAY


def _relative_expiry(text: str, now: float) -> float | None:
    """A strtotime-style relative time, or None if `text` is not one."""
    relative = _Relative()
    position = _skip_separators(text, 0)
    while position < len(text):
        token = _TOKEN.match(text, position)
        if token is None or not _apply_token(relative, token):
            return None
        position = _skip_separators(text, token.end())
    return relative.apply(now)


def _skip_separators(text: str, position: int) -> int:
    """strtotime ignores spaces and commas between tokens."""
    while position < len(text) and (text[position].isspace() or text[position] == ","):
        position += 1
    return position


def _apply_token(relative: _Relative, token: re.Match[str]) -> bool:
    """Record one token; False if it means nothing to us."""
    if token["amount"] is not None:
        unit = _unit(token["unit"])
        if unit is None:
            return False
        relative.add(int("".join(token["amount"].split())), unit)
        return True
    if token["which"] is not None:
        return _apply_next_last(relative, token["which"], token["what"])
    word = token["word"]
    if word == "ago":
        # "ago" turns around everything before it: "1 day ago 2 days" is +1 day.
        relative.negate()
    elif word == "now":
        pass  # the starting point itself
    elif word in ("today", "midnight", "noon"):
        relative.time_of_day = 12 * 3600 if word == "noon" else 0
    elif word in ("tomorrow", "yesterday"):
        # These replace, not add to, the day offset so far ("tomorrow tomorrow" is +1 day).
        relative.days = 1 if word == "tomorrow" else -1
        relative.time_of_day = 0
    elif word in _WEEKDAY_NAMES:
        relative.set_weekday(_WEEKDAY_NAMES[word], "this")
        relative.time_of_day = 0
    else:
        return False
    return True


def _apply_next_last(relative: _Relative, which: str, what: str) -> bool:
    direction = {"next": 1, "last": -1, "previous": -1, "this": 0}[which]
    if what in _WEEKDAY_NAMES:
        how = {1: "next", -1: "last", 0: "this"}[direction]
        relative.set_weekday(_WEEKDAY_NAMES[what], how)
        relative.time_of_day = 0
        return True
    unit = _unit(what)
    if unit is None:
        return False
    relative.add(direction, unit)
    if unit == "week":
        # strtotime's "next week" is the Monday of next week, time kept.
        relative.set_weekday(0, "week")
    return True


def parse_expiry(value: str, *, now: float) -> float | None:
    """Read an expiry parameter: None for never, else absolute Unix time.

    Accepted, as by action=protect: the words in INFINITY_WORDS (exactly,
    lower case); absolute times (14 digits, ISO 8601, RFC 2822, "2030-12-31",
    "20301231", "@1900000000"); and relative forms counted from `now`:
    "1 week", "+2 hours", "1 year 2 months", "3 days ago", "tomorrow",
    "next monday", "next month". Months and years move on the calendar and
    overflow as PHP does: one month after January 31 is early March.

    Raises InvalidExpiry for anything else, and for results at or before
    1970 (which action=protect also calls invalid). A past expiry is
    returned; see `is_past`.
    """
    if value in INFINITY_WORDS:
        return None
    text = value.strip().lower()
    try:
        expiry = _absolute_expiry(value.strip())
        if expiry is None and text:
            expiry = _relative_expiry(text, now)
        if expiry is not None:
            _utc(expiry)  # out of datetime's range means nonsense input
    except (ValueError, OverflowError) as error:
        raise InvalidExpiry(value) from error
    if expiry is None or expiry <= 0:
        raise InvalidExpiry(value)
    return expiry
