from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.articles.parsing import IngestError, parse_article_bytes, parse_article_text

PUBLISHER = 'مجموعة الرؤية الاستراتيجية "روسيا - العالم الإسلامي"'
PUBLISHER_HAMZA = 'مجموعة الرؤية الإستراتيجية "روسيا - العالم الإسلامي"'

SEEDS = {
    "000": {
        "title": "",
        "date": date(2022, 9, 5),
        "photo": "وزارة الخارجية الروسية",
        "publisher": PUBLISHER,
        "sections": ["الشراكة الاستراتيجية", "مواضيع إقليمية وقضايا أمنية"],
        "lead_start": "يلتقي وزير الخارجية الروسي سيرغي لافروف",
    },
    "001": {
        "title": "وزيرا الخارجية في روسيا وطاجيكستان يبحثان قضايا الهجرة والمهام الأمنية",
        "date": date(2025, 2, 13),
        "photo": "مجلس الإتحاد الروسي",
        "publisher": PUBLISHER_HAMZA,
        "sections": [
            "قضايا الهجرة",
            "مكافحة الإرهاب والتحديات الأمنية",
            "العلاقات الحليفة والآفاق الاقتصادية",
        ],
        "lead_start": "يعتزم وزير الخارجية الروسي - سيرغي لافروف",
    },
    "002": {
        "title": "",
        "date": date(2025, 4, 25),
        "photo": "مجلس الإتحاد الروسي",
        "publisher": PUBLISHER_HAMZA,
        "sections": ["التعاون التجاري والاقتصادي", "العلاقات الإنسانية والثقافية"],
        "lead_start": "يعتزم رئيس الوزراء الروسي - ميخائيل ميشوستين",
    },
    "003": {
        "title": 'لافروف في دوشنبه لتعزيز التنسيق ضمن "الدول المستقلة" و"شنغهاي" و"الأمن الجماعي"',
        "date": date(2023, 6, 6),
        "photo": "وزارة الخارجية الروسية",
        "publisher": 'مجموعة الرؤية الإستراتيجية "روسيا - العالم الإسلامي "',
        "sections": ["تطورات سمرقند", "النزاع الحدودي", "التعاون الإنساني والثقافي"],
        "lead_start": "يفتتح وزير الخارجية الروسي - سيرغي لافروف",
    },
    "004": {
        "title": "لافروف يصف العلاقات بين روسيا وطاجيكستان بأنها مثال للشراكة والتحالف",
        "date": date(2022, 9, 14),
        "photo": "مجلس الاتحاد الروسي",
        "publisher": PUBLISHER,
        "sections": ["تطوير التعاون في مجالات التجارة والاقتصاد", "التعاون الأمني"],
        "lead_start": "أكد وزير الخارجية الروسي سيرغي لافروف",
    },
}


@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_it_parses_each_seed_to_its_title_date_credits_and_sections(prefix, seed_bytes):
    expected = SEEDS[prefix]
    article, _text = parse_article_bytes(seed_bytes(prefix), source=prefix)

    assert article.title == expected["title"]
    assert article.published_on == expected["date"]
    assert article.source == "تاس"
    assert article.photo_credit == expected["photo"]
    assert article.publisher == expected["publisher"]
    assert article.sections == expected["sections"]
    assert article.lead.startswith(expected["lead_start"])
    assert article.blocks[0] == {"kind": "paragraph", "text": article.lead}
    # Header, title, date line and footer are not part of the body; no line of only no-break spaces is.
    for stray in ("Ru En", "المصدر:", "الصورة:", "مجموعة الرؤية"):
        assert stray not in article.body
    assert all(block["text"].strip() for block in article.blocks)
    assert article.body == "\n\n".join(block["text"] for block in article.blocks)


def test_it_takes_the_missing_year_of_an_arabic_indic_date_line_from_the_body():
    text = "Ru En\n\nعنوان الخبر\n\n١٣ فبراير\n\nيلتقي الوزيران اليوم الخميس 13 فبراير/شباط 2025 في موسكو.\n"

    article = parse_article_text(text, source="t.txt")

    assert article.title == "عنوان الخبر"
    assert article.published_on == date(2025, 2, 13)


def test_it_reads_an_arabic_indic_date_line_with_its_year():
    article = parse_article_text("Ru En\nعنوان\n٠٦ يونيو ٢٠٢٣\nنص الخبر.", source="t.txt")

    assert article.published_on == date(2023, 6, 6)
    assert article.lead == "نص الخبر."


def test_it_never_invents_a_date_the_text_does_not_give():
    without_year = parse_article_text("Ru En\nعنوان\n١٣ فبراير\nالتقى الوزيران في موسكو.", source="t.txt")
    without_today = parse_article_text("زار الوزير موسكو في 8 أبريل/نيسان 1992.", source="t.txt")

    assert without_year.published_on is None
    assert without_today.published_on is None


def test_it_treats_lines_of_no_break_spaces_as_blank_and_collapses_inner_ones():
    article = parse_article_text("الفقرة\u00a0الأولى.\n\u00a0\n\u00a0\u00a0\nالفقرة الثانية.", source="t.txt")

    assert [b["text"] for b in article.blocks] == ["الفقرة الأولى.", "الفقرة الثانية."]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"\xef\xbb\xbf \r\n\xc2\xa0\n", "empty file"),
        (b"Ru En\r\n\r\n", "only a header"),
        ("Ru En\n\nعنوان\n\n١٣ فبراير\n\nالمصدر: تاس\n".encode(), "no article text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (bytes(range(1, 32)) * 4, "binary"),
    ],
)
def test_it_rejects_inputs_without_article_text_naming_the_file_and_the_reason(data, reason):
    with pytest.raises(IngestError) as caught:
        parse_article_bytes(data, source="inbox/bad.txt")

    assert str(caught.value).startswith("inbox/bad.txt: ")
    assert reason in caught.value.reason


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_it_either_parses_any_bytes_or_says_why_not(data):
    try:
        article, _text = parse_article_bytes(data, source="fuzz.bin")
    except IngestError as error:
        assert error.reason
    else:
        assert article.body and article.lead


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="Ru En\n\u00a0 ٠١٣فبراير.اليومالخميس13/شباط2025الصورة:المصدر:تاس", max_size=200))
def test_it_never_fails_on_layout_like_text_with_anything_but_a_reason(text):
    try:
        article = parse_article_text(text, source="fuzz.txt")
    except IngestError as error:
        assert error.reason
    else:
        assert article.blocks[0]["kind"] == "paragraph"
        assert "\n\n".join(b["text"] for b in article.blocks) == article.body
