from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "huiwen.newsroom"
    verbose_name = "编辑部"
