"""Who met whom: pairs of officials weighted by the meetings they shared, in two SQL queries.

Meetings count unless an editor rejected them (proposed ones too: the archive shows extraction results until
then, the rule every meeting page follows). Filters: one official's circle (the meetings they attended), a
year (the meeting's date), a country (meetings with at least one participant from it).
"""

from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import Q, QuerySet

from archive.entities.models import Meeting, Official

NETWORK_DEFAULT_NODES = 30
NETWORK_MAX_NODES = 80


@dataclass
class Network:
    officials: list[Official] = field(default_factory=list)  # busiest first (centre first when given)
    degree: dict[int, int] = field(default_factory=dict)  # shared meetings per official
    pairs: dict[tuple[int, int], int] = field(default_factory=dict)  # (smaller pk, larger pk) -> meetings
    centre: int | None = None


def network_meetings(*, year: int | None = None, country: str = "") -> QuerySet[Meeting]:
    meetings = Meeting.objects.visible()
    if year is not None:
        meetings = meetings.filter(date__year=year)
    if country:
        from_country = Official.objects.listed().filter(Q(country_en=country) | Q(country_ar=country))
        meetings = meetings.filter(participants__in=from_country)
    return meetings


def network_pairs(*, official_id: int | None = None, year: int | None = None, country: str = "") -> Counter:
    """How many meetings each pair of officials shared: one query over the participants table."""
    through = Meeting.participants.through
    meetings = network_meetings(year=year, country=country)
    if official_id is not None:
        meetings = meetings.filter(participants=official_id)
    rows = through.objects.filter(meeting__in=meetings.values("pk")).values_list("meeting_id", "official_id")
    by_meeting: dict[int, set[int]] = {}
    for meeting_id, member_id in rows.iterator(chunk_size=5000):
        by_meeting.setdefault(meeting_id, set()).add(member_id)
    pairs: Counter = Counter()
    for members in by_meeting.values():
        for pair in combinations(sorted(members), 2):
            pairs[pair] += 1
    return pairs


def network_read(
    *,
    official_id: int | None = None,
    year: int | None = None,
    country: str = "",
    limit: int = NETWORK_DEFAULT_NODES,
) -> Network:
    """The ``limit`` listed officials with the most shared meetings and the pairs among them.

    With ``official_id``: that official's circle, them first, those they met after.
    """
    pairs = network_pairs(official_id=official_id, year=year, country=country)
    degree: Counter = Counter()
    for (left, right), weight in pairs.items():
        degree[left] += weight
        degree[right] += weight
    officials = Official.objects.listed().in_bulk(list(degree))
    ranked = [pk for pk, _weight in sorted(degree.items(), key=lambda kv: (-kv[1], kv[0])) if pk in officials]
    centre = official_id if official_id in officials else None
    chosen = ([centre] if centre else []) + [pk for pk in ranked if pk != centre][
        : limit - (1 if centre else 0)
    ]
    keep = set(chosen)
    return Network(
        officials=[officials[pk] for pk in chosen],
        degree={pk: degree[pk] for pk in chosen},
        pairs={pair: w for pair, w in pairs.items() if pair[0] in keep and pair[1] in keep},
        centre=centre,
    )


def network_countries() -> list[tuple[str, str]]:
    """(English, Arabic) names of the countries whose officials took part in a meeting, for the filter."""
    rows = (
        Official.objects.listed()
        .filter(meetings__in=network_meetings())
        .exclude(country_en="")
        .values_list("country_en", "country_ar")
        .distinct()
        .order_by("country_en")
    )
    seen: dict[str, str] = {}
    for english, arabic in rows:
        seen.setdefault(english, arabic or english)
    return list(seen.items())


def network_years() -> list[int]:
    """The years that have dated meetings, newest first."""
    return [day.year for day in network_meetings().dates("date", "year", order="DESC")]
