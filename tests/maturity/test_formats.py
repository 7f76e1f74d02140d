"""English pages write dates as our readers do: day, month in full, year; a 24-hour clock."""

from datetime import date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format


@pytest.mark.parametrize(
    ("language", "written"),
    [("en", "27 November 2027"), ("nl-be", "27 november 2027")],
)
def test_a_date_reads_day_month_year_in_both_languages(language, written):
    with translation.override(language):
        assert date_format(date(2027, 11, 27)) == written
        assert Template('{{ d|date:"DATE_FORMAT" }}').render(
            Context({"d": date(2027, 11, 27)})
        ) == (written)


def test_english_times_and_short_dates_are_not_american():
    moment = datetime(2027, 11, 27, 14, 30)
    with translation.override("en"):
        assert date_format(moment, "DATETIME_FORMAT") == "27 November 2027, 14:30"
        assert date_format(moment, "SHORT_DATE_FORMAT") == "27/11/2027"
        assert date_format(moment, "TIME_FORMAT") == "14:30"
