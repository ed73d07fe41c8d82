"""Officials and meetings read from Arabic news text: pure functions, no database.

An official is found where a role phrase is followed by a name, as Arabic news writes it:
`وزير الخارجية الروسي سيرغي لافروف`, `رئيس الوزراء الروسي - ميخائيل ميشوستين`, `المتحدثة الرسمية باسم
وزارة الخارجية الروسية، ماريا زاخاروفا`, `نظيره الطاجيكي ...`, `سفير روسيا الاتحادية لدى جمهورية طاجيكستان -
سيميون غريغورييف`; later mentions by surname alone are counted for the same person. Roles and countries come
from the lexicon, so unseen people, countries and ministries are read the same way.

Meetings come from the sentences that report one (`يلتقي`, `محادثات`, `زيارة رسمية`, `اتصالاً هاتفياً`,
`مقابلة مع وكالة`); the officials named or referred to there are the participants.
"""

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from archive.entities.reading import roles
from archive.entities.reading.dates import FoundDate, find_date, first_full_date
from archive.entities.reading.meetings import MeetingFound, find_meetings
from archive.entities.reading.name_reader import (
    HONORIFICS,
    NAME_SEPARATORS,
    NAME_WORDS,
    name_before,
    read_name,
)
from archive.entities.reading.person_names import same_person, surname_key
from archive.entities.reading.places import country_of_adjective
from archive.entities.reading.said import StatementFound
from archive.entities.reading.sentences import (
    Sentence,
    Word,
    country_at,
    head_at,
    may_name_officials,
    split_sentences,
)
from archive.text.arabic import CLITIC_LETTERS, name_key, normalize, strip_article, strip_clitic


@dataclass
class NameHit:
    """One place in the text that names a person, with the role phrase before it (if any)."""

    name: str
    role: roles.Role | None
    sentence: int
    span: tuple[int, int]  # word indexes in the sentence, end exclusive
    strong: bool = True
    # For "نظيره": the role of whom the person is the counterpart (the first role in the sentence).
    referent: roles.Role | None = None


@dataclass
class Person:
    name: str
    role: roles.Role | None
    spellings: list[str] = field(default_factory=list)
    role_phrases: list[str] = field(default_factory=list)
    count: int = 0
    sentence: str = ""
    first_sentence: int = 10**9
    known: bool = False

    @property
    def key(self) -> str:
        return name_key(self.name)

    def add_spelling(self, spelling: str) -> None:
        if name_key(spelling) not in {name_key(s) for s in self.spellings}:
            self.spellings.append(spelling)


@dataclass
class Extraction:
    persons: list[Person]
    meetings: list[MeetingFound]
    reference_date: dt.date | None
    # The sentences read (title first when there is one), for the passes that read the same words again.
    sentences: list[Sentence] = field(default_factory=list)
    has_title: bool = False
    # The statements read from the same text (`statements.statements_read`); None: not read yet.
    statements: list[StatementFound] | None = None


def _side_country(words: list[Word], i: int, role: roles.Role) -> roles.Role:
    """ "ويرأس الجانب الروسي نائب رئيس الوزراء": the side named just before the role is its country."""
    for k in range(max(0, i - 3), i):
        if strip_article(words[k].norm) == "جانب" and k + 1 < len(words):
            country = country_of_adjective(words[k + 1].norm)
            if country:
                return dataclasses.replace(role, country_en=country)
    return role


def _scan_sentence(sentence: Sentence, index: int) -> tuple[list[NameHit], list[tuple[roles.Role, int]]]:
    """Role phrases in one sentence: those followed by a name, and those standing alone (references)."""
    hits: list[NameHit] = []
    references: list[tuple[roles.Role, int]] = []
    first_role: roles.Role | None = None
    words = sentence.words
    i = 0
    while i < len(words):
        family = head_at(words, i)
        if not family:
            i += 1
            continue
        role, j = roles.read_role(words, i, family)
        if role is None:
            i += 1
            continue
        if not role.country_en and role.family != "counterpart":
            role = _side_country(words, i, role)
        if first_role is None and role.family != "counterpart":
            first_role = role
        if role.family == "counterpart" and j < len(words) and head_at(words, j):
            # "نظيره وزير خارجية طاجيكستان": the role phrase that follows says it all.
            i = j
            continue
        if j < len(words) and words[j].norm in HONORIFICS and not words[j].punct_before:
            j += 1  # "ولي العهد الأمير محمد بن سلمان": a title between the post and the name
        before = None if role.dual or role.family == "counterpart" else name_before(words, i)
        if before is not None and (j >= len(words) or read_name(words, j)[0] == []):
            # "قال عادل الجبير، وزير الخارجية السعودي، إن ...": the name stands before its role.
            hits.append(NameHit(" ".join(w.text for w in words[before:i]), role, index, (before, i)))
            i = j
            continue
        if j < len(words) and not NAME_SEPARATORS.match(words[j].gap):
            references.append((role, i))
            i = j
            continue
        name, end, strong = read_name(words, j)
        if not name:
            references.extend((r, i) for r in role.split_dual())
            i = max(j, i + 1)
            continue
        if role.dual and end < len(words) and words[end].norm[:1] == "و":
            second, end2, strong2 = read_name(words, end, strip_prefix=True)
            first_role, second_role = role.split_dual()
            hits.append(NameHit(" ".join(name), first_role, index, (j, end), strong))
            if second:
                hits.append(NameHit(" ".join(second), second_role, index, (end, end2), strong2))
            i = end2
            continue
        if role.dual:
            i = end
            continue
        referent = first_role if role.family == "counterpart" else None
        hits.append(NameHit(" ".join(name), role, index, (j, end), strong, referent))
        i = end
    return hits, references


def _trim_to_known(hits: list[NameHit], known_keys: set[str], sentences: list[Sentence]) -> None:
    """Cut a name that overran into the words after it back to the name itself.

    A shorter spelling seen elsewhere ("ميخائيل غالوزين بارتياح" -> "ميخائيل غالوزين") wins; otherwise the
    family name is the last word the article repeats on its own ("دونالد ترامب هدد" when "ترامب" recurs).
    """
    prefixes = {name_key(h.name) for h in hits if len(h.name.split()) >= 2} | {
        k for k in known_keys if len(k.split()) >= 2
    }
    counts = Counter(strip_clitic(w.norm, min_rest=1) for s in sentences for w in s.words)
    counts.update(w.norm for s in sentences for w in s.words if w.norm[:1] in CLITIC_LETTERS)
    for hit in hits:
        words = hit.name.split()
        if len(words) < 3:
            continue
        for size in range(len(words) - 1, 1, -1):
            if name_key(" ".join(words[:size])) in prefixes:
                _cut(hit, size)
                break
        else:
            # The family name is the word the article repeats more often than what follows it.
            last_count = counts[normalize(words[-1])]
            for size in range(2, len(words)):
                end, dropped = normalize(words[size - 1]), normalize(words[size])
                if dropped.startswith("ال") or len(end) < 3 or end.startswith("ال") or end in NAME_WORDS:
                    continue
                if counts[end] > max(1, last_count):
                    _cut(hit, size)
                    break


def _cut(hit: NameHit, size: int) -> None:
    hit.name = " ".join(hit.name.split()[:size])
    hit.span = (hit.span[0], hit.span[0] + size)


def _article_countries(sentences: list[Sentence]) -> Counter:
    counts: Counter = Counter()
    for sentence in sentences:
        for i, w in enumerate(sentence.words):
            country = country_at(sentence.words, i)[0] or country_of_adjective(w.norm)
            if country:
                counts[country] += 1
    return counts


def _specific(role: roles.Role, hits: list[NameHit]) -> roles.Role:
    """ "الوزير الروسي" is the foreign minister when the article names a Russian foreign minister."""
    if role.family not in ("minister", "deputy"):
        return role
    for hit in hits:
        other = hit.role
        if not other or other.country_en != role.country_en or other.family == role.family:
            continue
        if roles.same_post(role.family, other.family):
            return other
    return role


def _resolve_counterparts(hits: list[NameHit], sentences: list[Sentence]) -> None:
    """`نظيره`: the counterpart holds the same post as the person before it, in the other country."""
    countries: Counter | None = None
    last_role: roles.Role | None = None
    for hit in hits:
        role = hit.role
        if role is not None and role.family == "counterpart":
            if hit.referent is not None:
                last_role = _specific(hit.referent, hits)
            if last_role is None:
                hit.role = None
                continue
            country = role.country_en
            if not country:
                countries = countries if countries is not None else _article_countries(sentences)
                others = [c for c, _ in countries.most_common() if c != last_role.country_en]
                country = others[0] if others else ""
            hit.role = last_role.as_counterpart(phrase=role.phrase, country_en=country)
        elif role is not None:
            last_role = role


def _compatible(person: Person, role: roles.Role | None) -> bool:
    if role is None or person.role is None:
        return True
    if role.country_en and person.role.country_en and role.country_en != person.role.country_en:
        return False
    return roles.same_post(role.family, person.role.family)


def _find_person(persons: list[Person], name: str, role: roles.Role | None) -> Person | None:
    for person in persons:
        if _compatible(person, role) and any(same_person(s, name) for s in person.spellings):
            return person
    return None


def _occurrences(sentence: Sentence, key: str) -> list[tuple[int, int]]:
    """Where a name key occurs as whole words (a one-letter prefix like و/ب allowed on the first)."""
    target = key.split()
    size = len(target)
    found = []
    words = sentence.words
    for i in range(len(words) - size + 1):
        first = words[i].norm
        if first != target[0] and strip_clitic(first, min_rest=1) != target[0]:
            continue
        rest = range(1, size)
        if all(words[i + n].norm == target[n] and not words[i + n].punct_before for n in rest):
            found.append((i, i + size))
    return found


def extract(
    *,
    title: str = "",
    paragraphs: list[str],
    reference_date: dt.date | None = None,
    known_names: dict[str, str] | None = None,
) -> Extraction:
    """Read the officials and meetings of one article.

    `paragraphs` are the body's paragraphs in order (section headings may be among them); `known_names`
    maps normalised spellings already curated (e.g. "لافروف") to a display name, so that a person the text
    names only by surname is still recognised.
    """
    known_names = known_names or {}
    sentences = split_sentences(([title] if title else []) + paragraphs)
    reference = reference_date or first_full_date("\n".join(paragraphs))

    hits: list[NameHit] = []
    references: dict[int, list[tuple[roles.Role, int]]] = {}
    for index, sentence in enumerate(sentences):
        found, refs = _scan_sentence(sentence, index)
        hits.extend(found)
        references[index] = refs
    _trim_to_known(hits, set(known_names), sentences)
    _resolve_counterparts(hits, sentences)

    persons: list[Person] = []
    # Full names first, so that a surname alone attaches to the person it abbreviates.
    for hit in sorted(hits, key=lambda h: (len(h.name.split()) < 2, h.sentence)):
        person = _find_person(persons, hit.name, hit.role)
        if person is None:
            if len(hit.name.split()) < 2 and name_key(hit.name) not in known_names:
                continue  # a lone word after a role is a name only if the article or the registry says so
            person = Person(name=hit.name, role=hit.role)
            persons.append(person)
        person.add_spelling(hit.name)
        if person.role is None and hit.role is not None:
            person.role = hit.role
        elif person.role is not None and hit.role is not None:
            person.role = person.role.fill_from(hit.role)
        if hit.role is not None and hit.role.phrase not in person.role_phrases:
            person.role_phrases.append(hit.role.phrase)
    # Curated spellings the text uses without a role phrase (e.g. a title "لافروف في دوشنبه").
    norms = {w.norm for s in sentences for w in s.words}
    for key in known_names:
        first = key.split()[0]
        if first not in norms and not any(p + first in norms for p in CLITIC_LETTERS):
            continue  # not in this article at all: no need to look for it sentence by sentence
        if _find_person(persons, key, None) is None and any(_occurrences(s, key) for s in sentences):
            persons.append(Person(name=key, role=None, spellings=[key], known=True))

    # sentence index -> (person index, word index) for every name, surname and role reference
    mentions: dict[int, list[tuple[int, int]]] = {}
    for p_index, person in enumerate(persons):
        keys = {name_key(s) for s in person.spellings} | {surname_key(s) for s in person.spellings}
        keys = {k for k in keys if len(k.replace(" ", "")) >= 4}
        for s_index, sentence in enumerate(sentences):
            taken: set[int] = set()
            for key in sorted(keys, key=len, reverse=True):
                for start, end in _occurrences(sentence, key):
                    if taken.intersection(range(start, end)):
                        continue
                    taken.update(range(start, end))
                    person.count += 1
                    mentions.setdefault(s_index, []).append((p_index, start))
                    if s_index < person.first_sentence:
                        person.first_sentence = s_index
                        person.sentence = sentence.text
    seen = [i for i, p in enumerate(persons) if p.count]
    # Role phrases without a name ("الوزير الروسي") point at the person who holds that post here.
    for s_index, refs in references.items():
        for role, position in refs:
            holders = [i for i in seen if persons[i].role and roles.refers_to(role, persons[i].role)]
            if len(holders) == 1:
                mentions.setdefault(s_index, []).append((holders[0], position))
    ministers = [i for i in seen if persons[i].role and persons[i].role.family.endswith("minister")]
    ministers = [i for i in ministers if not persons[i].role.family.startswith(("deputy", "prime"))]
    if len(ministers) == 2:
        # "الوزيرين": the two ministers of the article.
        for s_index, sentence in enumerate(sentences):
            for position, word in enumerate(sentence.words):
                if word.norm in roles.PLURAL_MINISTERS:
                    mentions.setdefault(s_index, []).extend((i, position) for i in ministers)

    renumber = {old: new for new, old in enumerate(seen)}
    people = {
        s: [(renumber[p], w) for p, w in found if p in renumber] for s, found in sorted(mentions.items())
    }
    for found in people.values():
        found.sort(key=lambda pair: pair[1])
    meetings = find_meetings(sentences=sentences, people=people, reference=reference, has_title=bool(title))
    persons_seen = [persons[i] for i in seen]
    return Extraction(
        persons=persons_seen,
        meetings=meetings,
        reference_date=reference,
        sentences=sentences,
        has_title=bool(title),
    )


def extract_text(text: str, *, reference_date: dt.date | None = None) -> Extraction:
    """Convenience for plain text: one paragraph per non-blank line."""
    paragraphs = [line.strip() for line in text.replace("\u00a0", " ").splitlines() if line.strip()]
    return extract(paragraphs=paragraphs, reference_date=reference_date)


__all__ = [
    "Extraction",
    "FoundDate",
    "MeetingFound",
    "Person",
    "extract",
    "extract_text",
    "find_date",
    "may_name_officials",
]
