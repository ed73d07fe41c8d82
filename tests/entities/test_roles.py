"""Roles are posts: reference words ("نظيره", "الجانب") resolve to the post they stand for or are dropped."""

import pytest

from archive.entities.models import Mention
from archive.entities.reading.extraction import extract_text
from archive.entities.reading.roles import REFERENCE_WORDS, Role, post_with_country
from archive.text.arabic import normalize


def post_of(text: str, name: str) -> str:
    person = next(p for p in extract_text(text).persons if p.name == name)
    return person.role.post_ar


@pytest.mark.parametrize(
    ("text", "name", "post"),
    [
        (
            "يعتزم وزير الخارجية الروسي - سيرغي لافروف، لقاء نظيره وزير خارجية طاجيكستان - "
            "سراج الدين مهر الدين في موسكو.",
            "سراج الدين مهر الدين",
            "وزير خارجية طاجيكستان",
        ),
        (
            "يلتقي رئيس الوزراء الروسي - ميخائيل ميشوستين، نظيره الطاجيكستاني - كوخير رسول زاده، اليوم.",
            "كوخير رسول زاده",
            "رئيس الوزراء الطاجيكستاني",
        ),
        (
            "خلال زيارته إلى طاجيكستان سيجري وزير الخارجية الروسي - سيرغي لافروف محادثات مع نظيره - "
            "سيروجد الدين مخردين.",
            "سيروجد الدين مخردين",
            "وزير خارجية طاجيكستان",
        ),
        (
            "سيناقشان تنفيذ الاتفاقات بين رئيسي روسيا وطاجيكستان، فلاديمير بوتين وإمام علي رحمن.",
            "إمام علي رحمن",
            "رئيس طاجيكستان",
        ),
        (
            "صرح سفير روسيا الاتحادية لدى جمهورية طاجيكستان - سيميون غريغورييف، بأن التعاون مستمر.",
            "سيميون غريغورييف",
            "سفير روسيا الاتحادية لدى جمهورية طاجيكستان",
        ),
    ],
)
def test_it_reads_the_post_a_reference_stands_for(text, name, post):
    assert post_of(text, name) == post
    assert not {normalize(w) for w in post.split()} & REFERENCE_WORDS


def test_it_drops_a_counterpart_nobody_in_the_article_explains():
    assert Role("counterpart", "نظيره", "", "").post_ar == ""


def test_it_puts_the_country_into_a_post_label():
    assert post_with_country("وزير الخارجية", "الصين") == "وزير خارجية الصين"
    assert post_with_country("رئيس الجمهورية", "روسيا") == "رئيس روسيا"
    assert post_with_country("رئيس الوزراء", "") == "رئيس الوزراء"


def test_it_lists_only_posts_among_an_officials_roles(client, ingested_seeds):
    roles = set(Mention.objects.exclude(role_ar="").values_list("role_ar", flat=True))

    assert "نظيره" not in roles and "نظيره وزير خارجية طاجيكستان" not in roles
    assert not [r for r in roles if {normalize(w) for w in r.split()} & REFERENCE_WORDS]
    muhriddin = Mention.objects.filter(surface="سيروجد الدين مخردين").get().official
    page = client.get(f"/ar/officials/{muhriddin.pk}/").content.decode()
    roles_section = page.split('id="roles-title"')[1].split('id="met-title"')[0]
    assert "وزير خارجية طاجيكستان" in roles_section
    assert "نظيره" not in roles_section
