"""The demo's sample source site: a small news site, authored for huiwen, served on loopback.

`huiwen demo` starts it beside the portal and collects it through the real pipeline, so a
newcomer sees the main job happen: discovery (an RSS feed, a sitemap index with a news
sitemap, paginated list pages), polite conditional fetching, decoding (UTF-8, GB18030 declared
as gb2312, GBK, Big5), extraction from three page templates with no per-site rules, screening,
the review queue, stories and the source dashboard.

- `content`: the articles (fictional outlets, people and places; pure data);
- `pages`: those articles rendered as the site's pages, feed, sitemaps and list pages;
- `server`: the HTTP server, answering conditional requests with 304;
- `setup`: the channels, sources, editor and word lists that point huiwen at it.
"""
