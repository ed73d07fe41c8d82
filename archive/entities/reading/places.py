"""Countries, their nationality adjectives and capitals, and cities that name meeting places.

Compared in the form `archive.text.arabic.normalize` gives, like the word lists in `lexicon`.
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
