from django.apps import AppConfig


class PublishConfig(AppConfig):
    name = "huiwen.publish"
    verbose_name = "发布与缓存"

    def ready(self) -> None:
        from huiwen.newsroom import tags
        from huiwen.publish import handlers, static

        handlers.register()
        # A change deletes the published files that show it, so nginx falls back to the app.
        tags.on_change(static.unpublish_dependents)
