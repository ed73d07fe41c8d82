"""Role phrases: `وزير الخارجية الروسي`, `سفير روسيا الاتحادية لدى جمهورية طاجيكستان`,
`رئيسي روسيا وطاجيكستان`.

A role has a family (the post, comparable across spellings and languages), the phrase as written, an Arabic
label without the country, an English label and the country whose official holds it.
"""

from dataclasses import dataclass, replace
from itertools import pairwise

from archive.entities.reading.lexicon import HEADS, MINISTRIES, NAME_BREAKERS, ROLE_GLUE
from archive.entities.reading.places import country_ar, country_of_adjective
from archive.entities.reading.sentences import Word, city_at, country_at, head_at
from archive.text.arabic import normalize

MAX_ROLE_WORDS = 9
_PRIME = frozenset(normalize(w) for w in ["الوزراء", "وزراء", "الحكومة", "حكومة"])
_FOREIGN = frozenset(normalize(w) for w in ["الخارجية", "خارجية"])
_PRESIDENCY = frozenset(normalize(w) for w in ["الكرملين", "الرئاسة", "الرئيس"])
_GLUE_ONLY = ROLE_GLUE | {normalize("الرسمي"), normalize("الرسمية")}
_OF_BODIES = frozenset(["secretary_general", "head", "spokesperson"])
PLURAL_MINISTERS = frozenset(normalize(w) for w in ["الوزيرين", "الوزيران", "للوزيرين"])
# Words that point at a post named elsewhere ("his counterpart", "the side"): never a post themselves.
REFERENCE_WORDS = frozenset(
    normalize(w)
    for w in ["نظيره", "نظيرته", "نظيرها", "نظيريه", "نظيرتها", "نظراؤه", "نظرائه", "الجانب", "جانب"]
)
# A dual head made single: "رئيسي روسيا وطاجيكستان" names two posts, each "رئيس ...".
_SINGULAR = {
    normalize(w): one
    for w, one in [("رئيسي", "رئيس"), ("رئيسا", "رئيس"), ("وزيري", "وزير"), ("وزيرا", "وزير")]
}
_REPUBLIC = normalize("الجمهورية")

_EN = {
    "foreign_minister": "Foreign Minister",
    "prime_minister": "Prime Minister",
    "deputy_prime_minister": "Deputy Prime Minister",
    "deputy_foreign_minister": "Deputy Foreign Minister",
    "president": "President",
    "ambassador": "Ambassador",
    "spokesperson": "Spokesperson",
    "spokesperson:foreign": "Foreign Ministry Spokesperson",
    "spokesperson:presidency": "Presidential Spokesperson",
    "king": "King",
    "emir": "Emir",
    "crown_prince": "Crown Prince",
    "chancellor": "Chancellor",
    "secretary_general": "Secretary-General",
    "minister": "Minister",
    "deputy": "Deputy",
    "vice_president": "Vice President",
}
# Posts whose wording varies ("وزير خارجية", "وزير الخارجية"): one Arabic label for all of them.
_CANONICAL = frozenset(
    ["foreign_minister", "prime_minister", "deputy_prime_minister", "deputy_foreign_minister", "president"]
)
_AR = {
    "foreign_minister": "وزير الخارجية",
    "prime_minister": "رئيس الوزراء",
    "deputy_prime_minister": "نائب رئيس الوزراء",
    "deputy_foreign_minister": "نائب وزير الخارجية",
    "president": "رئيس الجمهورية",
    "ambassador": "سفير",
    "spokesperson:foreign": "المتحدث الرسمي باسم وزارة الخارجية",
    "minister": "وزير",
}


@dataclass(frozen=True)
class Role:
    family: str
    phrase: str
    label_ar: str
    label_en: str
    country_en: str = ""
    # For "رئيسي روسيا وطاجيكستان": the second holder's country.
    second_country_en: str = ""

    @property
    def dual(self) -> bool:
        return bool(self.second_country_en)

    @property
    def country_ar(self) -> str:
        return country_ar(self.country_en)

    @property
    def post_ar(self) -> str:
        """The post as an official's roles list it: reference words resolved to the post or dropped.

        "نظيره وزير خارجية طاجيكستان" -> "وزير خارجية طاجيكستان"; "نظيره الصيني" (resolved to a foreign
        minister) -> "وزير الخارجية الصيني"; "نظيره" -> "وزير خارجية طاجيكستان"; an unresolved "نظيره" -> "";
        "رئيسي روسيا وطاجيكستان" -> "رئيس روسيا" for one holder and "رئيس طاجيكستان" for the other.
        """
        if self.family == "counterpart":
            return ""
        words = [w for w in self.phrase.split() if normalize(w) not in REFERENCE_WORDS]
        if not words:
            return post_with_country(self.label_ar, self.country_ar)
        first = normalize(words[0])
        if first in _SINGULAR:
            return post_with_country(self.label_ar, self.country_ar)
        if first not in _HEAD_FORMS and first[1:] not in _HEAD_FORMS:
            # Only qualifiers are left ("الصيني"): they follow the post the reference stands for.
            return " ".join([self.label_ar, *words]) if self.label_ar else ""
        return " ".join(words)

    def split_dual(self) -> list["Role"]:
        if not self.dual:
            return [self]
        return [
            replace(self, second_country_en=""),
            replace(self, country_en=self.second_country_en, second_country_en=""),
        ]

    def as_counterpart(self, *, phrase: str, country_en: str) -> "Role":
        return replace(self, phrase=phrase, country_en=country_en, second_country_en="")

    def fill_from(self, other: "Role") -> "Role":
        """Keep this role, taking the country from another mention when this one did not say."""
        if not self.country_en and other.country_en and same_post(self.family, other.family):
            return replace(self, country_en=other.country_en)
        if self.family in ("minister", "deputy") and other.family not in ("minister", "deputy"):
            return replace(other, country_en=self.country_en or other.country_en)
        return self


def post_with_country(label_ar: str, country_ar: str) -> str:
    """A post label with a country.

    "وزير الخارجية" -> "وزير خارجية طاجيكستان", "رئيس الجمهورية" -> "رئيس روسيا".
    """
    words = label_ar.split()
    if not words:
        return ""
    words[0] = _SINGULAR.get(normalize(words[0]), words[0])
    if not country_ar:
        return " ".join(words)
    if len(words) > 1 and normalize(words[-1]) == _REPUBLIC:
        words = words[:-1]
    elif len(words) > 1 and words[-1].startswith("ال"):
        words[-1] = words[-1][2:]
    return " ".join([*words, country_ar])


def same_post(a: str, b: str) -> bool:
    """Whether two role families may be the same post (a bare "الوزير" fits any minister)."""
    if a == b:
        return True
    generic = {"minister": "minister", "deputy": "deputy"}
    for family, prefix in generic.items():
        if a == family and (b.startswith(prefix) or b.endswith("minister")):
            return True
        if b == family and (a.startswith(prefix) or a.endswith("minister")):
            return True
    return False


def refers_to(reference: Role, holder: Role) -> bool:
    """Whether a role phrase without a name ("الوزير الروسي") denotes this holder."""
    if reference.family == "counterpart":
        return False
    if not reference.country_en or reference.country_en != holder.country_en:
        return False
    return same_post(reference.family, holder.family)


def _family(head: str, mods: list[str]) -> tuple[str, str]:
    """(family, English label) from the head's family and the words that follow it."""
    if head == "minister":
        if _FOREIGN & set(mods):
            return "foreign_minister", _EN["foreign_minister"]
        ministry = next((m for m in mods if m in MINISTRIES), "")
        if ministry:
            return f"minister:{ministry}", f"Minister of {MINISTRIES[ministry]}"
        # A ministry the lexicon does not know ("وزير الإسكان"): still a post of its own.
        other = next((m for m in mods if m.startswith("ال") and m not in _GLUE_ONLY), "")
        if other:
            return f"minister:{other}", _EN["minister"]
        return "minister", _EN["minister"]
    if head == "head":
        if _PRIME & set(mods):
            return "prime_minister", _EN["prime_minister"]
        others = [m for m in mods if m not in _GLUE_ONLY and not country_of_adjective(m)]
        if not others or others == [normalize("جمهورية")]:
            return "president", _EN["president"]
        return "head:" + " ".join(others), "Head"
    if head == "deputy":
        if normalize("رئيس") in mods and _PRIME & set(mods):
            return "deputy_prime_minister", _EN["deputy_prime_minister"]
        if normalize("وزير") in mods:
            inner, label = _family("minister", mods)
            family = "deputy_foreign_minister" if inner == "foreign_minister" else f"deputy_{inner}"
            return family, f"Deputy {label}"
        if {normalize("الرئيس"), normalize("رئيس")} & set(mods):
            return "vice_president", _EN["vice_president"]
        return "deputy", _EN["deputy"]
    if head == "spokesperson":
        if _FOREIGN & set(mods):
            return "spokesperson:foreign", _EN["spokesperson:foreign"]
        if _PRESIDENCY & set(mods):
            return "spokesperson:presidency", _EN["spokesperson:presidency"]
        return "spokesperson", _EN["spokesperson"]
    return head, _EN.get(head, head.replace("_", " ").title())


def read_role(words: list[Word], i: int, head_family: str) -> tuple[Role | None, int]:
    """The role phrase whose head is word `i`: (role, index of the first word after it)."""
    dual = head_family.endswith("_dual")
    head = head_family.removesuffix("_dual")
    mods: list[str] = []
    countries: list[str] = []
    country_words: set[int] = set()
    j = i + 1
    while j < len(words) and j - i <= MAX_ROLE_WORDS and not words[j].punct_before:
        norm = words[j].norm
        if norm not in ROLE_GLUE and head != "deputy" and head_at(words, j):
            break  # "التقى وزير الخارجية الرئيس ...": another role phrase starts here
        country, size = country_at(words, j)
        if country:
            countries.append(country)
            country_words.update(range(j, j + size))
            j += size
            continue
        adjective = country_of_adjective(norm)
        if adjective:
            countries.append(adjective)
            country_words.add(j)
            j += 1
            continue
        if norm in _GLUE_ONLY or (
            norm.startswith(("ال", "وال")) and norm not in NAME_BREAKERS and len(norm) > 3
        ):
            mods.append(norm)
            j += 1
            continue
        if _genitive(words, j, head):
            mods.append(norm)
            j += 1
            continue
        after = j + 1 < len(words) and (country_at(words, j + 1)[0] or city_at(words, j + 1)[0])
        if head == "ambassador" and norm in ("في", "لدي") and after:
            mods.append(norm)
            j += 1
            continue
        break
    if head == "counterpart":
        phrase = " ".join(w.text for w in words[i:j])
        return Role("counterpart", phrase, "", "", countries[0] if countries else ""), j
    family, label_en = _family(head, mods)
    first = words[i].text
    if words[i].norm not in _HEAD_FORMS and words[i].norm[1:] in _HEAD_FORMS:
        first = first[1:]  # "بوزير" -> "وزير"
    phrase = " ".join([first, *(w.text for w in words[i + 1 : j])])
    own = countries[0] if countries else ""
    # The Arabic label drops the official's own country ("سفير لدى جمهورية طاجيكستان").
    own_words = set()
    if countries:
        first_country_word = min(country_words)
        own_words = {w for w in country_words if w < first_country_word + 3 and w in country_words}
        if len(countries) > 1:
            own_words = {w for w in own_words if w < _second_country_start(words, country_words)}
    kept = [first] + [words[k].text for k in range(i + 1, j) if k not in own_words]
    if dual:
        kept = [first] + [words[k].text for k in range(i + 1, j) if k not in country_words]
    canonical = len(kept) == 1 or family in _CANONICAL
    label_ar = _AR.get(family) if canonical and not _feminine(first) else None
    role = Role(
        family=family,
        phrase=phrase,
        label_ar=label_ar or " ".join(kept),
        label_en=label_en,
        country_en=own,
        second_country_en=countries[1] if dual and len(countries) > 1 else "",
    )
    if dual and not role.dual:
        return None, j
    return role, j


def _genitive(words: list[Word], j: int, head: str) -> bool:
    """The body a post belongs to: "الأمين العام للأمم المتحدة", "الأمين العام لجامعة الدول العربية"."""
    norm = words[j].norm
    if head not in _OF_BODIES or norm[:1] != "ل" or len(norm) < 4:
        return False
    nxt = words[j + 1].norm if j + 1 < len(words) else ""
    return norm.startswith("لل") or (nxt.startswith("ال") and not words[j + 1].punct_before)


def _second_country_start(words: list[Word], country_words: set[int]) -> int:
    ordered = sorted(country_words)
    for a, b in pairwise(ordered):
        if b != a + 1:
            return b
    return ordered[-1] + 1


def _feminine(head: str) -> bool:
    norm = normalize(head)
    return norm.endswith("ه") and norm not in ("نظيره",)


_HEAD_FORMS = frozenset(HEADS)
