"""Statements and agenda topics read from text: pure functions (entities/reading/said.py, agenda.py)."""

import datetime as dt

import pytest

from archive.entities.reading.agenda import topics_in
from archive.entities.reading.extraction import extract
from archive.entities.reading.said import read_statements
from archive.entities.reading.sentences import split_sentences
from archive.entities.statements import topic_vocabulary


@pytest.fixture
def table(db):
    """The agenda vocabulary as the migration seeds it."""
    return topic_vocabulary()[0]


def statements_of(*paragraphs: str, reference=dt.date(2025, 2, 13)):
    extraction = extract(paragraphs=list(paragraphs), reference_date=reference)
    found = read_statements(paragraphs=list(paragraphs), persons=extraction.persons, reference=reference)
    names = [p.name for p in extraction.persons]
    return [
        (names[s.speaker] if s.speaker is not None else s.institution, s.text, s.direct, s.verb)
        for s in found
    ]


def test_it_reads_a_direct_quote_after_the_speaker_and_a_colon():
    (statement,) = statements_of(
        "التقى وزير الخارجية الروسي سيرغي لافروف نظيره الطاجيكي سراج الدين مهر الدين في موسكو.",
        'وقال لافروف خلال المؤتمر الصحفي: "نحن راضون عن مستوى الحوار".',
    )

    assert statement == ("سيرغي لافروف", "نحن راضون عن مستوى الحوار", True, "وقال")


def test_it_reads_indirect_speech_up_to_the_end_of_the_sentence():
    (statement,) = statements_of(
        "أكد وزير الخارجية الروسي سيرغي لافروف، أن العلاقات مع طاجيكستان مثال على الشراكة. وتحدث عن غيرها."
    )

    assert statement[:3] == ("سيرغي لافروف", "العلاقات مع طاجيكستان مثال على الشراكة", False)


def test_it_reads_a_quote_standing_before_its_verb():
    found = statements_of(
        "التقى وزير الخارجية الروسي سيرغي لافروف نظيره الكازاخستاني مراد نورتليو في أستانا.",
        '"كازاخستان شريك موثوق لروسيا"، قال نورتليو.',
    )

    assert found == [("مراد نورتليو", "كازاخستان شريك موثوق لروسيا", True, "قال")]


def test_it_names_an_institution_as_the_speaker():
    (statement,) = statements_of(
        'وصرّح المكتب الصحفي للحكومة الروسية في هذا الصدد بأنه "سيتم إيلاء اهتمام خاص للطاقة".'
    )

    assert statement[:3] == ("المكتب الصحفي للحكومة الروسية", "سيتم إيلاء اهتمام خاص للطاقة", True)


def test_it_gives_a_verb_without_a_subject_to_the_previous_speaker():
    found = statements_of(
        "قبل الاجتماع، أعرب وزير الخارجية الطاجيكي سراج الدين مهر الدين عن نيته مناقشة الهجرة.",
        "وأشار إلى أن العديد من هذه القضايا تمت معالجتها.",
    )

    assert [(speaker, text) for speaker, text, *_ in found] == [
        ("سراج الدين مهر الدين", "نيته مناقشة الهجرة"),
        ("سراج الدين مهر الدين", "العديد من هذه القضايا تمت معالجتها"),
    ]


def test_it_splits_two_reports_joined_in_one_sentence():
    found = statements_of(
        "من جهته صرح سفير روسيا لدى طاجيكستان - سيميون غريغورييف، بأن الأجهزة تشارك في التحقيق، "
        "وأكد أن التعاون مستمر."
    )

    assert [text for _speaker, text, *_ in found] == ["الأجهزة تشارك في التحقيق", "التعاون مستمر"]


def test_it_keeps_offsets_that_point_at_the_text_exactly():
    paragraph = 'وقال وزير الخارجية الروسي سيرغي لافروف إن "التعاون يتطور".'
    extraction = extract(paragraphs=[paragraph])
    (found,) = read_statements(paragraphs=[paragraph], persons=extraction.persons)

    assert paragraph[found.start : found.end] == found.text == "التعاون يتطور"


def test_it_reads_no_report_from_a_preposition_of_the_circumstances():
    found = statements_of(
        "وأكد وزير الخارجية الروسي سيرغي لافروف في تغريدات على صفحته، أن الاتفاق يجب أن يشمل الانسحاب."
    )

    assert [text for _speaker, text, *_ in found] == ["الاتفاق يجب أن يشمل الانسحاب"]


def test_it_ends_an_institutions_name_where_the_circumstances_begin():
    found = statements_of("وذكرت السفارة على موقعها أن الزيارة ستتم الشهر المقبل.")

    assert found == [("السفارة", "الزيارة ستتم الشهر المقبل", False, "وذكرت")]


def test_it_finds_a_speaker_named_before_the_verb_after_qad():
    found = statements_of(
        "وكان رئيس الوزراء اللبناني سعد الحريري، الذي يعارض الحكومة السورية، "
        "قد أوضح أن لبنان ضد العودة القسرية."
    )

    assert found == [("سعد الحريري", "لبنان ضد العودة القسرية", False, "أوضح")]


def test_it_proposes_no_statement_without_a_speaker():
    assert statements_of("وأعربت موسكو عن استعدادها للتعاون. وقال مصدر إن الأمر مهم.") == []


def test_it_dates_a_statement_from_its_sentence_or_the_article():
    paragraphs = [
        "وبحسب ما أشار إليه وزير الدفاع الروسي، سيرغي شويغو، في 24 أغسطس/آب الماضي، فإن الوضع خطير.",
        "وقال شويغو إن روسيا مستعدة.",
    ]
    reference = dt.date(2022, 9, 5)
    extraction = extract(paragraphs=paragraphs, reference_date=reference)
    found = read_statements(paragraphs=paragraphs, persons=extraction.persons, reference=reference)

    assert [s.date for s in found] == [dt.date(2022, 8, 24), reference]


def sentence(text: str):
    (only,) = split_sentences([text])
    return only


def test_it_assigns_topics_from_an_agenda_sentence_by_stem(table):
    topics = topics_in(
        sentence=sentence("وسيولى اهتمام خاص للتعاون التجاري والاقتصادي، وسياسة الهجرة، والتدابير الوبائية."),
        table=table,
    )

    assert topics == ["trade_economy", "migration_labour", "health"]


def test_it_reads_no_topic_outside_an_agenda_sentence(table):
    assert topics_in(sentence=sentence("وتحدث التقرير عن التجارة والطاقة في المنطقة."), table=table) == []
    coverage = sentence("وتناولت وسائل الإعلام الحكومية التطورات في قطاعات الزراعة والصناعة.")
    assert topics_in(sentence=coverage, table=table) == []


def test_it_reads_an_organisation_whole_and_a_title_as_no_topic(table):
    topics = topics_in(
        sentence=sentence("وناقش وزير الدفاع التنسيق في منظمة معاهدة الأمن الجماعي ورابطة الدول المستقلة."),
        table=table,
    )

    assert topics == ["regional_organisations"]
