"""Site URLs. Channel pages are the catch-all at the end: a channel's URL is its path of slugs."""

from django.contrib import admin
from django.urls import include, path, re_path

from huiwen.reader.views import collector_page, media_file

urlpatterns = [
    path("admin/", admin.site.urls),
    path("about/collector/", collector_page, name="about-collector"),
    # Collected images. At scale nginx serves $HUIWEN_DATA_DIR/media/ itself (docs/deployment.md);
    # this keeps the embedded default complete with nothing else to run.
    re_path(r"^media/(?P<path>img/[0-9a-f/]+\.(?:jpg|png|gif|webp|bmp))$", media_file),
    path("newsroom/", include("huiwen.desk.urls")),  # issue 7: the editors' desk (huiwen.desk)
    path("api/", include("huiwen.api.urls")),  # issue 8: the read-only JSON API (/api/v1/)
    path("", include("huiwen.reader.search_urls")),  # issue 5: /search
    path("", include("huiwen.takedown.urls")),
    path("", include("huiwen.reader.urls")),
]

handler404 = "huiwen.reader.errors.not_found"
handler500 = "huiwen.reader.errors.server_error"
