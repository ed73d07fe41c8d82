"""Articles imported as JSON Lines (the bulk format) go through the same extraction."""

import datetime as dt
import json

from archive.entities.models import Meeting, Official, ReviewStatus
from archive.ingest.services import articles_ingest

ARTICLE = {
    "external_id": "test-turkey-iran-1",
    "title": "وزير الخارجية التركي يزور طهران",
    "body": (
        "وصل وزير الخارجية التركي هاكان فيدان إلى طهران أمس، في زيارة رسمية التقى خلالها الرئيس الإيراني "
        "مسعود بزشكيان، وبحثا العلاقات الثنائية والأوضاع في المنطقة.\n\n"
        "وقال فيدان إن بلاده تسعى إلى رفع حجم التبادل التجاري مع إيران.\n\n"
        "من جهته، أكد بزشكيان أهمية التعاون بين البلدين الجارين."
    ),
    "date": "2024-12-02",
    "source": "وكالة",
    "language": "ar",
}


def test_it_reads_officials_and_meetings_from_a_json_lines_article(db, tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps(ARTICLE, ensure_ascii=False) + "\n", encoding="utf-8")

    summary = articles_ingest(paths=[path])

    assert summary.created == 1
    fidan = Official.objects.get(name_ar="هاكان فيدان")
    assert (fidan.role_key, fidan.country_en, fidan.status) == (
        "foreign_minister",
        "Turkey",
        ReviewStatus.PROPOSED,
    )
    assert fidan.mentions.get().count == 2
    meeting = Meeting.objects.get()
    assert (meeting.kind, meeting.date, meeting.place_en) == ("visit", dt.date(2024, 12, 1), "Tehran")
    assert set(meeting.participants.values_list("name_ar", flat=True)) == {"هاكان فيدان", "مسعود بزشكيان"}
