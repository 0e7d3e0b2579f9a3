from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "huiwen.newsroom"
    verbose_name = "编辑部"

    def ready(self) -> None:
        from huiwen.newsroom import handlers

        handlers.register()
