"""A small curated registry of well-known officials, so that Latin queries and the English pages work.

Only one Arabic spelling per person is seeded: the other spellings found in articles are linked by ingest
as proposals, for an editor to confirm.
"""

from django.db import migrations

from archive.text.arabic import normalize

REGISTRY = [
    # (name_ar, name_en, role_key, role_ar, role_en, country_ar, country_en, approved spellings)
    ("سيرغي لافروف", "Sergey Lavrov", "foreign_minister", "وزير الخارجية", "Foreign Minister", "روسيا", "Russia",
     ["سيرغي لافروف", "لافروف", "Sergey Lavrov", "Sergei Lavrov", "Lavrov"]),
    ("ميخائيل ميشوستين", "Mikhail Mishustin", "prime_minister", "رئيس الوزراء", "Prime Minister", "روسيا",
     "Russia", ["ميخائيل ميشوستين", "ميشوستين", "Mikhail Mishustin", "Mishustin"]),
    ("فلاديمير بوتين", "Vladimir Putin", "president", "رئيس الجمهورية", "President", "روسيا", "Russia",
     ["فلاديمير بوتين", "بوتين", "Vladimir Putin", "Putin"]),
    ("ماريا زاخاروفا", "Maria Zakharova", "spokesperson:foreign", "المتحدثة الرسمية باسم وزارة الخارجية",
     "Foreign Ministry Spokesperson", "روسيا", "Russia", ["ماريا زاخاروفا", "زاخاروفا", "Maria Zakharova",
                                                         "Zakharova"]),
    ("سيرغي شويغو", "Sergei Shoigu", "minister:" + normalize("الدفاع"), "وزير الدفاع", "Minister of Defence",
     "روسيا", "Russia", ["سيرغي شويغو", "شويغو", "Sergei Shoigu", "Sergey Shoigu", "Shoigu"]),
    ("إمام علي رحمون", "Emomali Rahmon", "president", "رئيس الجمهورية", "President", "طاجيكستان", "Tajikistan",
     ["إمام علي رحمون", "رحمون", "Emomali Rahmon", "Emomali Rakhmon", "Rahmon"]),
    ("سراج الدين مهر الدين", "Sirojiddin Muhriddin", "foreign_minister", "وزير الخارجية", "Foreign Minister",
     "طاجيكستان", "Tajikistan", ["سراج الدين مهر الدين", "Sirojiddin Muhriddin", "Sirojiddin Mukhriddin",
                                "Muhriddin", "Mukhriddin"]),
]


def _key(name):
    return " ".join(normalize(name).split())


def seed(apps, schema_editor):
    Official = apps.get_model("entities", "Official")
    OfficialAlias = apps.get_model("entities", "OfficialAlias")
    for name_ar, name_en, role_key, role_ar, role_en, country_ar, country_en, spellings in REGISTRY:
        official, _ = Official.objects.get_or_create(
            name_en=name_en,
            defaults={
                "name_ar": name_ar,
                "role_key": role_key,
                "role_ar": role_ar,
                "role_en": role_en,
                "country_ar": country_ar,
                "country_en": country_en,
                "status": "approved",
                "curated": True,
            },
        )
        for spelling in spellings:
            OfficialAlias.objects.get_or_create(
                official=official,
                key=_key(spelling),
                defaults={
                    "name": spelling,
                    "script": "latin" if spelling.isascii() else "ar",
                    "status": "approved",
                },
            )


def unseed(apps, schema_editor):
    Official = apps.get_model("entities", "Official")
    Official.objects.filter(name_en__in=[row[1] for row in REGISTRY], curated=True).delete()


class Migration(migrations.Migration):
    dependencies = [("entities", "0002_curation_fields")]

    operations = [migrations.RunPython(seed, unseed)]
