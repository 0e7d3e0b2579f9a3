from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "huiwen.search"
    verbose_name = "搜索与相关阅读"

    def ready(self) -> None:
        from huiwen.search import handlers, outlets

        handlers.register()
        outlets.register()
