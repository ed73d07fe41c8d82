"""A small archive for page and browser tests: three articles, three officials, two meetings, indexed."""

import datetime
import hashlib
from dataclasses import dataclass

from archive.articles.models import Article
from archive.entities.models import Meeting, Mention, Official, OfficialAlias, ReviewStatus
from archive.search.indexing import search_index_update


@dataclass
class SampleArchive:
    visit: Article
    migration: Article
    hidden: Article
    lavrov: Official
    muhriddin: Official
    rahmon: Official
    moscow_talks: Meeting
    dushanbe_visit: Meeting


def make_article(*, title: str, blocks: list[tuple[str, str]], day: datetime.date | None, **extra) -> Article:
    body = "\n\n".join(text for _, text in blocks)
    return Article.objects.create(
        title=title,
        blocks=[{"kind": kind, "text": text} for kind, text in blocks],
        published_on=day,
        source=extra.pop("source", "تاس"),
        origin=extra.pop("origin", f"test-{hashlib.sha1(title.encode()).hexdigest()[:12]}"),
        content_hash=hashlib.sha256(f"{title}\n\n{body}".encode()).hexdigest(),
        original_text=f"{title}\n\n{body}",
        **extra,
    )


def build_sample_archive() -> SampleArchive:
    visit = make_article(
        title="لافروف يلتقي نظيره الطاجيكي مهر الدين في موسكو",
        blocks=[
            ("paragraph", "يلتقي وزير الخارجية الروسي سيرغي لافروف في موسكو اليوم بوزير الخارجية الطاجيكي."),
            ("heading", "سياسة الهجرة"),
            ("paragraph", "وسيولى اهتمام خاص لسياسة الهجرة والتعاون الاقتصادي."),
        ],
        day=datetime.date(2022, 9, 5),
        photo_credit="© Sputnik",
    )
    migration = make_article(
        title="",
        blocks=[
            ("paragraph", "ناقش الرئيس إمام علي رحمون ملف الهجرة مع الوزير لافروف في دوشنبه."),
            ("paragraph", "وأكد الجانبان أهمية التنسيق <script>alert(1)</script> في إطار شنغهاي."),
        ],
        day=datetime.date(2023, 6, 6),
    )
    hidden = make_article(
        title="مقال مخفي عن لافروف",
        blocks=[("paragraph", "نص مخفي لا يظهر للمحللين.")],
        day=datetime.date(2024, 1, 1),
        is_visible=False,
    )
    lavrov = Official.objects.create(
        name_ar="سيرغي لافروف", name_en="Sergey Lavrov", role_ar="وزير الخارجية الروسي", status="approved"
    )
    muhriddin = Official.objects.create(name_ar="سراج الدين مهر الدين", role_ar="وزير الخارجية الطاجيكي")
    rahmon = Official.objects.create(
        name_ar="إمام علي رحمون", name_en="Emomali Rahmon", role_ar="رئيس طاجيكستان"
    )
    OfficialAlias.objects.create(official=lavrov, name="لافروف", key="لافروف", status=ReviewStatus.APPROVED)
    OfficialAlias.objects.create(
        official=lavrov, name="Lavrov", key="lavrov", script="latin", status="approved"
    )
    OfficialAlias.objects.create(official=muhriddin, name="مخردين", key="مخردين")
    for article, official, role, count in (
        (visit, lavrov, "وزير الخارجية الروسي", 2),
        (visit, muhriddin, "وزير الخارجية الطاجيكي", 1),
        (migration, lavrov, "وزير الخارجية الروسي", 1),
        (migration, rahmon, "رئيس طاجيكستان", 1),
        (hidden, lavrov, "وزير الخارجية", 1),
    ):
        Mention.objects.create(
            article=article, official=official, surface=official.name_ar, role_ar=role, count=count
        )
    moscow_talks = Meeting.objects.create(
        date=datetime.date(2022, 9, 5), place_ar="موسكو", place_en="Moscow", kind=Meeting.Kind.TALKS
    )
    moscow_talks.participants.set([lavrov, muhriddin])
    moscow_talks.articles.set([visit])
    dushanbe_visit = Meeting.objects.create(
        date=datetime.date(2023, 6, 6), place_ar="دوشنبه", kind=Meeting.Kind.OFFICIAL_VISIT, status="approved"
    )
    dushanbe_visit.participants.set([lavrov, rahmon])
    dushanbe_visit.articles.set([migration])
    search_index_update(article_ids=[visit.pk, migration.pk, hidden.pk])
    return SampleArchive(visit, migration, hidden, lavrov, muhriddin, rahmon, moscow_talks, dushanbe_visit)
