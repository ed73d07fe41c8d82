"""What the search index holds for an article: analysed text per strictness mode, and facet values.

Only identifiers are stored in the index: titles and snippets come from the database.
"""

from haystack import indexes

from archive.articles.models import Article
from archive.search.backend import ArabicTextField, KeywordField, KeywordListField


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    # The same title and body analysed twice: stemmed (the default mode; positions for phrases), and
    # normalised (all modes; phrases use the stemmed positions), plus the written forms that normalisation
    # changed (the exact mode; see fields.py).
    text = ArabicTextField(document=True, use_template=True, mode="stemmed")
    title = ArabicTextField(model_attr="title", boost=2.0, mode="stemmed")
    text_norm = ArabicTextField(mode="normalized", positions=False)
    title_norm = ArabicTextField(boost=2.0, mode="normalized", positions=False)
    text_written = ArabicTextField(mode="written", positions=False)
    title_written = ArabicTextField(boost=2.0, mode="written", positions=False)
    # Every approved spelling of the officials the article mentions, so any of them finds it.
    official_names = ArabicTextField(mode="normalized")

    date = indexes.DateField(model_attr="published_on", null=True)
    year = indexes.IntegerField(null=True, stored=False)
    source = KeywordField(model_attr="source")
    officials = KeywordListField()
    places = KeywordListField()
    meetings = KeywordListField()
    # When the database row last changed: `check_index` compares it to find stale entries.
    updated = indexes.IntegerField(stored=True, indexed=False)

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return (
            self.get_model()
            .objects.visible()
            .prefetch_related("mentions__official__aliases", "mentions__official__merged_into__aliases")
            .prefetch_related("meetings")
        )

    def get_updated_field(self):
        return "updated_at"

    def prepare_text_norm(self, obj):
        return self.prepared_data["text"]

    def prepare_title_norm(self, obj):
        return obj.title

    def prepare_text_written(self, obj):
        return self.prepared_data["text"]

    def prepare_title_written(self, obj):
        return obj.title

    def prepare_year(self, obj):
        return obj.published_on.year if obj.published_on else None

    def prepare_updated(self, obj):
        return updated_stamp(obj)

    def prepare_officials(self, obj):
        return sorted({str(official.pk) for official in _officials(obj)})

    def prepare_official_names(self, obj):
        return "\n".join(
            sorted({name for official in _officials(obj) for name in official_spellings(official)})
        )

    def prepare_places(self, obj):
        return sorted({meeting.place_ar for meeting in _meetings(obj) if meeting.place_ar})

    def prepare_meetings(self, obj):
        return sorted({str(meeting.pk) for meeting in _meetings(obj)})


def updated_stamp(article: Article) -> int:
    """The row's last change in whole microseconds: equal in database and index means up to date."""
    return int(article.updated_at.timestamp() * 1_000_000) if article.updated_at else 0


def official_spellings(official) -> list[str]:
    from archive.entities.models import ReviewStatus

    names = [official.name_ar, official.name_en]
    names += [alias.name for alias in official.aliases.all() if alias.status == ReviewStatus.APPROVED]
    return [name for name in names if name]


def _officials(article: Article) -> list:
    from archive.entities.models import ReviewStatus

    officials = []
    for mention in article.mentions.all():
        official = mention.official.merged_into or mention.official
        if official.status != ReviewStatus.REJECTED:
            officials.append(official)
    return officials


def _meetings(article: Article) -> list:
    from archive.entities.models import ReviewStatus

    return [meeting for meeting in article.meetings.all() if meeting.status != ReviewStatus.REJECTED]
