"""Dates and numbers the way each language writes them: one helper per language.

Persian pages use the Solar Hijri calendar (jdatetime) and Persian digits: 2020-11-11 is
"۲۱ آبان ۱۳۹۹". English pages use the Gregorian calendar and Latin digits: "November 11, 2020".
Any other language Django's own formats. Times are in the site's TIME_ZONE and name it.
Plain string building, not Django's `date` filter: a page formats fifty comment times.
"""

import datetime
import functools

import jdatetime
from django.utils import formats, timezone

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def persian_digits(text):
    return str(text).translate(PERSIAN_DIGITS)


def _local(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


def format_date(value, language):
    """The day of `value` (a date, or a datetime in the site's time zone) in `language`."""
    day = _local(value)
    if language == "fa":
        return _solar_hijri_day(day.year, day.month, day.day)
    if language == "en":
        return f"{ENGLISH_MONTHS[day.month - 1]} {day.day}, {day.year}"
    return formats.date_format(day, "DATE_FORMAT")


@functools.lru_cache(maxsize=1024)
def _solar_hijri_day(year, month, day):
    """A Gregorian day in the Solar Hijri calendar, in Persian digits. Kept: jdatetime's
    conversion made a Persian comment time cost 12 µs against English's 7, and the comments
    on a page share a few days."""
    solar = jdatetime.date.fromgregorian(day=day, month=month, year=year)
    return persian_digits(f"{solar.day} {jdatetime.date.j_months_fa[solar.month - 1]} {solar.year}")


def format_datetime(value, language):
    """Day and time of an aware datetime, in the site's time zone, which it names."""
    local = timezone.localtime(value)
    zone = local.tzname()
    clock = f"{local:%H:%M}"
    if language == "fa":
        # No Latin on a Persian page: UTC by its Persian name; an offset ("+0330") in Persian
        # digits after a left-to-right mark, which keeps its sign before the digits.
        zone = "به وقت گرینویچ" if zone == "UTC" else f"\u200e{persian_digits(zone)}"
        return f"{format_date(local, language)}، ساعت {persian_digits(clock)} ({zone})"
    if language == "en":
        return f"{format_date(local, language)} at {clock} {zone}"
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} {zone}"


PERSIAN_GREGORIAN_MONTHS = (
    "ژانویه",
    "فوریه",
    "مارس",
    "آوریل",
    "مه",
    "ژوئن",
    "ژوئیه",
    "اوت",
    "سپتامبر",
    "اکتبر",
    "نوامبر",
    "دسامبر",
)


def format_month(value, language):
    """A Gregorian calendar month (figures counted by Gregorian month), as `language` names
    it: "نوامبر ۲۰۲۶" in Persian, "November 2026" in English."""
    if language == "fa":
        return f"{PERSIAN_GREGORIAN_MONTHS[value.month - 1]} {persian_digits(value.year)}"
    if language == "en":
        return f"{ENGLISH_MONTHS[value.month - 1]} {value.year}"
    return formats.date_format(value, "YEAR_MONTH_FORMAT")


def format_number(value, language):
    """A count as `language` writes its digits."""
    text = formats.number_format(value, use_l10n=False)
    return persian_digits(text) if language == "fa" else text


def format_year(value, language):
    """A Gregorian year number, as written in `language` (archives are by Gregorian year)."""
    return persian_digits(value) if language == "fa" else str(value)
