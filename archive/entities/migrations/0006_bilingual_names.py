"""English names of the places, countries and sources the articles name in Arabic.

Seeded with the sources of the seeds (TASS) and of the ANT corpus, the countries and cities of the seeds'
meetings, and every country and city of the extraction's gazetteer (entities/places.py) that at least 100
ANT articles name; editors add and correct rows in the admin.
"""

from django.db import migrations, models

SOURCES = [
    ("تاس", "TASS"),
    ("سكاي نيوز عربية", "Sky News Arabia"),
    ("العربية", "Al Arabiya"),
    ("فرانس 24", "France 24"),
    ("بي بي سي عربي", "BBC Arabic"),
    ("سي إن إن بالعربية", "CNN Arabic"),
]
COUNTRIES = [
    ("أفغانستان", "Afghanistan"),
    ("الجزائر", "Algeria"),
    ("الأرجنتين", "Argentina"),
    ("أرمينيا", "Armenia"),
    ("أستراليا", "Australia"),
    ("النمسا", "Austria"),
    ("أذربيجان", "Azerbaijan"),
    ("البحرين", "Bahrain"),
    ("بيلاروس", "Belarus"),
    ("بلجيكا", "Belgium"),
    ("البرازيل", "Brazil"),
    ("الكاميرون", "Cameroon"),
    ("كندا", "Canada"),
    ("تشيلي", "Chile"),
    ("الصين", "China"),
    ("كولومبيا", "Colombia"),
    ("الكونغو", "Congo"),
    ("كرواتيا", "Croatia"),
    ("كوبا", "Cuba"),
    ("قبرص", "Cyprus"),
    ("التشيك", "Czech Republic"),
    ("الدنمارك", "Denmark"),
    ("مصر", "Egypt"),
    ("إثيوبيا", "Ethiopia"),
    ("فرنسا", "France"),
    ("ألمانيا", "Germany"),
    ("اليونان", "Greece"),
    ("المجر", "Hungary"),
    ("الهند", "India"),
    ("إندونيسيا", "Indonesia"),
    ("إيران", "Iran"),
    ("العراق", "Iraq"),
    ("أيرلندا", "Ireland"),
    ("إسرائيل", "Israel"),
    ("إيطاليا", "Italy"),
    ("اليابان", "Japan"),
    ("الأردن", "Jordan"),
    ("كازاخستان", "Kazakhstan"),
    ("الكويت", "Kuwait"),
    ("قيرغيزستان", "Kyrgyzstan"),
    ("لبنان", "Lebanon"),
    ("ليبيا", "Libya"),
    ("ماليزيا", "Malaysia"),
    ("مالي", "Mali"),
    ("المكسيك", "Mexico"),
    ("المغرب", "Morocco"),
    ("هولندا", "Netherlands"),
    ("نيجيريا", "Nigeria"),
    ("كوريا الشمالية", "North Korea"),
    ("النرويج", "Norway"),
    ("باكستان", "Pakistan"),
    ("فلسطين", "Palestine"),
    ("بيرو", "Peru"),
    ("الفلبين", "Philippines"),
    ("بولندا", "Poland"),
    ("البرتغال", "Portugal"),
    ("قطر", "Qatar"),
    ("روسيا", "Russia"),
    ("السعودية", "Saudi Arabia"),
    ("السنغال", "Senegal"),
    ("صربيا", "Serbia"),
    ("سنغافورة", "Singapore"),
    ("الصومال", "Somalia"),
    ("جنوب أفريقيا", "South Africa"),
    ("كوريا الجنوبية", "South Korea"),
    ("إسبانيا", "Spain"),
    ("السودان", "Sudan"),
    ("السويد", "Sweden"),
    ("سويسرا", "Switzerland"),
    ("سوريا", "Syria"),
    ("طاجيكستان", "Tajikistan"),
    ("تايلاند", "Thailand"),
    ("تونس", "Tunisia"),
    ("تركيا", "Turkey"),
    ("تركمانستان", "Turkmenistan"),
    ("أوكرانيا", "Ukraine"),
    ("الإمارات", "United Arab Emirates"),
    ("بريطانيا", "United Kingdom"),
    ("الولايات المتحدة", "United States"),
    ("أوروغواي", "Uruguay"),
    ("أوزبكستان", "Uzbekistan"),
    ("فنزويلا", "Venezuela"),
    ("اليمن", "Yemen"),
]
PLACES = [
    ("أبوظبي", "Abu Dhabi"),
    ("أديس أبابا", "Addis Ababa"),
    ("أنقرة", "Ankara"),
    ("عشق آباد", "Ashgabat"),
    ("أستانا", "Astana"),
    ("بغداد", "Baghdad"),
    ("باكو", "Baku"),
    ("بيشكيك", "Bishkek"),
    ("بكين", "Beijing"),
    ("بيروت", "Beirut"),
    ("برلين", "Berlin"),
    ("برازيليا", "Brasília"),
    ("بروكسل", "Brussels"),
    ("القاهرة", "Cairo"),
    ("دمشق", "Damascus"),
    ("الدوحة", "Doha"),
    ("دبي", "Dubai"),
    ("دوشنبه", "Dushanbe"),
    ("جنيف", "Geneva"),
    ("إسطنبول", "Istanbul"),
    ("جدة", "Jeddah"),
    ("كازان", "Kazan"),
    ("قازان", "Kazan"),
    ("الخرطوم", "Khartoum"),
    ("كييف", "Kyiv"),
    ("لندن", "London"),
    ("مدريد", "Madrid"),
    ("مينسك", "Minsk"),
    ("موسكو", "Moscow"),
    ("مسقط", "Muscat"),
    ("نيودلهي", "New Delhi"),
    ("نيويورك", "New York"),
    ("باريس", "Paris"),
    ("الرباط", "Rabat"),
    ("الرياض", "Riyadh"),
    ("روما", "Rome"),
    ("سانت بطرسبورغ", "Saint Petersburg"),
    ("سمرقند", "Samarkand"),
    ("سيول", "Seoul"),
    ("شنغهاي", "Shanghai"),
    ("سوتشي", "Sochi"),
    ("طشقند", "Tashkent"),
    ("طهران", "Tehran"),
    ("طوكيو", "Tokyo"),
    ("فيينا", "Vienna"),
    ("واشنطن", "Washington"),
    ("يريفان", "Yerevan"),
]


def seed(apps, schema_editor):
    BilingualName = apps.get_model("entities", "BilingualName")
    for kind, rows in (("source", SOURCES), ("country", COUNTRIES), ("place", PLACES)):
        for name_ar, name_en in rows:
            BilingualName.objects.get_or_create(kind=kind, name_ar=name_ar, defaults={"name_en": name_en})


def unseed(apps, schema_editor):
    pass  # the table goes with the model


class Migration(migrations.Migration):
    dependencies = [
        ("entities", "0005_statements_topics"),
    ]

    operations = [
        migrations.CreateModel(
            name="BilingualName",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("place", "Place"), ("country", "Country"), ("source", "Source")],
                        db_index=True,
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                (
                    "name_ar",
                    models.CharField(
                        help_text="As the articles write it, e.g. موسكو or تاس.",
                        max_length=200,
                        verbose_name="Arabic name",
                    ),
                ),
                (
                    "name_en",
                    models.CharField(
                        help_text="For example: Moscow or TASS.", max_length=200, verbose_name="English name"
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
            ],
            options={
                "verbose_name": "bilingual name",
                "verbose_name_plural": "bilingual names",
                "ordering": ["kind", "name_en"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "name_ar"), name="bilingual_name_unique_arabic_per_kind"
                    )
                ],
            },
        ),
        migrations.RunPython(seed, unseed),
    ]
