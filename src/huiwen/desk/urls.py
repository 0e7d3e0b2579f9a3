"""The editors' desk under /newsroom/ (mounted in huiwen.urls); URL names keep the "backoffice" namespace."""

from django.urls import path, re_path

from huiwen.desk.views import article, auth, channels, live, notices, phrases, queue, sources, words

app_name = "backoffice"

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("login/unlock/", auth.request_unlock, name="request-unlock"),  # issue 13
    path("login/unlock/<str:uid>/<str:token>/", auth.unlock, name="unlock"),
    path("", queue.queue, name="queue"),
    path("bulk/", queue.bulk, name="bulk"),
    path("a/<int:pk>/", article.preview, name="article"),
    path("a/<int:pk>/edit/", article.edit, name="edit"),
    path("a/<int:pk>/act/", article.act, name="act"),
    path("a/<int:pk>/source-diff/", article.source_diff, name="source-diff"),
    path("a/<int:pk>/history/", article.history, name="history"),
    path("a/<int:pk>/history/<int:history_id>/restore/", article.restore, name="restore"),
    path("a/<int:pk>/page/", article.page_preview, name="page-preview"),
    path("a/<int:pk>/revision/<int:revision_id>/", live.revision, name="revision"),
    path("a/<int:pk>/revision/<int:revision_id>/approve/", live.approve, name="revision-approve"),
    path("a/<int:pk>/revision/<int:revision_id>/decline/", live.decline, name="revision-decline"),
    path("channels/", channels.tree, name="channels"),
    path("channels/<int:pk>/move/", channels.move, name="channel-move"),
    re_path(r"^channels/(?P<pk>[0-9]+)/(?P<direction>up|down)/$", channels.reorder, name="channel-reorder"),
    path("channels/<int:pk>/toggle/", channels.toggle, name="channel-toggle"),
    path("sources/", sources.sources, name="sources"),
    path("sources/<int:pk>/", sources.source_detail, name="source"),
    path("collect/", sources.collect_url, name="collect"),
    path("audit/", sources.audit_log, name="audit"),
    path("words/", words.words, name="words"),
    path("words/import/", words.import_words, name="words-import"),
    path("words/<int:pk>/toggle/", words.toggle_word, name="word-toggle"),
    path("words/<int:pk>/delete/", words.delete_word, name="word-delete"),
    path("phrases/", phrases.phrases, name="phrases"),  # issue 12: the Traditional edition's phrase list
    path("phrases/<int:pk>/delete/", phrases.delete_phrase, name="phrase-delete"),
    # issue 13: the compliance officer's notice desk (desk.views.notices)
    path("notices/", notices.notices, name="notices"),
    path("notices/<int:pk>/", notices.notice, name="notice"),
    path("notices/<int:pk>/act/", notices.act, name="notice-act"),
]
