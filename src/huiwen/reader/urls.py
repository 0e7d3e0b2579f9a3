from django.urls import path, re_path

from huiwen.reader import feeds, sitemaps, views
from huiwen.reader.methods import safe_only

app_name = "reader"

# Slugs of the channel path: lowercase ASCII, digits, hyphens (see newsroom.models.slug_validator).
CHANNEL_PATH = r"(?P<path>[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*)"

urlpatterns = [
    path("", views.home, name="home"),
    path("a/<int:pk>.html", views.article, name="article"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("feed/rss.xml", safe_only(feeds.LatestArticlesRss()), name="feed-rss"),
    path("feed/atom.xml", safe_only(feeds.LatestArticlesAtom()), name="feed-atom"),
    path("sitemap.xml", safe_only(sitemaps.sitemap_index), name="sitemap"),
    path("sitemap-<slug:section>.xml", safe_only(sitemaps.sitemap_section), name="sitemap-section"),
    re_path(rf"^{CHANNEL_PATH}/$", views.channel, name="channel"),
    re_path(rf"^{CHANNEL_PATH}/index_(?P<page>[0-9]{{1,6}})\.html$", views.channel, name="channel-page"),
    re_path(rf"^{CHANNEL_PATH}/rss\.xml$", safe_only(feeds.ChannelRss()), name="channel-rss"),
    re_path(rf"^{CHANNEL_PATH}/atom\.xml$", safe_only(feeds.ChannelAtom()), name="channel-atom"),
]
