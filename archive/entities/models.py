from django.db import models
from django.utils.translation import gettext_lazy as _

from archive.articles.links import record_url
from archive.articles.models import Article
from archive.articles.storage import TextJSONEncoder


class ReviewStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


def listed_officials(prefix: str = "") -> models.Q:
    """Officials analysts see: not rejected and not merged into another. `prefix` ("official__") reaches
    them through a relation, as a join: a sub-select of every listed official made SQLite probe each one."""
    return ~models.Q(**{f"{prefix}status": ReviewStatus.REJECTED}) & models.Q(
        **{f"{prefix}merged_into__isnull": True}
    )


def visible_meetings(prefix: str = "") -> models.Q:
    """Meetings analysts see: every one an editor has not rejected (proposed ones included)."""
    return ~models.Q(**{f"{prefix}status": ReviewStatus.REJECTED})


class OfficialQuerySet(models.QuerySet):
    def listed(self) -> "OfficialQuerySet":
        return self.filter(listed_officials())


class MeetingQuerySet(models.QuerySet):
    def visible(self) -> "MeetingQuerySet":
        return self.filter(visible_meetings())


class Official(models.Model):
    name_ar = models.CharField(_("Arabic name"), max_length=200)
    name_en = models.CharField(
        _("English name"), max_length=200, blank=True, help_text=_("Empty until an editor curates it.")
    )
    role_ar = models.CharField(_("role (Arabic)"), max_length=300, blank=True)
    role_en = models.CharField(_("role (English)"), max_length=300, blank=True)
    country_ar = models.CharField(_("country (Arabic)"), max_length=100, blank=True)
    country_en = models.CharField(_("country (English)"), max_length=100, blank=True)
    role_key = models.CharField(
        _("post"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("The post in a form comparable across spellings, e.g. foreign_minister."),
    )
    name_en_suggested = models.CharField(
        _("suggested English name"),
        max_length=200,
        blank=True,
        help_text=_("A rough transliteration to help curating the English name."),
    )
    curated = models.BooleanField(
        _("curated"),
        default=False,
        help_text=_("An editor decided or edited this record: ingest no longer changes it."),
    )
    status = models.CharField(
        _("review status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PROPOSED
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
        help_text=_("Set when an editor merged this official into another."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OfficialQuerySet.as_manager()

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        ordering = ["name_ar"]
        indexes = [
            models.Index(fields=["status"], name="official_status_idx"),
            # The stamp every search checks (archive/search/names.py): the newest edit, from the index.
            models.Index(fields=["updated_at"], name="official_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.name_ar

    def get_absolute_url(self) -> str:
        return record_url("web:official", self.pk)


class OfficialAlias(models.Model):
    class Script(models.TextChoices):
        ARABIC = "ar", _("Arabic")
        LATIN = "latin", _("Latin")

    official = models.ForeignKey(
        Official, verbose_name=_("official"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("spelling"), max_length=200)
    key = models.CharField(
        _("normalised key"),
        max_length=200,
        db_index=True,
        editable=False,
        help_text=_("The spelling after Arabic normalisation, used for matching."),
    )
    script = models.CharField(_("script"), max_length=5, choices=Script.choices, default=Script.ARABIC)
    status = models.CharField(
        _("review status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PROPOSED
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("name variant")
        verbose_name_plural = _("name variants")
        ordering = ["official", "name"]
        constraints = [
            models.UniqueConstraint(fields=["official", "key"], name="alias_unique_key_per_official")
        ]
        # The stamp every search checks (archive/search/names.py) counts the spellings per status from it.
        indexes = [models.Index(fields=["status"], name="alias_status_idx")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        alias = super().from_db(db, field_names, values)
        # The status as stored, so that a save can tell whether the spelling was approved before (only
        # approved spellings are in search entries: archive/search/signals.py).
        alias.loaded_status = alias.status if "status" in field_names else None
        return alias


class Meeting(models.Model):
    class Kind(models.TextChoices):
        TALKS = "talks", _("Talks")
        OFFICIAL_VISIT = "visit", _("Official visit")
        PHONE_CALL = "phone", _("Phone call")
        INTERVIEW = "interview", _("Interview")
        MULTILATERAL = "multilateral", _("Multilateral meeting")
        OTHER = "other", _("Other")

    date = models.DateField(_("date"), null=True, blank=True, help_text=_("Empty when no source says."))
    place_ar = models.CharField(_("place (Arabic)"), max_length=200, blank=True)
    place_en = models.CharField(_("place (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TALKS)
    summary = models.TextField(_("summary"), blank=True)
    participants = models.ManyToManyField(
        Official, verbose_name=_("participants"), related_name="meetings", blank=True
    )
    articles = models.ManyToManyField(
        Article, verbose_name=_("reporting articles"), related_name="meetings", blank=True
    )
    provenance = models.JSONField(
        _("provenance"),
        default=dict,
        blank=True,
        encoder=TextJSONEncoder,
        help_text=_("For each extracted field: the article and the sentence it came from."),
    )
    status = models.CharField(
        _("review status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PROPOSED
    )
    curated = models.BooleanField(
        _("curated"),
        default=False,
        help_text=_("An editor decided or edited this record: ingest no longer changes it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["date"], name="meeting_date_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date or '?'} {self.place_ar}".strip()

    def get_absolute_url(self) -> str:
        return record_url("web:meeting", self.pk)


class Mention(models.Model):
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="mentions"
    )
    official = models.ForeignKey(
        Official, verbose_name=_("official"), on_delete=models.CASCADE, related_name="mentions"
    )
    surface = models.CharField(
        _("as written"), max_length=200, help_text=_("The name as the article spells it.")
    )
    role_ar = models.CharField(
        _("role in this article"), max_length=300, blank=True, help_text=_("People change posts.")
    )
    count = models.PositiveIntegerField(_("count"), default=1)
    sentence = models.TextField(_("sentence"), blank=True, help_text=_("The first sentence that names them."))

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        ordering = ["article", "-count"]
        constraints = [
            models.UniqueConstraint(fields=["article", "official"], name="mention_unique_per_article")
        ]

    def __str__(self) -> str:
        return f"{self.official} @ {self.article_id}"


class Institution(models.Model):
    """A ministry, office or government that speaks as a body (المكتب الصحفي للحكومة الروسية)."""

    name_ar = models.CharField(_("Arabic name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    key = models.CharField(
        _("normalised key"),
        max_length=200,
        unique=True,
        editable=False,
        help_text=_("The name after Arabic normalisation, used for matching."),
    )

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name_ar"]

    def __str__(self) -> str:
        return self.name_ar


class Statement(models.Model):
    """Something an official or an institution said, exactly as the article quotes or reports it."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="statements"
    )
    official = models.ForeignKey(
        Official,
        verbose_name=_("speaker (official)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="statements",
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("speaker (institution)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="statements",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
        help_text=_("The meeting it was said at, when the article ties them."),
    )
    text = models.TextField(_("text"), help_text=_("Exactly as in the article."))
    text_norm = models.TextField(
        _("normalised text"),
        blank=True,
        editable=False,
        help_text=_("The text in normalised Arabic, for search."),
    )
    start = models.PositiveIntegerField(_("start"), help_text=_("Character offset into the article body."))
    end = models.PositiveIntegerField(_("end"), help_text=_("Character offset where the text ends."))
    verb = models.CharField(_("reporting verb"), max_length=50)
    direct = models.BooleanField(_("direct speech"), default=False)
    date = models.DateField(_("date"), null=True, blank=True)
    sentence = models.TextField(_("sentence"), blank=True, help_text=_("The sentence it came from."))
    status = models.CharField(
        _("review status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PROPOSED
    )
    curated = models.BooleanField(
        _("curated"),
        default=False,
        help_text=_("An editor decided or edited this record: ingest no longer changes it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["official", "date"], name="statement_official_date_idx")]
        constraints = [
            models.UniqueConstraint(fields=["article", "start"], name="statement_unique_start_per_article")
        ]

    def __str__(self) -> str:
        return f"{self.speaker}: {self.text[:60]}"

    @property
    def speaker(self) -> "Official | Institution | None":
        return self.official or self.institution


class Topic(models.Model):
    """One entry of the curated agenda vocabulary (trade and economy, security and defence, ...)."""

    key = models.SlugField(_("key"), max_length=50, unique=True)
    name_ar = models.CharField(_("Arabic name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    triggers = models.JSONField(
        _("trigger words"),
        default=list,
        blank=True,
        help_text=_("Arabic words that assign the topic; matched by stem, any spelling."),
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name_ar


class MeetingTopic(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="meeting_topics"
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="meeting_topics"
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meeting_topics",
    )
    sentence = models.TextField(_("sentence"), blank=True, help_text=_("The agenda sentence it came from."))
    status = models.CharField(
        _("review status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PROPOSED
    )
    curated = models.BooleanField(
        _("curated"),
        default=False,
        help_text=_("An editor decided or edited this record: ingest no longer changes it."),
    )

    class Meta:
        verbose_name = _("meeting topic")
        verbose_name_plural = _("meeting topics")
        ordering = ["meeting", "topic"]
        constraints = [models.UniqueConstraint(fields=["meeting", "topic"], name="meeting_topic_unique")]

    def __str__(self) -> str:
        return f"{self.meeting} — {self.topic}"


class BilingualName(models.Model):
    """The English name of a place, country or news source the articles name in Arabic.

    Pages show the name in their language and search reads an English name typed in a query as the Arabic
    one (archive/entities/bilingual.py, archive/search/names.py).
    """

    class Kind(models.TextChoices):
        PLACE = "place", _("Place")
        COUNTRY = "country", _("Country")
        SOURCE = "source", _("Source")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, db_index=True)
    name_ar = models.CharField(
        _("Arabic name"), max_length=200, help_text=_("As the articles write it, e.g. موسكو or تاس.")
    )
    name_en = models.CharField(_("English name"), max_length=200, help_text=_("For example: Moscow or TASS."))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("bilingual name")
        verbose_name_plural = _("bilingual names")
        ordering = ["kind", "name_en"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name_ar"], name="bilingual_name_unique_arabic_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.name_ar} / {self.name_en}"
