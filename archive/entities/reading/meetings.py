"""Meetings an article reports: kind, date, place and participants, each with the sentence it came from."""

import datetime as dt
from dataclasses import dataclass, field

from archive.entities.reading.dates import FoundDate, find_date
from archive.entities.reading.places import CAPITALS, country_of_adjective
from archive.entities.reading.sentences import Sentence, Word, city_at
from archive.text.arabic import normalize, strip_article, strip_clitic

# Kinds, strongest first: a phone call reported with "محادثات" is still a phone call.
PHONE, INTERVIEW, MULTILATERAL, VISIT, TALKS = "phone", "interview", "multilateral", "visit", "talks"
_PRIORITY = [PHONE, INTERVIEW, MULTILATERAL, VISIT, TALKS]


def _n(words: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in words.split())


_PHONE = _n("هاتفي هاتفيا هاتفية هاتفياً الهاتف هاتفيين")
_INTERVIEW = _n("مقابلة حوار لقاء حديث")
_OUTLETS = _n("وكالة صحيفة قناة مجلة تلفزيون إذاعة موقع")
_INTERVIEW_KIND = _n("صحفي صحفية خاص تلفزيوني تلفزيونية إذاعي إذاعية متلفز")
_VISIT = _n("زيارة يزور زار سيزور يزوران زيارته")
_TALKS = _n(
    "لقاء لقاءً يلتقي تلتقي سيلتقي التقى التقت التقيا يلتقيان لقائه محادثات مباحثات مفاوضات اجتماع "
    "اجتماعا اجتمع يجتمع اجتماعات استقبل يستقبل استقبال مشاورات قمة"
)
_GATHERING = _n("قمة منتدى مؤتمر")
_MULTI_CUES = _n("لرؤساء لوزراء متعددة الأطراف الوزارية")
_PRESS = _n("صحفي الصحفي صحفية")
_PLACE_CUES = _n("في إلى الى وصل زار يزور يصل العاصمة عاصمة البلاد مدينة بمدينة")
_CAPITAL = _n("العاصمة عاصمة")
_MIN_PARAGRAPH_WORDS = 8
_LEAD_PARAGRAPHS = 4
_DATE_CLAUSE_WORDS = 6


@dataclass
class MeetingFound:
    kind: str
    date: dt.date | None
    participants: list[int]  # indexes into the extraction's persons
    sentence: str
    date_text: str = ""
    date_sentence: str = ""
    place_ar: str = ""
    place_en: str = ""
    place_sentence: str = ""
    participant_sentences: dict[int, str] = field(default_factory=dict)


def _forms(norm: str) -> set[str]:
    return {norm, strip_article(norm), strip_clitic(norm)}


def _clauses(words: list[Word]) -> list[list[Word]]:
    clauses: list[list[Word]] = [[]]
    for w in words:
        if clauses[-1] and any(c in w.gap for c in "،,;:"):
            clauses.append([])
        clauses[-1].append(w)
    return clauses


def _kinds_in(words: list[Word]) -> list[str]:
    found = set()
    for k, w in enumerate(words):
        forms = _forms(w.norm)
        following = [x.norm for x in words[k + 1 : k + 5]]
        if forms & _PHONE:
            found.add(PHONE)
        if forms & _INTERVIEW and _interview(words[k + 1 : k + 5]):
            found.add(INTERVIEW)
        if forms & _VISIT:
            found.add(VISIT)
        if forms & _GATHERING and not (following and following[0] in _PRESS):
            found.update((MULTILATERAL, TALKS))
        if forms & _TALKS:
            found.add(TALKS)
            if any(x.norm in _MULTI_CUES for x in words):
                found.add(MULTILATERAL)
    return [k for k in _PRIORITY if k in found]


def _interview(following: list[Word]) -> bool:
    """ "مقابلة مع وكالة ..."، "لقاء خاص مع "سكاي نيوز""، "حوار تلفزيوني": words after the trigger."""
    if following and following[0].norm in _INTERVIEW_KIND:
        return True
    for n, w in enumerate(following[:-1]):
        if w.norm == "مع":
            nxt = following[n + 1]
            return bool(_forms(nxt.norm) & _OUTLETS) or any(q in nxt.gap for q in '"«“')
    return False


def _trigger_clauses(sentence: Sentence) -> list[list[Word]]:
    return [c for c in _clauses(sentence.words) if _kinds_in(c)]


def _place(sentence: Sentence, *, whole: bool = False) -> tuple[str, str]:
    """The city a meeting clause (or the `whole` sentence) names after في/إلى/وصل.

    Never a city after بين ("بين موسكو ودوشنبه"), never a guess.
    """
    for clause in [sentence.words] if whole else _trigger_clauses(sentence):
        for k, w in enumerate(clause):
            city, _size = city_at(clause, k)
            previous = clause[k - 1].norm if k else ""
            if city and (previous in _PLACE_CUES or (w.norm[:1] == "ب" and w.norm != normalize(city[0]))):
                return city
            if w.norm in _CAPITAL and k + 1 < len(clause):
                country = country_of_adjective(clause[k + 1].norm)
                if country in CAPITALS:
                    return CAPITALS[country]
    return "", ""


def _secondary_date(sentence: Sentence, reference: dt.date | None) -> FoundDate | None:
    """A date in the clause that reports the meeting, or in a bare date clause right after it."""
    clauses = _clauses(sentence.words)
    for n, clause in enumerate(clauses):
        if not _kinds_in(clause):
            continue
        candidates = [clause]
        if n + 1 < len(clauses) and len(clauses[n + 1]) <= _DATE_CLAUSE_WORDS:
            candidates.append(clauses[n + 1])
        for candidate in candidates:
            found = find_date(" ".join(w.text for w in candidate), reference=reference)
            if found and (found.date or found.month_only):
                return found
    return None


def _dated(found: FoundDate | None) -> bool:
    return bool(found and found.date)


def _primary_date(sentences: list[Sentence], trigger: int, order: list[int], reference) -> tuple:
    """The clause that reports the meeting first ("..., الثلاثاء الماضي"), then its sentence, then the
    paragraph: a later date in the sentence may be the publication's ("وفق ما أعلن اليوم الخميس")."""
    clause_date = _secondary_date(sentences[trigger], reference)
    if _dated(clause_date):
        return clause_date, trigger
    for i in order:
        found = find_date(sentences[i].text, reference=reference)
        if _dated(found):
            return found, i
    return None, None


def find_meetings(
    *,
    sentences: list[Sentence],
    people: dict[int, list[tuple[int, int]]],
    reference: dt.date | None,
    has_title: bool,
) -> list[MeetingFound]:
    """Meetings in the article. `people` maps a sentence index to (person index, word index) pairs."""

    def present(index: int) -> list[int]:
        """Who a sentence names, except in clauses that only explain (", حيث ينقل رسالة من الرئيس ...")."""
        words = sentences[index].words
        found = [p for p, w in people.get(index, []) if not _subordinate(words, w)]
        return list(dict.fromkeys(found))

    if not people:
        return []  # a meeting needs someone in it: no need to read the sentences for one
    meetings: list[MeetingFound] = []
    by_paragraph: dict[int, list[int]] = {}
    for index, sentence in enumerate(sentences):
        by_paragraph.setdefault(sentence.paragraph, []).append(index)

    primary_paragraph = None
    eligible = [
        p
        for p, idx in by_paragraph.items()
        if not (has_title and p == 0) and sum(len(sentences[i].words) for i in idx) >= _MIN_PARAGRAPH_WORDS
    ]
    for paragraph in eligible[:_LEAD_PARAGRAPHS]:
        indexes = by_paragraph[paragraph]
        trigger = next((i for i in indexes if present(i) and _kinds_in(sentences[i].words)), None)
        if trigger is None:
            continue
        kinds = [k for i in indexes for k in _kinds_in(sentences[i].words)]
        kind = next(k for k in _PRIORITY if k in kinds)
        order = [trigger] + [i for i in indexes if i != trigger]
        if kind == INTERVIEW:
            continue  # an official answering a journalist: no meeting between officials
        if kind != MULTILATERAL and len({p for i in indexes for p in present(i)}) < 2:
            continue  # one official alone (a visit, a statement): nobody named on the other side
        meeting = MeetingFound(kind=kind, date=None, participants=[], sentence=sentences[trigger].text)
        scope = [trigger] if kind == INTERVIEW or len(present(trigger)) >= 2 else order
        for i in scope:
            for person in present(i):
                if person not in meeting.participants:
                    meeting.participants.append(person)
                    meeting.participant_sentences[person] = sentences[i].text
        found, i = _primary_date(sentences, trigger, order, reference)
        if found is not None:
            meeting.date, meeting.date_text, meeting.date_sentence = found.date, found.text, sentences[i].text
        for i in order:
            place_ar, place_en = _place(sentences[i], whole=True)
            if place_ar:
                meeting.place_ar, meeting.place_en = place_ar, place_en
                meeting.place_sentence = sentences[i].text
                break
        meetings.append(meeting)
        primary_paragraph = paragraph
        break

    for index, sentence in enumerate(sentences):
        who = present(index)
        if sentence.paragraph == primary_paragraph or not who:
            continue
        kinds = _kinds_in(sentence.words)
        if not kinds or kinds[0] == INTERVIEW or (len(who) < 2 and kinds[0] != MULTILATERAL):
            continue  # no meeting, an interview, or one official alone (a summit names only some)
        found = _secondary_date(sentence, reference)
        if found is None:
            continue
        if any(m.date == found.date and set(m.participants) & set(who) for m in meetings if m.date):
            continue
        place_ar, place_en = _place(sentence)
        meetings.append(
            MeetingFound(
                kind=kinds[0],
                date=found.date,
                participants=who,
                sentence=sentence.text,
                date_text=found.text,
                date_sentence=sentence.text,
                place_ar=place_ar,
                place_en=place_en,
                place_sentence=sentence.text if place_ar else "",
                participant_sentences=dict.fromkeys(who, sentence.text),
            )
        )
    return meetings


_SUBORDINATE = frozenset(normalize(w) for w in ["حيث", "الذي", "التي", "وفق", "وفقا", "نقلا"])


def _subordinate(words: list[Word], index: int) -> bool:
    """Whether word `index` sits in a clause that opens with حيث/الذي/التي/وفق (an explanation)."""
    start = index
    while start > 0 and not any(c in words[start].gap for c in "،,;:"):
        start -= 1
    return words[start].norm in _SUBORDINATE
