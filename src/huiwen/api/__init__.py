"""The read-only JSON API (issue 8, item 7): articles, channels and search under /api/v1/.

Built with django-ninja: typed parameters and responses give the OpenAPI 3.1 document at
/api/v1/openapi.json, which schemathesis checks against the running app (tests/api). Every
article the API shows comes from Article.objects.visible(); search runs through
huiwen.search.service, exactly as /search does.
"""
