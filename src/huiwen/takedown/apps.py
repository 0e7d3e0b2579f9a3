from django.apps import AppConfig


class TakedownConfig(AppConfig):
    """Takedown notices and counter-notices; the 合规专员 role's rights here are listed in backoffice.roles."""

    name = "huiwen.takedown"
    verbose_name = "侵权处理"

    def ready(self) -> None:
        from huiwen.newsroom import ports
        from huiwen.takedown import blocklist

        ports.blocked_reason.provide(blocklist.blocked_reason)  # the collector asks through the port
