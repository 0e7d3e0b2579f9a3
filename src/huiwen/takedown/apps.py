from django.apps import AppConfig
from django.db.models.signals import post_migrate

# What the compliance officer's group (defined with the other roles in backoffice.roles) may do here.
COMPLIANCE_PERMISSIONS = ["view_notice", "handle_notice", "view_counternotice", "view_forwarding",
                          "view_evidence", "view_blockedwork"]


def grant_compliance(app_config: AppConfig, **kwargs: object) -> None:
    from django.contrib.auth.models import Group, Permission

    from huiwen.backoffice.roles import ROLES

    group, _ = Group.objects.get_or_create(name=ROLES["compliance"][0])
    group.permissions.add(*Permission.objects.filter(content_type__app_label="takedown",
                                                     codename__in=COMPLIANCE_PERMISSIONS))


class TakedownConfig(AppConfig):
    name = "huiwen.takedown"
    verbose_name = "侵权处理"

    def ready(self) -> None:
        post_migrate.connect(grant_compliance, sender=self, dispatch_uid="takedown-compliance-role")
