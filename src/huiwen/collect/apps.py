from django.apps import AppConfig


class CollectConfig(AppConfig):
    name = "huiwen.collect"
    verbose_name = "采集"

    def ready(self) -> None:
        from huiwen.collect import handlers

        handlers.register()
