"""Site URLs. Channel pages are the catch-all at the end: a channel's URL is its path of slugs."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("huiwen.search.urls")),  # issue 5: /search
    path("", include("huiwen.reader.urls")),
]

handler404 = "huiwen.reader.errors.not_found"
handler500 = "huiwen.reader.errors.server_error"
