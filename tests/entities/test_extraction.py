"""The extraction reads officials and meetings from text alone (no database)."""

import datetime as dt

import pytest

from archive.entities.reading.dates import find_date
from archive.entities.reading.extraction import extract, extract_text
from archive.entities.reading.person_names import same_person, surname_key
from archive.text.arabic import transliterate_latin


def only(text: str, **kwargs):
    persons = extract_text(text, **kwargs).persons
    assert len(persons) == 1, [p.name for p in persons]
    return persons[0]


@pytest.mark.parametrize(
    ("text", "name", "family", "country"),
    [
        (
            "التقى وزير الخارجية الروسي سيرغي لافروف في موسكو أمس.",
            "سيرغي لافروف",
            "foreign_minister",
            "Russia",
        ),
        (
            "يعتزم رئيس الوزراء الروسي - ميخائيل ميشوستين، لقاء وفد.",
            "ميخائيل ميشوستين",
            "prime_minister",
            "Russia",
        ),
        (
            "وقالت المتحدثة الرسمية باسم وزارة الخارجية الروسية، ماريا زاخاروفا، في مؤتمر صحفي.",
            "ماريا زاخاروفا",
            "spokesperson:foreign",
            "Russia",
        ),
        (
            "صرح سفير روسيا الاتحادية لدى جمهورية طاجيكستان - سيميون غريغورييف، بأن التعاون مستمر.",
            "سيميون غريغورييف",
            "ambassador",
            "Russia",
        ),
        ("استقبله رئيس طاجيكستان - إمام علي رحمون، في القصر.", "إمام علي رحمون", "president", "Tajikistan"),
        (
            "وأعلن وزير الزراعة الأردني خالد الحنيفات، أن الموسم جيد.",
            "خالد الحنيفات",
            "minister:الزراعه",
            "Jordan",
        ),
        ("قال المستشار الألماني أولاف شولتس إن المحادثات بناءة.", "أولاف شولتس", "chancellor", "Germany"),
        (
            "وكان نائب الرئيس البرازيلي جيرالدو ألكمين، قد زار الهند.",
            "جيرالدو ألكمين",
            "vice_president",
            "Brazil",
        ),
    ],
)
def test_it_reads_a_role_phrase_and_the_name_after_it(text, name, family, country):
    person = only(text)

    assert person.name == name
    assert person.role.family == family
    assert person.role.country_en == country


def test_it_keeps_the_role_as_written_and_an_arabic_label_without_the_country():
    person = only("صرح سفير روسيا الاتحادية لدى جمهورية طاجيكستان - سيميون غريغورييف، بأن التعاون مستمر.")

    assert person.role.phrase == "سفير روسيا الاتحادية لدى جمهورية طاجيكستان"
    assert person.role.label_ar == "سفير لدى جمهورية طاجيكستان"
    assert person.role.label_en == "Ambassador"


def test_it_gives_the_counterpart_the_same_post_in_the_other_country():
    persons = extract_text(
        "يلتقي رئيس الوزراء الروسي - ميخائيل ميشوستين، نظيره الطاجيكستاني - كوخير رسول زاده، اليوم."
    ).persons

    counterpart = next(p for p in persons if p.name == "كوخير رسول زاده")
    assert counterpart.role.family == "prime_minister"
    assert counterpart.role.country_en == "Tajikistan"


def test_it_splits_two_heads_of_state_named_together():
    persons = extract_text(
        "سيناقشان تنفيذ اتفاقات الاتصالات الأخيرة بين رئيسي روسيا وطاجيكستان، فلاديمير بوتين وإمام علي رحمن."
    ).persons

    assert [(p.name, p.role.family, p.role.country_en) for p in persons] == [
        ("فلاديمير بوتين", "president", "Russia"),
        ("إمام علي رحمن", "president", "Tajikistan"),
    ]


def test_it_counts_later_mentions_by_surname_and_keeps_the_first_sentence():
    person = only(
        "أكد وزير الخارجية الروسي سيرغي لافروف، أن العلاقات جيدة.\n"
        "وقال لافروف إن الحوار مستمر. وأضاف لافروف أن التعاون يتطور."
    )

    assert person.count == 3
    assert person.sentence.startswith("أكد وزير الخارجية الروسي سيرغي لافروف")


@pytest.mark.parametrize(
    "text",
    [
        "وقال وزير الخارجية الروسي إنه متفائل.",
        "وتم بحث ذلك مع وزير الخارجية الروسية، في موسكو.",
        "ومن المتوقع أن تستخدم القيادة زيارة وزير الخارجية الروسي لتوضيح مواقف موسكو بشأن القضايا.",
    ],
)
def test_it_does_not_take_ordinary_words_after_a_role_for_a_name(text):
    assert extract_text(text).persons == []


def test_it_stops_a_name_before_a_noun_phrase_that_follows_it():
    person = only("يفتتح وزير الخارجية الروسي - سيرغي لافروف أسبوع العمل بزيارة إلى طاجيكستان.")

    assert person.name == "سيرغي لافروف"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("اليوم الخميس 13 فبراير/شباط 2025", dt.date(2025, 2, 13)),
        ("في 24 أغسطس/آب الماضي", dt.date(2022, 8, 24)),
        ("يوميّ 17 و18 مارس/آذار 2025", dt.date(2025, 3, 17)),
        ("الثلاثاء الماضي", dt.date(2022, 8, 30)),
        ("٠٦ يونيو ٢٠٢٣", dt.date(2023, 6, 6)),
        ("في 4 أكتوبر/تشرين الأول 2024", dt.date(2024, 10, 4)),
        ("في 5 كانون الثاني 2025", dt.date(2025, 1, 5)),  # the Levantine name alone
        ("يوم 14 جويلية 2024", dt.date(2024, 7, 14)),  # the Maghrebi name
        ("في 31 أبريل 2024", None),  # no such day: not invented
    ],
)
def test_it_resolves_dates_against_the_article_date(text, expected):
    assert find_date(text, reference=dt.date(2022, 9, 5)).date == expected


def test_it_never_invents_a_day_for_a_month_alone():
    found = find_date("في أبريل/نيسان الماضي", reference=dt.date(2023, 6, 6))

    assert found.date is None
    assert found.month_only


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("سراج الدين مهر الدين", "سراج الدين مهر الديين", True),
        ("سراج الدين مهر الدين", "سيروجد الدين مخردين", True),
        ("إمام علي رحمن", "إمام علي رحمون", True),
        ("مهر الدين", "سراج الدين مهر الديين", True),
        ("ميخائيل غالوزين", "ميخائيل بوغدانوف", False),
        ("أندريه رودينكو", "أندريه ريابكوف", False),
        ("سيرغي لافروف", "سيرغي شويغو", False),
    ],
)
def test_it_tells_spellings_of_one_person_from_other_people(a, b, same):
    assert same_person(a, b) is same


def test_it_finds_the_family_name_of_compound_names():
    assert surname_key("سراج الدين مهر الدين") == "مهر الدين"
    assert surname_key("كوخير رسول زاده") == "رسول زاده"
    assert surname_key("بدر عبد العاطي") == "عبد العاطي"
    assert surname_key("سيرغي لافروف") == "لافروف"


def test_it_suggests_a_latin_spelling():
    assert transliterate_latin("مارات خوسنولين") == "Marat Khosnolin"


def test_it_reports_a_phone_call_with_a_relative_date_and_no_place():
    extraction = extract(
        paragraphs=[
            "أجرى رئيس الوزراء الهندي ناريندرا مودي اتصالاً هاتفياً مع الرئيس البرازيلي لولا دا سيلفا، "
            "الثلاثاء الماضي، وفق ما أعلن مكتبه اليوم الخميس 17 يوليو/تموز 2025."
        ],
        reference_date=dt.date(2025, 7, 17),
    )

    (meeting,) = extraction.meetings
    assert meeting.kind == "phone"
    assert meeting.date == dt.date(2025, 7, 15)
    assert meeting.place_ar == ""
    assert [extraction.persons[i].name for i in meeting.participants] == ["ناريندرا مودي", "لولا دا سيلفا"]


def test_it_never_takes_a_city_after_between_for_the_place():
    extraction = extract(
        paragraphs=[
            "يعتزم رئيس الوزراء الروسي - ميخائيل ميشوستين، لقاء نظيره الطاجيكستاني - كوخير رسول زاده، "
            "لإجراء محادثات تركز على تعزيز التعاون بين موسكو ودوشنبه، وذلك اليوم الجمعة 25 ابريل/نيسان 2025."
        ]
    )

    (meeting,) = extraction.meetings
    assert (meeting.kind, meeting.date, meeting.place_ar) == ("talks", dt.date(2025, 4, 25), "")


def test_it_reads_the_capital_of_a_country_as_the_place():
    extraction = extract(
        paragraphs=[
            "يلتقي وزير الخارجية الروسي سيرغي لافروف اليوم الإثنين 5 سبتمبر/أيلول 2022، بوزير الخارجية "
            "الطاجيكي سراج الدين مهر الدين، الذي سيقوم بزيارة رسمية إلى العاصمة الروسية."
        ]
    )

    (meeting,) = extraction.meetings
    assert (meeting.kind, meeting.place_en) == ("visit", "Moscow")


def test_it_records_no_meeting_for_an_interview():
    extraction = extract(
        paragraphs=[
            "أكد وزير الخارجية الروسي سيرغي لافروف، أن العلاقات جيدة.",
            'وفي مقابلة مع وكالة الأنباء الطاجيكية "خوفار" قال وزير الخارجية الروسي إن التعاون يتطور بسرعة.',
        ]
    )

    assert [p.name for p in extraction.persons] == ["سيرغي لافروف"]
    assert extraction.meetings == []


def test_it_records_no_meeting_for_one_official_alone():
    extraction = extract(
        paragraphs=[
            "وصل وزير الخارجية الروسي سيرغي لافروف إلى دوشنبه في زيارة رسمية يوم الإثنين 5 سبتمبر 2022.",
            "وسيبحث خلال الزيارة قضايا الهجرة والتعاون الاقتصادي بين البلدين.",
        ]
    )

    assert [p.name for p in extraction.persons] == ["سيرغي لافروف"]
    assert extraction.meetings == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("التقى الرئيس المصري نظيره الفرنسي الخميس في باريس", dt.date(2022, 9, 1)),
        ("ومن المقرر أن يلتقي الوزيران الخميس في باريس", dt.date(2022, 9, 8)),
        ("التقى الوزيران اليوم الإثنين", dt.date(2022, 9, 5)),
    ],
)
def test_it_reads_a_bare_weekday_as_the_nearest_such_day(text, expected):
    assert find_date(text, reference=dt.date(2022, 9, 5)).date == expected


@pytest.mark.parametrize(
    ("text", "name", "family"),
    [
        ("وقال عادل الجبير، وزير الخارجية السعودي، إن المملكة ترفض ذلك.", "عادل الجبير", "foreign_minister"),
        (
            "أكد أحمد أبو الغيط، الأمين العام لجامعة الدول العربية، أن القمة ناجحة.",
            "أحمد أبو الغيط",
            "secretary_general",
        ),
        (
            "وقال الأمين العام للأمم المتحدة أنطونيو غوتيريش إن الوضع خطير.",
            "أنطونيو غوتيريش",
            "secretary_general",
        ),
    ],
)
def test_it_reads_a_name_standing_before_its_role_or_a_post_of_an_organisation(text, name, family):
    person = only(text)

    assert (person.name, person.role.family) == (name, family)


def test_it_trims_a_name_that_runs_into_the_verb_after_it():
    persons = extract_text(
        "وكان الرئيس الأمريكي دونالد ترامب هدد بتوجيه ضربة.\nوقال ترامب في تغريدة إن الرد سيكون قاسيا."
    ).persons

    assert [(p.name, p.count) for p in persons] == [("دونالد ترامب", 2)]


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("وفي ابريل/نيسان الماضي، على هامش الاجتماعات", (2023, 4)),
        ("في أغسطس/آب الماضي", (2022, 8)),
        ("في يوليو المقبل", (2023, 7)),
        ("في يونيو الجاري", (2023, 6)),
    ],
)
def test_it_resolves_a_month_without_a_day_to_that_month_of_the_right_year(text, month):
    found = find_date(text, reference=dt.date(2023, 6, 6))

    assert (found.date, found.month_only, found.month) == (None, True, month)
