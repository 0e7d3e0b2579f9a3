from django.apps import AppConfig


class TakedownConfig(AppConfig):
    name = "huiwen.takedown"
    verbose_name = "侵权处理"
