from django.apps import AppConfig
from django.db.models.signals import post_migrate


class BackofficeConfig(AppConfig):
    """The newsroom's back office (issue 7): review queue, roles, revisions, screening, channels, sources."""

    name = "huiwen.backoffice"
    verbose_name = "编辑后台"

    def ready(self) -> None:
        from huiwen.backoffice import attribution, roles, screening
        from huiwen.newsroom import ports

        screening.register()
        # The collector asks the desk through ports (newsroom.ports), never importing it.
        ports.screen_collected.provide(screening.screen_collected)
        ports.real_name.provide(attribution.real_name)
        post_migrate.connect(roles.after_migrate, dispatch_uid="backoffice-roles")
