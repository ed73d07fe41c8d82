"""Who said what: statements read from Arabic news paragraphs, pure functions, no database.

A statement opens with a reporting verb (`قال`، `قالت`، `صرّح`، `أكد`، `أشار إلى`، `أعرب عن`، `أوضح`، `شدد على`
...), names its speaker after the verb (an official, a role phrase such as `وزير الخارجية الروسي`, or an
institution such as `المكتب الصحفي للحكومة الروسية`; nobody at all means the previous speaker goes on), and
introduces what was said with `إن`/`أن`/`بأن`/`إلى أن`/`:`. The text is kept exactly as written, with its
character offsets in the paragraph: the words inside the quotation marks for direct speech, the clause up to
the end of the sentence for indirect speech. A quotation standing before its verb (`"..."، قال لافروف`) is
read too.

Work is linear in the paragraph: each verb looks at most `_SPEAKER_WORDS` words ahead, and sentence ends and
quotation marks are found once per paragraph and then looked up by bisection.
"""

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from archive.entities.reading import roles
from archive.entities.reading.dates import find_date
from archive.entities.reading.lexicon import HEADS
from archive.entities.reading.person_names import surname_key
from archive.entities.reading.sentences import Sentence, Word, head_at, split_sentences
from archive.text.arabic import CLITIC_LETTERS, WORD_PATTERN, name_key, normalize, strip_clitic


def _n(words: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in words.split())


# Reporting verbs, past tense, masculine and feminine; a joined و/ف/ك is allowed.
VERBS = _n(
    "قال قالت صرح صرحت صرّح صرّحت أكد أكدت أكّد أكّدت أشار أشارت أعرب أعربت أعلن أعلنت أوضح أوضحت "
    "شدد شددت شدّد شدّدت لفت لفتت أضاف أضافت تابع تابعت أردف أردفت نوه نوهت نوّه نوّهت بين بينت "
    "ذكر ذكرت اعتبر اعتبرت أفاد أفادت خلص خلصت دعا دعت حذر حذرت حذّر حذّرت"
)
# Participles that go on with the same speaker: "، مبيناً أن ..."، "، معرباً عن ...".
PARTICIPLES = _n(
    "مبينا مبيناً منوها منوهاً معربا معرباً لافتا لافتاً مشيرا مشيراً مؤكدا مؤكداً موضحا موضحاً مضيفا مضيفاً"
)
# "بحسب وزير الخارجية، ..."، "وفقاً لنائب الوزير، "..."": the speaker, a comma, then what was said.
ACCORDING = _n("بحسب حسب وفقا وفقاً وفق")
VERBS = VERBS | PARTICIPLES
_ALL_VERBS = VERBS | ACCORDING
# Every form a verb token may take: bare or with a joined و/ف/ك.
_VERB_FORMS = _ALL_VERBS | {c + v for c in "وفك" for v in _ALL_VERBS}
# "بين" is far more often "between" than "showed": a verb only after "كما" ("كما بين لافروف أن").
_BETWEEN = normalize("بين")
# Verbs whose report may open with a preposition instead of أن: "أشار إلى ..."، "أعرب عن ..."، "شدد على ...".
_PREPOSITIONS = {
    normalize("إلى"): _n("أشار أشارت لفت لفتت خلص خلصت نوه نوهت دعا دعت مشيرا لافتا"),
    normalize("عن"): _n("أعرب أعربت معربا"),
    normalize("على"): _n("أكد أكدت شدد شددت مؤكدا"),
    normalize("من"): _n("حذر حذرت"),
}
# Prepositions that introduce the report only with أن after them ("شدد على أن"، "حذر من أن"): "أكد في
# تغريدات على صفحته" is no report.
_NEEDS_THAT = {normalize("على"), normalize("من")}
# "أن" with or without a pronoun or a joined ب/ف: what introduces the report.
_THAT = _n("أن إن أنه إنه أنها إنها أنهم إنهم بأن بأنه بأنها بأنهم فإن")
# Words after the verb that are not the speaker: "لفت الانتباه إلى"، "ما صرحت به"، "أشار إليه".
_SKIP = _n("الانتباه النظر به إليه إليها أيضا أيضاً كذلك")
# Where the speaker ends: the circumstances of the saying follow.
_CUT = _n(
    "في خلال عشية قبل بعد عبر أمام لدى أثناء اليوم أمس يوم مساء صباح وفي على عن لوكالة لقناة لصحيفة لموقع "
    "لإذاعة لتلفزيون للصحفيين للصحافيين دون"
)
_INSTITUTIONS = _n(
    "المكتب مكتب وزارة الوزارة الحكومة حكومة الكرملين الرئاسة مجلس السفارة سفارة اللجنة المفوضية "
    "الأمانة البيت الخارجية الديوان ديوان"
)
_STATEMENT_NOUNS = _n("بيان البيان")
_AS = normalize("كما")
_QAD = normalize("قد")
# "الوزيرلافروف": a title typed without its space.
_GLUED_TITLES = _n("الوزير الرئيس السفير")
_OPEN_QUOTES = '"«“'
_CLOSE_QUOTES = '"»”'
_QUOTE_CHARS = re.compile('["«“»”]')
_SENTENCE_END = re.compile(r"[.!؟?](?=[\s\"»”]|$)")
_SPEAKER_WORDS = 30
# "وأردف في هذا الجانب: ..."، "وأشار إلى أن ...": how far a verb without a subject may be from its report.
_PRONOUN_WORDS = 6
# How many paragraphs on a speaker goes on saying things without being named again.
_CARRY_PARAGRAPHS = 2
_MAX_CHARS = 1500
_STRIP = " \u00a0\t.،,;:"
# A quick look at the whole text before reading it word by word: most articles hold no reporting verb.
_ANY_VERB = re.compile(
    r"(?<!\w)[وفك]?(?:"
    + "|".join(sorted({normalize(v) for v in VERBS | ACCORDING}, key=len, reverse=True))
    + r")(?!\w)"
)


@dataclass
class StatementFound:
    text: str
    start: int  # offsets into the paragraph
    end: int
    paragraph: int
    verb: str
    direct: bool
    speaker: int | None  # index into the persons given, or None for an institution
    institution: str
    sentence: str
    date: dt.date | None


@dataclass(slots=True)
class _Token:
    text: str
    norm: str
    start: int
    end: int
    gap: str


def _tokens(paragraph: str) -> list[_Token]:
    out = []
    previous = 0
    for match in WORD_PATTERN.finditer(paragraph):
        out.append(
            _Token(
                match.group(0),
                normalize(match.group(0)),
                match.start(),
                match.end(),
                paragraph[previous : match.start()],
            )
        )
        previous = match.end()
    return out


def _tokens_of_sentences(paragraph: str, sentences: list[Sentence]) -> list[_Token]:
    """The paragraph's words from the sentences extraction already read, with their offsets in it."""
    out = []
    cursor = 0
    for sentence in sentences:
        at = paragraph.find(sentence.text, cursor)
        if at < 0:
            return _tokens(paragraph)  # not the same text after all: read it afresh
        position = at
        for n, word in enumerate(sentence.words):
            start = position + len(word.gap)
            end = start + len(word.text)
            # A sentence's first word: what stands before it is the end of the previous sentence.
            gap = paragraph[cursor:start] if n == 0 else word.gap
            out.append(_Token(word.text, word.norm, start, end, gap))
            position = end
        cursor = position
    return out


def _has_verb(words) -> bool:
    return not _VERB_FORMS.isdisjoint(w.norm for w in words)


def _may_hold_statement(words: list[Word], keys: "_PersonKeys", has_previous: bool) -> bool:
    """A cheap look at a sentence's words before reading it closely: a reporting verb, and someone who
    may be its speaker (a person of the article, a role phrase when the article names people, an
    institution, or a verb with no subject when someone spoke before). Most sentences stop here."""
    if _VERB_FORMS.isdisjoint(w.norm for w in words):
        return False
    for k, word in enumerate(words):
        norm = word.norm
        bare = norm[1:] if norm[:1] in "وفكل" else norm
        if norm in keys.words or bare in keys.words or norm in _INSTITUTIONS or bare in _INSTITUTIONS:
            return True
        if keys.persons and (norm in HEADS or bare in HEADS):
            return True
        if has_previous and norm in _VERB_FORMS:
            for following in words[k + 1 : k + 1 + _PRONOUN_WORDS]:
                if following.norm in _THAT or following.norm in _PREPOSITIONS or ":" in following.gap:
                    return True
    return False


def may_report_speech(*, paragraphs: list[str], sentences: list[Sentence] | None = None) -> bool:
    """False when no paragraph holds a reporting verb: one look at the words already read (`sentences`),
    or one search of the text, replaces reading it word by word."""
    if sentences:
        return any(_has_verb(s.words) for s in sentences)
    return _ANY_VERB.search(normalize("\n".join(paragraphs))) is not None


class _PersonKeys:
    """Each person's spellings (full names and surnames) as word tuples, to find them in a speaker phrase."""

    def __init__(self, persons: list) -> None:
        self.keys: list[tuple[tuple[str, ...], int]] = []
        for index, person in enumerate(persons):
            seen = set()
            for spelling in person.spellings:
                for key in (name_key(spelling), surname_key(spelling)):
                    words = tuple(key.split())
                    if words and len("".join(words)) >= 4 and words not in seen:
                        seen.add(words)
                        self.keys.append((words, index))
        self.keys.sort(key=lambda pair: -len(pair[0]))
        self.persons = persons
        # Every word of every spelling, for a first look at a sentence.
        self.words = frozenset(w for words, _index in self.keys for w in words)

    def find(self, norms: list[str]) -> int | None:
        best: tuple[int, int] | None = None
        for words, index in self.keys:
            size = len(words)
            for i in range(len(norms) - size + 1):
                first = norms[i]
                glued = first.endswith(words[0]) and first[: -len(words[0])] in _GLUED_TITLES
                if first != words[0] and strip_clitic(first, min_rest=1) != words[0] and not glued:
                    continue
                if tuple(norms[i + 1 : i + size]) == words[1:] and (best is None or i < best[0]):
                    best = (i, index)
                    break
        return best[1] if best else None


def _role_holder(words: list[Word], persons: list, previous: int | None) -> int | None:
    """ "وزير الخارجية الروسي"، "الوزير": the one person of the article who holds that post."""
    family = head_at(words, 0)
    if not family:
        return None
    role, _end = roles.read_role(words, 0, family)
    if role is None:
        return None
    holders = [i for i, p in enumerate(persons) if p.role and roles.refers_to(role, p.role)]
    if len(holders) == 1:
        return holders[0]
    if (
        previous is not None
        and persons[previous].role
        and roles.same_post(role.family, persons[previous].role.family)
    ):
        return previous
    holders = [i for i, p in enumerate(persons) if p.role and roles.same_post(role.family, p.role.family)]
    return holders[0] if len(holders) == 1 else None


def _sentence_bounds(ends: list[int], position: int, length: int) -> tuple[int, int]:
    k = bisect_right(ends, position)
    start = ends[k - 1] + 1 if k else 0
    end = ends[k] + 1 if k < len(ends) else length
    return start, end


def _trim(paragraph: str, start: int, end: int) -> tuple[int, int]:
    while start < end and paragraph[start] in _STRIP:
        start += 1
    while end > start and paragraph[end - 1] in _STRIP:
        end -= 1
    return start, end


def read_statements(
    *,
    paragraphs: list[str],
    persons: list,
    reference: dt.date | None = None,
    sentences: list[Sentence] | None = None,
    paragraph_offset: int = 0,
) -> list[StatementFound]:
    """The statements of an article's paragraphs (in order); `persons` are the extraction's persons
    (each with `spellings` and `role`), the speakers are indexes into it. `sentences` are the paragraphs'
    sentences as extraction read them (`Sentence.paragraph - paragraph_offset` indexes `paragraphs`: 1
    when a title was read first), so that no word is read twice; they are read here when not given."""
    if sentences is None:
        sentences, paragraph_offset = split_sentences(paragraphs), 0
    by_paragraph: dict[int, list[Sentence]] = {}
    for sentence in sentences:
        by_paragraph.setdefault(sentence.paragraph - paragraph_offset, []).append(sentence)
    keys = _PersonKeys(persons)
    out: list[StatementFound] = []
    previous: tuple[int | None, str] | None = None
    spoke_in = -1
    for p_index, paragraph in enumerate(paragraphs):
        if p_index - spoke_in > _CARRY_PARAGRAPHS:
            previous = None  # a verb without a subject goes on with a speaker of the last paragraphs only
        mine = by_paragraph.get(p_index, [])
        if not any(_may_hold_statement(s.words, keys, previous is not None) for s in mine):
            continue
        tokens = _tokens_of_sentences(paragraph.replace("\u00a0", " "), mine)
        found, previous = _read_paragraph(paragraph, tokens, p_index, keys, previous, reference)
        if found:
            spoke_in = p_index
        out.extend(found)
    return out


def _read_paragraph(
    paragraph: str,
    tokens: list[_Token],
    p_index: int,
    keys: _PersonKeys,
    previous: tuple[int | None, str] | None,
    reference: dt.date | None,
) -> tuple[list[StatementFound], tuple[int | None, str] | None]:
    ends = [m.start() for m in _SENTENCE_END.finditer(paragraph)]
    quotes = [m.start() for m in _QUOTE_CHARS.finditer(paragraph)]
    found: list[StatementFound] = []
    covered_until = -1
    for v, token in enumerate(tokens):
        norm = token.norm
        if norm not in _VERB_FORMS or token.start < covered_until:
            continue
        verb = norm if norm in _ALL_VERBS else norm[1:]
        if verb == _BETWEEN and not (v and tokens[v - 1].norm == _AS):
            continue
        if verb in ACCORDING:
            statement = _according(paragraph, tokens, v, ends, quotes, keys, previous)
        elif verb in VERBS:
            statement = _read_one(paragraph, tokens, v, verb, ends, quotes, keys, previous)
        else:
            continue
        if statement is None:
            continue
        start, end, direct, speaker, institution = statement
        s_start, s_end = _sentence_bounds(ends, token.start, len(paragraph))
        sentence = paragraph[s_start:s_end].strip()
        date_found = find_date(sentence, reference=reference)
        found.append(
            StatementFound(
                text=paragraph[start:end],
                start=start,
                end=end,
                paragraph=p_index,
                verb=token.text,
                direct=direct,
                speaker=speaker,
                institution=institution,
                sentence=sentence,
                date=date_found.date if date_found and date_found.date else reference,
            )
        )
        covered_until = end
        previous = (speaker, institution)
    return found, previous


def _read_one(paragraph, tokens, v, verb, ends, quotes, keys, previous):
    """(start, end, direct, speaker index, institution name) of the statement whose verb is token `v`."""
    sentence_end = _sentence_bounds(ends, tokens[v].start, len(paragraph))[1]
    speaker_tokens: list[_Token] = []
    cut = False
    report_at: int | None = None  # character offset where what was said begins
    for k in range(v + 1, min(len(tokens), v + 1 + _SPEAKER_WORDS)):
        t = tokens[k]
        if t.start >= sentence_end:
            break
        if ":" in t.gap:
            report_at = t.start - len(t.gap) + t.gap.index(":") + 1
            break
        opening = next((t.gap.rfind(q) for q in _OPEN_QUOTES if q in t.gap), -1)
        if opening >= 0 and speaker_tokens and not cut and k > v + 1:
            # 'وقال الملقي للصحفيين "إرسال ..."': a quotation opens without أن or a colon.
            report_at = t.start - len(t.gap) + opening
            break
        if t.norm in _THAT:
            report_at = t.end
            break
        if t.norm in _PREPOSITIONS and verb in _PREPOSITIONS[t.norm]:
            that = k + 1 < len(tokens) and tokens[k + 1].norm in _THAT
            if that or t.norm not in _NEEDS_THAT:
                report_at = tokens[k + 1].end if that else t.end
                break
        if t.norm in _SKIP:
            continue
        if speaker_tokens and not cut and v and tokens[v - 1].norm == _AS and any(c in t.gap for c in "،,"):
            report_at = t.start  # "كما أشار لافروف، هناك سبب ...": what follows the comma was said
            break
        if t.norm in _CUT:
            cut = True
        if not cut:
            speaker_tokens.append(t)
    if report_at is None:
        return _quote_before(paragraph, tokens, v, quotes, keys, previous)
    if not speaker_tokens and v and tokens[v - 1].norm == _QAD:
        # "وكان رئيس الوزراء، سعد الحريري، ... قد أوضح أن": the speaker stands before the verb.
        sentence_start = _sentence_bounds(ends, tokens[v].start, len(paragraph))[0]
        before = [t.norm for t in tokens[max(0, v - _SPEAKER_WORDS) : v] if t.start >= sentence_start]
        person = keys.find(before)
        if person is None:
            return None
        speaker, institution = person, ""
    else:
        speaker, institution = _speaker(speaker_tokens, keys, previous)
    if speaker is None and not institution:
        return None
    start = report_at
    while start < len(paragraph) and paragraph[start] in " \u00a0\t":
        start += 1
    return _span(paragraph, tokens, start, ends, quotes, speaker, institution)


def _span(paragraph, tokens, start, ends, quotes, speaker, institution):
    if start < len(paragraph) and paragraph[start] in _OPEN_QUOTES:
        close = _closing_quote(paragraph, quotes, start)
        start, end = _trim(paragraph, start + 1, _unclosed(tokens, start, close))
        direct = True
    else:
        end = _sentence_bounds(ends, start, len(paragraph))[1]
        start, end = _trim(paragraph, start, _next_report(tokens, start, end))
        direct = False
    if end <= start or end - start > _MAX_CHARS:
        return None
    return start, end, direct, speaker, institution


def _according(paragraph, tokens, v, ends, quotes, keys, previous):
    """ "وبحسب وزير الخارجية الروسية، تم إطلاق ...": the speaker up to the comma, then what was said."""
    sentence_end = _sentence_bounds(ends, tokens[v].start, len(paragraph))[1]
    speaker_tokens: list[_Token] = []
    for t in tokens[v + 1 : v + 1 + _SPEAKER_WORDS]:
        if t.start >= sentence_end or t.norm == normalize("ما"):
            return None  # "بحسب ما صرحت به ...": the verb that follows reports it
        if any(c in t.gap for c in "،,") and speaker_tokens:
            break
        speaker_tokens.append(t)
    else:
        return None
    if not speaker_tokens or len(speaker_tokens) >= len(tokens) - v - 1:
        return None
    first = speaker_tokens[0]
    if first.norm[:1] == "ل" and len(first.norm) > 3:
        speaker_tokens[0] = _Token(first.text[1:], first.norm[1:], first.start + 1, first.end, first.gap)
    speaker, institution = _speaker(speaker_tokens, keys, None)
    if speaker is None and not institution:
        return None
    following = tokens[v + 1 + len(speaker_tokens)]
    start = following.start - len(following.gap) + max(following.gap.rfind(","), following.gap.rfind("،")) + 1
    while start < len(paragraph) and paragraph[start] in "  	":
        start += 1
    return _span(paragraph, tokens, start, ends, quotes, speaker, institution)


def _unclosed(tokens: list[_Token], start: int, close: int) -> int:
    """A quotation left open by the writer ends where a new sentence reports again ("... . وأشار أيضاً")."""
    for k in range(_first_at(tokens, start), len(tokens)):
        t = tokens[k]
        if t.start >= close:
            break
        if "." in t.gap and strip_clitic(t.norm, min_rest=2) in VERBS:
            return t.start - len(t.gap)
    return close


def _closing_quote(paragraph: str, quotes: list[int], opening: int) -> int:
    """Where the quotation opened at `opening` closes, past quotations nested in it ("المنتدى "روسيا"")."""
    depth = 0
    for k in range(bisect_right(quotes, opening), len(quotes)):
        at = quotes[k]
        ch = paragraph[at]
        before = paragraph[at - 1] if at else " "
        after = paragraph[at + 1] if at + 1 < len(paragraph) else " "
        opens = ch in "«“" or (ch == '"' and before.isspace() and after.isalnum())
        if opens:
            depth += 1
        elif depth:
            depth -= 1
        else:
            return at
    return len(paragraph)


def _next_report(tokens: list[_Token], start: int, end: int) -> int:
    """Indirect speech ends at the sentence end, or where a second report joins it ("، وأكد أن ...")."""
    for k in range(_first_at(tokens, start), len(tokens)):
        t = tokens[k]
        if t.start >= end:
            break
        joined = t.norm[:1] == "و" and t.norm[1:] in VERBS
        if (joined or t.norm in PARTICIPLES) and any(c in t.gap for c in "،,."):
            return t.start - len(t.gap)
    return end


def _first_at(tokens: list[_Token], start: int) -> int:
    low, high = 0, len(tokens)
    while low < high:
        mid = (low + high) // 2
        if tokens[mid].start < start:
            low = mid + 1
        else:
            high = mid
    return low


def _quote_before(paragraph, tokens, v, quotes, keys, previous):
    """`"..."، قال لافروف`: the quotation closes right before the verb."""
    gap = tokens[v].gap
    if not any(q in gap for q in _CLOSE_QUOTES) or not any(c in gap for c in "،,"):
        return None
    close = tokens[v].start - len(gap) + max(gap.rfind(q) for q in _CLOSE_QUOTES)
    k = bisect_left(quotes, close)
    if k == 0:
        return None
    start, end = _trim(paragraph, quotes[k - 1] + 1, close)
    speaker_tokens = []
    for t in tokens[v + 1 : v + 1 + _SPEAKER_WORDS]:
        if t.norm in _CUT or _SENTENCE_END.match(t.gap.strip() or " "):
            break
        speaker_tokens.append(t)
    speaker, institution = _speaker(speaker_tokens, keys, previous)
    if (speaker is None and not institution) or end <= start:
        return None
    return start, end, True, speaker, institution


def _may_name(norm: str, keys: _PersonKeys) -> bool:
    """Whether a speaker phrase may open with this word: a word of a name, a role word, a typed-together
    title and name ("الوزيرلافروف")."""
    bare = norm[1:] if norm[:1] in CLITIC_LETTERS else norm
    if norm in keys.words or bare in keys.words or norm in HEADS or bare in HEADS:
        return True
    return any(norm.startswith(title) and norm[len(title) :] in keys.words for title in _GLUED_TITLES)


def _speaker(tokens: list[_Token], keys: _PersonKeys, previous) -> tuple[int | None, str]:
    if not tokens:
        return previous if previous is not None else (None, "")
    norms = [t.norm for t in tokens]
    first_norm = norms[1] if norms[0] in _STATEMENT_NOUNS and len(norms) > 1 else norms[0]
    bare = strip_clitic(first_norm, min_rest=3)
    institution_first = first_norm in _INSTITUTIONS or bare in _INSTITUTIONS
    if not institution_first and not _may_name(first_norm, keys):
        return None, ""  # "وأشارت الرسالة التي حملت توقيع ...": what speaks is no one of the article
    person = None if institution_first else keys.find(norms)
    if person is not None:
        return person, ""
    words = [Word(t.text, t.norm, t.gap) for t in tokens]
    holder = _role_holder(words, keys.persons, previous[0] if previous else None)
    if holder is not None:
        return holder, ""
    first = 1 if norms[0] in _STATEMENT_NOUNS and len(norms) > 1 else 0
    if norms[first] in _INSTITUTIONS or strip_clitic(norms[first], min_rest=3) in _INSTITUTIONS:
        name = [tokens[first].text]
        for t in tokens[first + 1 :]:
            if t.gap.strip():
                break
            name.append(t.text)
        return None, " ".join(name)
    return None, ""


__all__ = ["VERBS", "StatementFound", "may_report_speech", "read_statements"]
