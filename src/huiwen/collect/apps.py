from django.apps import AppConfig


class CollectConfig(AppConfig):
    name = "huiwen.collect"
    verbose_name = "采集"
