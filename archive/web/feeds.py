from django.contrib.syndication.views import Feed


class LatestArticlesFeed(Feed):
    title = "Diwan"
    link = "/"

    def items(self):
        return []


SearchFeed = LatestArticlesFeed
OfficialFeed = LatestArticlesFeed
