"""Django admin for the newsroom, in Chinese (LANGUAGE_CODE zh-hans)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from huiwen.newsroom.models import Article, Channel, ChannelRedirect, Publisher

admin.site.site_header = "汇闻 管理后台"
admin.site.site_title = "汇闻 管理后台"
admin.site.index_title = "内容管理"


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin[Channel]):
    list_display = ["__str__", "path", "position", "live", "public"]
    list_editable = ["position", "live"]
    list_filter = ["live", "depth"]
    search_fields = ["name", "slug", "path"]
    readonly_fields = ["path", "depth", "public"]
    fields = ["name", "slug", "parent", "position", "live", "description", "path", "depth", "public"]


@admin.register(ChannelRedirect)
class ChannelRedirectAdmin(admin.ModelAdmin[ChannelRedirect]):
    list_display = ["old_path", "channel", "created_at"]
    search_fields = ["old_path"]


@admin.register(Publisher)
class PublisherAdmin(admin.ModelAdmin[Publisher]):
    list_display = ["name", "newspaper", "url"]
    search_fields = ["name", "newspaper"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin[Article]):
    list_display = ["title", "channel", "publisher", "status", "published_at", "editor"]
    list_filter = ["status", "channel", "publisher"]
    search_fields = ["title", "original_title", "source_url"]
    date_hierarchy = "published_at"
    list_select_related = ["channel", "publisher"]
    autocomplete_fields = ["channel", "publisher"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "column", "channel", "status", "published_at"]}),
        ("转载署名", {"fields": ["publisher", "source_url", "original_title", "original_author", "editor"]}),
        ("内容", {"fields": ["lede", "body"]}),
        ("版面出处", {"fields": ["print_newspaper", "print_date", "print_page"]}),
        ("记录", {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        return super().get_queryset(request).select_related("channel", "publisher")
