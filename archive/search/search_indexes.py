from haystack import indexes

from archive.articles.models import Article


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, use_template=True)
    title = indexes.CharField(model_attr="title", boost=2.0)
    published_on = indexes.DateField(model_attr="published_on", null=True)
    source = indexes.CharField(model_attr="source", faceted=True)

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return self.get_model().objects.visible()
