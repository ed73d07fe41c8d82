"""Articles made up deterministically from the seeds' own words, for tests that need a few hundred."""

import datetime
import random

from archive.text.arabic import WORD_PATTERN
from tests.search.conftest import SEEDS

SOURCES = ["العربية", "سكاي نيوز عربية", "فرانس 24"]
# Phrases and names the made-up articles carry now and then, so that phrases and name spellings match
# across segments and not only in the seeds.
INSERTS = ["وزير الخارجية", "سيرغي لافروف", "مهر الدين", "العاصمة الروسية", "مخردين", "في موسكو"]

# The query forms the parser produces, which each parity test runs through its engine's fast path and
# the path it replaces.
WORDS = ["لافروف", "وزير الخارجية", "موسكو", "الروسية الطاقة", "زعفران", "الرئيس رحمون"]
PHRASES = ['"وزير الخارجية"', '"العاصمة الروسية"', '"سيرغي لافروف" موسكو', '"في موسكو"']
OPERATORS = ["لافروف OR دوشنبه", "موسكو -لافروف", 'الخارجية -"وزير الخارجية"', "-لافروف", "title:موسكو"]
PREFIXES = ["مو*", "ال*", "وزي*", "title:ال*"]
NAMES = ["مهر الدين", "مخردين", "Lavrov", "سيرغي لافروف", "لافروف طاجيكستان"]
TYPED_FILTERS = [
    "year:2022 لافروف",
    "date:2022-09 موسكو",
    "year:2021",
    "source:العربية الخارجية",
    "place:موسكو",
]
RELAXED = ["لافروف طاجيكستان زعفران", "مهر الدين موسكو زنجبيلوس", '"وزير الخارجية" زعفران']
MODES = ("stemmed", "normalized", "exact")
SORTS = ("relevance", "newest", "oldest")


def seed_vocabulary() -> list[str]:
    words = []
    for path in sorted(SEEDS.glob("*.txt")):
        words.extend(WORD_PATTERN.findall(path.read_text(encoding="utf-8")))
    return [word for word in words if not word.isdigit()]


def made_up_article(number: int, vocabulary: list[str]) -> dict:
    chance = random.Random(number)

    def sentence(low: int, high: int) -> str:
        words = [chance.choice(vocabulary) for _ in range(chance.randint(low, high))]
        if chance.random() < 0.3:
            words.insert(chance.randrange(len(words)), chance.choice(INSERTS))
        return " ".join(words)

    row = {
        "external_id": f"made-up-{number}",
        "title": sentence(3, 8),
        "body": "\n".join(sentence(12, 45) for _ in range(chance.randint(1, 4))),
        "source": SOURCES[number % len(SOURCES)],
        "language": "ar",
    }
    if number % 23:  # every 23rd has no date: it sorts by the column's default
        # About eight articles a day: the date orders fall back on django_id.
        row["date"] = (datetime.date(2021, 1, 1) + datetime.timedelta(days=(number * 7) % 700)).isoformat()
    return row
