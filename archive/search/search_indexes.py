"""What the search index holds for an article: analysed text per strictness mode, and facet values.

The one declaration of a document, read by every engine: the fields are those of `archive.search.schema`
(names, analysis, boosts), filled by the `prepare_*` methods from the articles of `index_queryset()`.
Only identifiers are stored in the index: titles and snippets come from the database.
"""

from django.db.models import Prefetch
from haystack import indexes

from archive.articles.models import Article
from archive.entities.models import Meeting, OfficialAlias, ReviewStatus
from archive.search import schema


class KeywordField(indexes.CharField):
    """One untokenised value (a source name): filterable, sortable and countable as a facet."""

    field_type = "keyword"


class KeywordListField(indexes.MultiValueField):
    """Several untokenised values (official ids, place names): each one filterable and countable."""

    field_type = "keyword_list"


class ArabicTextField(indexes.CharField):
    """Text analysed as `archive.search.schema.TEXT_FIELDS[name]` says (mode, positions, boost)."""

    def __init__(self, *, name: str, **kwargs):
        spec = schema.TEXT_FIELDS[name]
        self.mode = spec.mode
        self.positions = spec.positions
        super().__init__(boost=spec.boost, **kwargs)


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    # The same title and body analysed twice: stemmed (the default mode; positions for phrases), and
    # normalised (all modes; phrases use the stemmed positions), plus the written forms that normalisation
    # changed (the exact mode; see schema.py).
    text = ArabicTextField(name=schema.TEXT, document=True, use_template=True)
    title = ArabicTextField(name=schema.TITLE, model_attr="title")
    text_norm = ArabicTextField(name=schema.TEXT_NORM)
    title_norm = ArabicTextField(name=schema.TITLE_NORM)
    text_written = ArabicTextField(name=schema.TEXT_WRITTEN)
    title_written = ArabicTextField(name=schema.TITLE_WRITTEN)
    # Every approved spelling of the officials the article mentions, so any of them finds it.
    official_names = ArabicTextField(name=schema.NAMES)

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
        # Lists (`to_attr`), not related managers: Django makes a filtered queryset per article and per
        # official for a prefetched manager (two fifths of reading and preparing a rebuild's documents).
        approved = OfficialAlias.objects.filter(status=ReviewStatus.APPROVED)
        return (
            self.get_model()
            .objects.visible()
            .prefetch_related(
                Prefetch("mentions", to_attr="index_mentions"),
                Prefetch("index_mentions__official__aliases", approved, to_attr="index_aliases"),
                Prefetch("index_mentions__official__merged_into__aliases", approved, to_attr="index_aliases"),
                Prefetch("meetings", Meeting.objects.visible(), to_attr="index_meetings"),
            )
        )

    def get_updated_field(self):
        return "updated_at"

    def prepare_text_norm(self, obj):
        return self.prepared_data[schema.TEXT]

    def prepare_title_norm(self, obj):
        return obj.title

    def prepare_text_written(self, obj):
        return self.prepared_data[schema.TEXT]

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
        return sorted({meeting.place_ar for meeting in obj.index_meetings if meeting.place_ar})

    def prepare_meetings(self, obj):
        return sorted({str(meeting.pk) for meeting in obj.index_meetings})


def updated_stamp(article: Article) -> int:
    """The row's last change in whole microseconds: equal in database and index means up to date."""
    return int(article.updated_at.timestamp() * 1_000_000) if article.updated_at else 0


# The helpers below read the lists `index_queryset()` prefetches.


def official_spellings(official) -> list[str]:
    names = [official.name_ar, official.name_en] + [alias.name for alias in official.index_aliases]
    return [name for name in names if name]


def _officials(article: Article) -> list:
    officials = []
    for mention in article.index_mentions:
        official = mention.official.merged_into or mention.official
        if official.status != ReviewStatus.REJECTED:
            officials.append(official)
    return officials
