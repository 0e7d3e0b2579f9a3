from django.apps import AppConfig


class AuthCommandsConfig(AppConfig):
    name = "huiwen.authcommands"
    label = "authcommands"
    verbose_name = "账号命令"
