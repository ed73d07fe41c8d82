"""Curated word lists for reading officials and meetings out of Arabic news.

Everything here is compared in the form `archive.text.arabic.normalize` gives (ة → ه, أ → ا, ى → ي), so the
lists are written in plain Arabic and folded once at import.
"""

from dataclasses import dataclass

from archive.text.arabic import nisba_bases, normalize


@dataclass(frozen=True)
class Country:
    name_ar: str
    name_en: str
    capital_ar: str = ""


# (Arabic name, English name, nationality-adjective stems, other Arabic names, capital)
_COUNTRIES: list[tuple[str, str, tuple[str, ...], tuple[str, ...], str]] = [
    ("روسيا", "Russia", ("روس",), ("روسيا الاتحادية",), "موسكو"),
    ("طاجيكستان", "Tajikistan", ("طاجيك", "طاجيكستان"), (), "دوشنبه"),
    ("أوزبكستان", "Uzbekistan", ("أوزبك", "أوزبكستان"), (), "طشقند"),
    ("كازاخستان", "Kazakhstan", ("كازاخ", "كازاخستان"), (), "أستانا"),
    ("قيرغيزستان", "Kyrgyzstan", ("قرغيز", "قيرغيز"), ("قرغيزستان",), "بيشكيك"),
    ("تركمانستان", "Turkmenistan", ("تركمان", "تركمانستان"), (), "عشق آباد"),
    ("أذربيجان", "Azerbaijan", ("أذربيجان", "أذري"), (), "باكو"),
    ("أرمينيا", "Armenia", ("أرمن", "أرميني"), (), "يريفان"),
    ("بيلاروس", "Belarus", ("بيلاروس", "بيلاروسي"), ("روسيا البيضاء",), "مينسك"),
    ("أوكرانيا", "Ukraine", ("أوكران",), (), "كييف"),
    ("جورجيا", "Georgia", ("جورج",), (), "تبليسي"),
    ("مصر", "Egypt", ("مصر",), (), "القاهرة"),
    ("الصين", "China", ("صين",), (), "بكين"),
    ("الهند", "India", ("هند",), (), "نيودلهي"),
    ("البرازيل", "Brazil", ("برازيل",), (), "برازيليا"),
    (
        "الولايات المتحدة",
        "United States",
        ("أمريك", "أميرك"),
        ("أمريكا", "الولايات المتحدة الأمريكية"),
        "واشنطن",
    ),
    ("بريطانيا", "United Kingdom", ("بريطان",), ("المملكة المتحدة",), "لندن"),
    ("فرنسا", "France", ("فرنس",), (), "باريس"),
    ("ألمانيا", "Germany", ("ألمان",), (), "برلين"),
    ("إيطاليا", "Italy", ("إيطال",), (), "روما"),
    ("إسبانيا", "Spain", ("إسبان",), (), "مدريد"),
    ("تركيا", "Turkey", ("ترك",), (), "أنقرة"),
    ("إيران", "Iran", ("إيران",), (), "طهران"),
    ("باكستان", "Pakistan", ("باكستان",), (), "إسلام آباد"),
    ("أفغانستان", "Afghanistan", ("أفغان", "أفغانستان"), (), "كابول"),
    ("اليابان", "Japan", ("يابان",), (), "طوكيو"),
    ("كوريا الجنوبية", "South Korea", ("كوري الجنوب",), (), "سيول"),
    ("كوريا الشمالية", "North Korea", ("كوري الشمال",), (), "بيونغ يانغ"),
    ("إندونيسيا", "Indonesia", ("إندونيس",), (), "جاكرتا"),
    ("ماليزيا", "Malaysia", ("ماليز",), (), "كوالالمبور"),
    ("فيتنام", "Vietnam", ("فيتنام",), (), "هانوي"),
    ("السعودية", "Saudi Arabia", ("سعود",), ("المملكة العربية السعودية",), "الرياض"),
    ("الإمارات", "United Arab Emirates", ("إمارات",), ("الإمارات العربية المتحدة",), "أبوظبي"),
    ("قطر", "Qatar", ("قطر",), (), "الدوحة"),
    ("الكويت", "Kuwait", ("كويت",), (), ""),
    ("البحرين", "Bahrain", ("بحرين",), (), "المنامة"),
    ("سلطنة عمان", "Oman", ("عمان",), (), "مسقط"),
    ("اليمن", "Yemen", ("يمن",), (), "صنعاء"),
    ("العراق", "Iraq", ("عراق",), (), "بغداد"),
    ("سوريا", "Syria", ("سور",), ("سورية",), "دمشق"),
    ("الأردن", "Jordan", ("أردن",), (), ""),
    ("لبنان", "Lebanon", ("لبنان",), (), "بيروت"),
    ("فلسطين", "Palestine", ("فلسطين",), (), ""),
    ("إسرائيل", "Israel", ("إسرائيل",), (), ""),
    ("ليبيا", "Libya", ("ليب",), (), "طرابلس"),
    ("تونس", "Tunisia", ("تونس",), (), ""),
    ("الجزائر", "Algeria", ("جزائر",), (), ""),
    ("المغرب", "Morocco", ("مغرب",), (), "الرباط"),
    ("السودان", "Sudan", ("سودان",), (), "الخرطوم"),
    ("إثيوبيا", "Ethiopia", ("إثيوب",), (), "أديس أبابا"),
    ("جنوب أفريقيا", "South Africa", ("جنوب أفريق",), (), "بريتوريا"),
    ("نيجيريا", "Nigeria", ("نيجير",), (), "أبوجا"),
    ("كوبا", "Cuba", ("كوب",), (), "هافانا"),
    ("فنزويلا", "Venezuela", ("فنزويل",), (), "كاراكاس"),
    ("الأرجنتين", "Argentina", ("أرجنتين",), (), "بوينس آيرس"),
    ("المكسيك", "Mexico", ("مكسيك",), (), "مكسيكو سيتي"),
    ("منغوليا", "Mongolia", ("منغول",), (), "أولان باتور"),
    ("صربيا", "Serbia", ("صرب",), (), "بلغراد"),
    ("المجر", "Hungary", ("مجر",), (), "بودابست"),
    ("بولندا", "Poland", ("بولند",), (), "وارسو"),
    ("هولندا", "Netherlands", ("هولند",), (), "أمستردام"),
    ("بلجيكا", "Belgium", ("بلجيك",), (), "بروكسل"),
    ("النمسا", "Austria", ("نمساو",), (), "فيينا"),
    ("سويسرا", "Switzerland", ("سويسر",), (), "برن"),
    ("السويد", "Sweden", ("سويد",), (), "ستوكهولم"),
    ("النرويج", "Norway", ("نرويج",), (), "أوسلو"),
    ("الدنمارك", "Denmark", ("دنمارك",), (), "كوبنهاغن"),
    ("فنلندا", "Finland", ("فنلند",), (), "هلسنكي"),
    ("اليونان", "Greece", ("يونان",), (), "أثينا"),
    ("قبرص", "Cyprus", ("قبرص",), (), "نيقوسيا"),
    ("البرتغال", "Portugal", ("برتغال",), (), "لشبونة"),
    ("رومانيا", "Romania", ("رومان",), (), "بوخارست"),
    ("بلغاريا", "Bulgaria", ("بلغار",), (), "صوفيا"),
    ("التشيك", "Czech Republic", ("تشيك",), (), "براغ"),
    ("كندا", "Canada", ("كند",), (), "أوتاوا"),
    ("أستراليا", "Australia", ("أسترال",), (), "كانبرا"),
    ("كولومبيا", "Colombia", ("كولومب",), (), "بوغوتا"),
    ("تشيلي", "Chile", ("تشيل",), (), "سانتياغو"),
    ("بيرو", "Peru", ("بيرو",), (), "ليما"),
    ("غواتيمالا", "Guatemala", ("غواتيمال",), (), ""),
    ("هايتي", "Haiti", ("هايت",), (), ""),
    ("نيكاراغوا", "Nicaragua", ("نيكاراغو",), (), "ماناغوا"),
    ("الفلبين", "Philippines", ("فلبين",), (), "مانيلا"),
    ("تايلاند", "Thailand", ("تايلاند",), (), "بانكوك"),
    ("سنغافورة", "Singapore", ("سنغافور",), (), ""),
    ("ميانمار", "Myanmar", ("ميانمار",), (), ""),
    ("بنغلاديش", "Bangladesh", ("بنغلاديش",), (), "دكا"),
    ("سريلانكا", "Sri Lanka", ("سريلانك",), (), "كولومبو"),
    ("نيبال", "Nepal", ("نيبال",), (), "كاتماندو"),
    ("موريتانيا", "Mauritania", ("موريتان",), (), "نواكشوط"),
    ("الصومال", "Somalia", ("صومال",), (), "مقديشو"),
    ("جيبوتي", "Djibouti", ("جيبوت",), (), ""),
    ("إريتريا", "Eritrea", ("إريتر",), (), "أسمرة"),
    ("كينيا", "Kenya", ("كين",), (), "نيروبي"),
    ("تنزانيا", "Tanzania", ("تنزان",), (), "دودوما"),
    ("أوغندا", "Uganda", ("أوغند",), (), "كمبالا"),
    ("رواندا", "Rwanda", ("رواند",), (), "كيغالي"),
    ("الكونغو", "Congo", ("كونغ",), (), "كينشاسا"),
    ("أنغولا", "Angola", ("أنغول",), (), "لواندا"),
    ("السنغال", "Senegal", ("سنغال",), (), "داكار"),
    ("مالي", "Mali", (), (), "باماكو"),
    ("النيجر", "Niger", (), (), "نيامي"),
    ("تشاد", "Chad", ("تشاد",), (), "نجامينا"),
    ("غانا", "Ghana", ("غان",), (), "أكرا"),
    ("الكاميرون", "Cameroon", ("كاميرون",), (), "ياوندي"),
    ("زيمبابوي", "Zimbabwe", (), (), "هراري"),
    ("مولدوفا", "Moldova", ("مولدوف",), (), "كيشيناو"),
    ("ليتوانيا", "Lithuania", ("ليتوان",), (), "فيلنيوس"),
    ("لاتفيا", "Latvia", ("لاتف",), (), "ريغا"),
    ("إستونيا", "Estonia", ("إستون",), (), "تالين"),
    ("سلوفاكيا", "Slovakia", ("سلوفاك",), (), "براتيسلافا"),
    ("كرواتيا", "Croatia", ("كروات",), (), "زغرب"),
    ("البوسنة والهرسك", "Bosnia and Herzegovina", ("بوسن",), ("البوسنة",), "سراييفو"),
    ("ألبانيا", "Albania", ("ألبان",), (), "تيرانا"),
    ("أيرلندا", "Ireland", ("أيرلند",), (), "دبلن"),
    ("نيوزيلندا", "New Zealand", ("نيوزيلند",), (), "ويلينغتون"),
    ("الإكوادور", "Ecuador", ("إكوادور",), (), "كيتو"),
    ("بوليفيا", "Bolivia", ("بوليف",), (), "لاباز"),
    ("أوروغواي", "Uruguay", (), (), "مونتيفيديو"),
    ("باراغواي", "Paraguay", (), (), "أسونسيون"),
]

# Cities that name a meeting place (Arabic, English). Capitals of the countries above are added below.
_CITIES: list[tuple[str, str]] = [
    ("موسكو", "Moscow"),
    ("دوشنبه", "Dushanbe"),
    ("بكين", "Beijing"),
    ("القاهرة", "Cairo"),
    ("نيودلهي", "New Delhi"),
    ("برازيليا", "Brasília"),
    ("سمرقند", "Samarkand"),
    ("طشقند", "Tashkent"),
    ("أستانا", "Astana"),
    ("بيشكيك", "Bishkek"),
    ("عشق آباد", "Ashgabat"),
    ("باكو", "Baku"),
    ("يريفان", "Yerevan"),
    ("مينسك", "Minsk"),
    ("كييف", "Kyiv"),
    ("تبليسي", "Tbilisi"),
    ("واشنطن", "Washington"),
    ("نيويورك", "New York"),
    ("لندن", "London"),
    ("باريس", "Paris"),
    ("برلين", "Berlin"),
    ("روما", "Rome"),
    ("مدريد", "Madrid"),
    ("جنيف", "Geneva"),
    ("فيينا", "Vienna"),
    ("بروكسل", "Brussels"),
    ("أنقرة", "Ankara"),
    ("إسطنبول", "Istanbul"),
    ("أنطاليا", "Antalya"),
    ("طهران", "Tehran"),
    ("إسلام آباد", "Islamabad"),
    ("كابول", "Kabul"),
    ("طوكيو", "Tokyo"),
    ("سيول", "Seoul"),
    ("جاكرتا", "Jakarta"),
    ("هانوي", "Hanoi"),
    ("الرياض", "Riyadh"),
    ("جدة", "Jeddah"),
    ("أبوظبي", "Abu Dhabi"),
    ("دبي", "Dubai"),
    ("الدوحة", "Doha"),
    ("المنامة", "Manama"),
    ("مسقط", "Muscat"),
    ("بغداد", "Baghdad"),
    ("دمشق", "Damascus"),
    ("بيروت", "Beirut"),
    ("الخرطوم", "Khartoum"),
    ("الرباط", "Rabat"),
    ("أديس أبابا", "Addis Ababa"),
    ("بريتوريا", "Pretoria"),
    ("جوهانسبرغ", "Johannesburg"),
    ("سوتشي", "Sochi"),
    ("سانت بطرسبورغ", "Saint Petersburg"),
    ("قازان", "Kazan"),
    ("كازان", "Kazan"),
    ("شنغهاي", "Shanghai"),
    ("مومباي", "Mumbai"),
    ("ريو دي جانيرو", "Rio de Janeiro"),
    ("ساو باولو", "São Paulo"),
    ("هافانا", "Havana"),
    ("كاراكاس", "Caracas"),
    ("بلغراد", "Belgrade"),
    ("بودابست", "Budapest"),
    ("وارسو", "Warsaw"),
]

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


def _norm_words(text: str) -> tuple[str, ...]:
    return tuple(normalize(text).split())


COUNTRIES: dict[str, Country] = {}
# Country names as tuples of normalised words (longest first when matching), and adjective stems.
COUNTRY_NAMES: dict[tuple[str, ...], str] = {}
COUNTRY_STEMS: dict[str, str] = {}
for _ar, _en, _stems, _others, _capital in _COUNTRIES:
    COUNTRIES[_en] = Country(name_ar=_ar, name_en=_en, capital_ar=_capital)
    for _name in (_ar, *_others):
        COUNTRY_NAMES[_norm_words(_name)] = _en
        # "جمهورية طاجيكستان" names the same country.
        COUNTRY_NAMES[(normalize("جمهورية"), *_norm_words(_name))] = _en
    for _stem in _stems:
        COUNTRY_STEMS[normalize(_stem)] = _en

CITIES: dict[tuple[str, ...], tuple[str, str]] = {_norm_words(ar): (ar, en) for ar, en in _CITIES}
CAPITALS: dict[str, tuple[str, str]] = {}
for _country in COUNTRIES.values():
    if _country.capital_ar:
        _key = _norm_words(_country.capital_ar)
        CAPITALS[_country.name_en] = CITIES.get(_key, (_country.capital_ar, ""))


def country_of_adjective(word: str) -> str:
    """English country name for a nationality adjective (الروسي, الطاجيكستانية), or ""."""
    word = normalize(word)
    if not word.startswith("ال"):
        return ""
    return next((COUNTRY_STEMS[b] for b in nisba_bases(word[2:]) if b in COUNTRY_STEMS), "")


def country_ar(name_en: str) -> str:
    country = COUNTRIES.get(name_en)
    return country.name_ar if country else ""
