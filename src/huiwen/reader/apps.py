from django.apps import AppConfig


class ReaderConfig(AppConfig):
    name = "huiwen.reader"
    verbose_name = "读者页面"
