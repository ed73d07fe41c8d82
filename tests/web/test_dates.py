import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from archive.web.presenters import digits, hijri_date, long_date

KNOWN_DAY = datetime.date(2025, 2, 13)  # 14 Sha'ban 1446 in the Umm al-Qura calendar


def render(source: str, **context) -> str:
    return Template("{% load dates %}" + source).render(Context(context))


def test_it_writes_arabic_month_names_on_arabic_pages():
    with translation.override("ar"):
        assert long_date(KNOWN_DAY) == "13 فبراير/شباط 2025"
        assert render("{{ day|long_date }}", day=KNOWN_DAY) == "13 فبراير/شباط 2025"


def test_it_writes_english_month_names_on_english_pages():
    with translation.override("en"):
        assert long_date(KNOWN_DAY) == "13 February 2025"


def test_it_gives_the_umm_al_qura_date_in_the_active_language():
    with translation.override("ar"):
        assert hijri_date(KNOWN_DAY) == "14 شعبان 1446 هـ"
    with translation.override("en"):
        assert hijri_date(KNOWN_DAY) == "14 Sha'ban 1446 AH"
        # The apostrophe is escaped in HTML, not lost.
        assert render("{{ day|hijri_date }}", day=KNOWN_DAY) == "14 Sha&#x27;ban 1446 AH"


def test_it_accepts_a_datetime_as_its_calendar_day():
    with translation.override("en"):
        moment = datetime.datetime(2025, 2, 13, 23, 30, tzinfo=datetime.UTC)
        assert long_date(moment) == "13 February 2025"
        assert hijri_date(moment) == "14 Sha'ban 1446 AH"


@pytest.mark.parametrize("value", [None, "", "2025-02-13"])
def test_it_shows_nothing_for_a_missing_date(value):
    with translation.override("ar"):
        assert long_date(value) == ""
        assert hijri_date(value) == ""


def test_it_leaves_out_the_hijri_date_outside_the_umm_al_qura_tables():
    with translation.override("ar"):
        assert hijri_date(datetime.date(1900, 1, 1)) == ""
        assert long_date(datetime.date(1900, 1, 1)) == "1 يناير/كانون الثاني 1900"


def test_it_uses_arabic_indic_digits_only_when_chosen_and_only_on_arabic_pages():
    with translation.override("ar"):
        assert digits(2025, "arab") == "٢٠٢٥"
        assert digits(2025) == "2025"
        assert render('{{ n|digits:"arab" }}', n="13 فبراير/شباط 2025") == "١٣ فبراير/شباط ٢٠٢٥"
    with translation.override("en"):
        assert digits(2025, "arab") == "2025"
    assert digits(None, "arab") == ""
