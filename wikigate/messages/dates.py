"""Dates as each language writes them by default (MediaWiki's 'both' date format of that language)."""

from __future__ import annotations

from datetime import UTC, datetime

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "tr": ("Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım",
           "Aralık"),
}


def time_and_date(moment: float, lang: str = "en") -> str:
    """`20:57, 1 December 2026` in English; French and Turkish put the parts their own way."""
    when = datetime.fromtimestamp(moment, tz=UTC)
    month = _MONTHS.get(lang, _MONTHS["en"])[when.month - 1]
    if lang == "fr":
        return f"{when.day} {month} {when.year} à {when:%H:%M}"
    if lang == "tr":
        return f"{when:%H.%M}, {when.day} {month} {when.year}"
    return f"{when:%H:%M}, {when.day} {month} {when.year}"
