"""Curated word lists for reading officials and meetings out of Arabic news.

Everything here is compared in the form `archive.text.arabic.normalize` gives (ة → ه, أ → ا, ى → ي), so the
lists are written in plain Arabic and folded once at import.
"""

from archive.text.arabic import normalize

# Ministries: the noun after وزير/وزارة, and its English name.
MINISTRIES: dict[str, str] = {
    normalize(ar): en
    for ar, en in [
        ("الخارجية", "Foreign Affairs"),
        ("الدفاع", "Defence"),
        ("الداخلية", "Interior"),
        ("المالية", "Finance"),
        ("الاقتصاد", "Economy"),
        ("التجارة", "Trade"),
        ("الصناعة", "Industry"),
        ("الطاقة", "Energy"),
        ("النفط", "Oil"),
        ("الزراعة", "Agriculture"),
        ("العدل", "Justice"),
        ("الصحة", "Health"),
        ("التعليم", "Education"),
        ("التربية", "Education"),
        ("الثقافة", "Culture"),
        ("النقل", "Transport"),
        ("الاتصالات", "Communications"),
        ("الخارجيه", "Foreign Affairs"),
        ("الإعلام", "Information"),
        ("السياحة", "Tourism"),
        ("العمل", "Labour"),
        ("الهجرة", "Migration"),
    ]
}

# Words that open a role phrase (with or without an attached و/ب/ل/ف/ك). Value: the role family.
HEADS: dict[str, str] = {
    normalize(ar): family
    for ar, family in [
        ("وزير", "minister"),
        ("وزيرة", "minister"),
        ("الوزير", "minister"),
        ("الوزيرة", "minister"),
        ("وزيرا", "minister_dual"),
        ("وزيري", "minister_dual"),
        ("رئيس", "head"),
        ("رئيسة", "head"),
        ("الرئيس", "head"),
        ("الرئيسة", "head"),
        ("رئيسي", "head_dual"),
        ("رئيسا", "head_dual"),
        ("نائب", "deputy"),
        ("نائبة", "deputy"),
        ("سفير", "ambassador"),
        ("سفيرة", "ambassador"),
        ("السفير", "ambassador"),
        ("السفيرة", "ambassador"),
        ("المتحدث", "spokesperson"),
        ("المتحدثة", "spokesperson"),
        ("الناطق", "spokesperson"),
        ("الناطقة", "spokesperson"),
        ("نظيره", "counterpart"),
        ("نظيرته", "counterpart"),
        ("نظيرها", "counterpart"),
        ("ملك", "king"),
        ("الملك", "king"),
        ("أمير", "emir"),
        ("الأمير", "emir"),
        ("المستشار", "chancellor"),
        ("المستشارة", "chancellor"),
        ("الأمين", "secretary_general"),
        ("ولي", "crown_prince"),
    ]
}

# Words that may continue a role phrase after its head even without the article ال.
ROLE_GLUE: frozenset[str] = frozenset(
    normalize(w)
    for w in [
        "وزارة",
        "وزراء",
        "خارجية",
        "دفاع",
        "داخلية",
        "باسم",
        "جمهورية",
        "مجلس",
        "حكومة",
        "لدى",
        "العهد",
        "العام",
        "وزير",
        "رئيس",
        "عام",
        # Time qualifiers: "الرئيس الفرنسي السابق" is still a president.
        "السابق",
        "السابقة",
        "الحالي",
        "الحالية",
        "الأسبق",
        "الجديد",
        "الجديدة",
        "المنتخب",
        "المكلف",
        "بالوكالة",
    ]
)

# Parts of compound given names (سراج الدين, عبد الله): an ال-word after these belongs to the name.
COMPOUND_FIRST: frozenset[str] = frozenset(
    normalize(w)
    for w in [
        "عبد",
        "سراج",
        "نور",
        "صلاح",
        "شمس",
        "بدر",
        "جمال",
        "علاء",
        "عز",
        "سيف",
        "كمال",
        "محيي",
        "أبو",
        "ابن",
        "بن",
        "بنت",
        "ولد",
    ]
)
COMPOUND_SECOND: frozenset[str] = frozenset(
    normalize(w)
    for w in ["الدين", "الديين", "الله", "الرحمن", "الرحيم", "العزيز", "الكريم", "الحميد", "الفتاح", "المجيد"]
)

# Words that end a name: prepositions, conjunctions, news verbs and time words. The shared stop-word list
# is not used here because it holds words that are also names (علي, إمام/أمام, لولا).
# fmt: off
_NAME_BREAKER_WORDS = [
    # Verbs that follow a name in subject-verb sentences ("الرئيس الأمريكي دونالد ترامب هدد ...").
    "يعتزم", "يعتزمان", "يحضر", "حضر", "يدعو", "دعا", "دعت", "طالب", "يطالب", "تطالب", "هدد", "يهدد",
    "أمر", "قرر", "يقرر", "أعرب", "أعربت", "تحدث", "تحدثت", "وقع", "يوقع", "قام", "يقوم", "سيقوم",
    "أصدر", "رفض", "يرفض", "رفضت", "وافق", "اتهم", "يتهم", "حذر", "يحذر", "رحب", "يرحب", "أدان", "يدين",
    "نفى", "ينفي", "كشف", "يكشف", "أبلغ", "طلب", "يطلب", "اعتبر", "يعتبر", "أضاف", "يضيف", "تقول",
    "يقول", "أكدت", "أشارت", "أوضحت", "هنأ", "ناقشا", "بحثا", "أجرت", "استقبلت", "زارت", "تزور",
    "آنذاك", "حاليا", "سابقا", "لاحقا", "مؤخرا", "كذلك", "حينها", "حينذاك", "أمس", "سيحضر",
    "إثر", "عقب", "رغم", "وسط", "ضمن", "جراء", "بسبب", "إزاء", "تجاه", "لأن", "حتى", "وفق", "وفقا",
    # Words that start the name of a body, never of a person ("أمير تنظيم داعش").
    "تنظيم", "حركة", "جماعة", "جبهة", "حزب", "منظمة", "جيش", "قوات", "لجنة", "وزارة", "هيئة", "مكتب",
    "الدولة", "ميليشيا", "ميليشيات", "مجلس", "حكومة", "الحكومة", "شركة", "وكالة", "صحيفة", "قناة",
    "في", "من", "إلى", "الى", "عن", "مع", "أن", "إن", "أنه", "إنه", "أنها", "بأن", "بأنه", "الذي",
    "التي", "الذين", "خلال", "حول", "بعد", "قبل", "منذ", "لدى", "عند", "ثم", "أو", "قد", "لقد", "كما",
    "بين", "حيث", "إذ", "إلا", "لكن", "ضد", "عبر", "نحو", "دون", "تحت", "فوق", "هذا", "هذه", "ذلك",
    "تلك", "أيضا", "أيضاً", "وقد", "وكان", "قال", "قالت", "وقال", "أكد", "أكدت", "أعلن", "أعلنت",
    "أشار", "أشارت", "يلتقي", "يلتقيان", "التقى", "التقت", "سيلتقي", "بحث", "يبحث", "يبحثان", "ناقش",
    "يناقش", "وصل", "يصل", "يزور", "زار", "استقبل", "يستقبل", "سيجري", "أجرى", "يجري", "أجريا", "صرح",
    "صرحت", "أوضح", "شدد", "لفت", "تابع", "لقاء", "محادثات", "مباحثات", "زيارة", "بزيارة", "اتصالا",
    "اتصال", "هاتفيا", "اجتماع", "الاجتماع", "قمة", "اليوم", "أمس", "غدا", "الليلة", "الأسبوع",
    "الشهر", "العام", "الجاري", "الماضي", "المقبل", "القادم", "السبت", "الأحد", "الإثنين", "الاثنين",
    "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "يوم", "مساء", "صباح", "ظهر", "عشية", "وذلك", "حيث",
    "بينما", "فيما",
]
# fmt: on
NAME_BREAKERS: frozenset[str] = frozenset(normalize(w) for w in _NAME_BREAKER_WORDS)
