"""Dates and numbers as each language writes them (statements.formats): the Solar Hijri
calendar with Persian digits on Persian pages, the Gregorian calendar in English."""

import datetime
import zoneinfo

from hypothesis import given
from hypothesis import strategies as st

from statements.formats import format_date, format_datetime, format_number, persian_digits

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")


def test_the_demo_date_in_persian_is_21_aban_1399():
    assert format_date(datetime.date(2020, 11, 11), "fa") == "۲۱ آبان ۱۳۹۹"


def test_nowruz_starts_the_solar_hijri_year():
    assert format_date(datetime.date(2021, 3, 21), "fa") == "۱ فروردین ۱۴۰۰"
    assert format_date(datetime.date(2021, 3, 20), "fa") == "۳۰ اسفند ۱۳۹۹"


def test_english_dates_are_gregorian():
    assert format_date(datetime.date(2020, 11, 11), "en") == "November 11, 2020"


def test_a_datetime_is_dated_in_the_sites_time_zone(settings):
    settings.TIME_ZONE = "Asia/Tehran"
    late = datetime.datetime(2020, 11, 11, 22, 0, tzinfo=datetime.UTC)  # 01:30 next day there
    assert format_date(late, "en") == "November 12, 2020"
    assert format_datetime(late, "en") == "November 12, 2020 at 01:30 +0330"
    assert format_datetime(late, "fa") == "۲۲ آبان ۱۳۹۹، ساعت ۰۱:۳۰ (\u200e+۰۳۳۰)"


def test_times_name_utc_by_default(settings):
    settings.TIME_ZONE = "UTC"
    moment = datetime.datetime(2020, 11, 11, 14, 5, tzinfo=datetime.UTC)
    assert format_datetime(moment, "en") == "November 11, 2020 at 14:05 UTC"
    assert format_datetime(moment, "fa") == "۲۱ آبان ۱۳۹۹، ساعت ۱۴:۰۵ (به وقت گرینویچ)"


def test_counts_use_the_languages_digits():
    assert format_number(1234, "fa") == "۱۲۳۴"
    assert format_number(1234, "en") == "1234"


@given(st.dates(min_value=datetime.date(1700, 1, 1), max_value=datetime.date(2200, 12, 31)))
def test_every_persian_date_has_only_persian_digits_and_a_persian_month(day):
    text = format_date(day, "fa")
    assert not any(c.isascii() and c.isdigit() for c in text)
    number, month, year = text.split(" ")
    assert 1 <= int(number) <= 31 and month.isalpha()
    assert persian_digits(int(year)) == year
