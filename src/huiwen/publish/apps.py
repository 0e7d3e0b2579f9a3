from django.apps import AppConfig


class PublishConfig(AppConfig):
    name = "huiwen.publish"
    verbose_name = "发布与缓存"

    def ready(self) -> None:
        from huiwen.publish import signals

        signals.connect()
