"""The newsroom's roles as Django Groups, built from permissions (issue 7).

| Role | Group | Can |
| --- | --- | --- |
| editor | 编辑 | use the back office, edit articles, see revisions |
| chief editor | 主编 | editor, plus publish, schedule, reject, move, 撤下; channels; sources; add words |
| compliance officer | 合规专员 | read articles and the audit log, edit word lists; handle takedown notices |
| administrator | 管理员 | sources, users and editors' real names (in the Django admin) |

`ensure_roles()` runs after every migrate (post_migrate) and from `huiwen roles`; it only adds
permissions, never removes any, so rights granted to a group by hand survive it. Permissions
are named by strings, so this module imports none of the apps whose rights it hands out.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from huiwen.backoffice import accounts

EDITOR = ["backoffice.use_desk", "newsroom.view_article", "newsroom.change_article", "newsroom.add_article",
          "newsroom.view_channel", "newsroom.view_publisher", "newsroom.add_publisher",
          "newsroom.view_historicalarticle", "backoffice.view_sensitiveword", "backoffice.view_scheduledpublication",
          "reader.view_traditionalphrase"]
CHIEF_EDITOR = [*EDITOR, "backoffice.publish_article", "backoffice.manage_channels", "backoffice.view_sources",
                "newsroom.add_channel", "newsroom.change_channel", "newsroom.view_auditentry",
                "newsroom.change_publisher",
                # The chief meets the words in the text first: adding one (with a reason) or switching
                # one off is part of the job; deleting stays with compliance.
                "backoffice.add_sensitiveword", "backoffice.change_sensitiveword",
                # issue 12: the Traditional edition's phrase list (proper names, regional usage)
                "reader.view_traditionalphrase", "reader.add_traditionalphrase", "reader.change_traditionalphrase",
                "reader.delete_traditionalphrase"]
COMPLIANCE = ["backoffice.use_desk", "newsroom.view_article", "newsroom.view_historicalarticle",
              "newsroom.view_auditentry", "backoffice.view_articlescreening", "backoffice.view_sensitiveword",
              "backoffice.add_sensitiveword", "backoffice.change_sensitiveword", "backoffice.delete_sensitiveword",
              # the takedown desk (huiwen.takedown)
              "takedown.view_notice", "takedown.handle_notice", "takedown.view_counternotice",
              "takedown.view_forwarding", "takedown.view_evidence", "takedown.view_blockedwork"]
ADMINISTRATOR = ["backoffice.use_desk", "backoffice.view_sources", "collect.view_source", "collect.add_source",
                 "collect.change_source", "collect.delete_source", "collect.view_sourcerun", "collect.view_sourceerror",
                 "collect.view_seenurl", "auth.view_user", "auth.add_user", "auth.change_user", "auth.view_group",
                 "backoffice.view_editorprofile", "backoffice.add_editorprofile", "backoffice.change_editorprofile",
                 "newsroom.view_publisher", "newsroom.add_publisher", "newsroom.change_publisher"]

ROLES: dict[str, tuple[str, list[str]]] = {
    "editor": ("编辑", EDITOR),
    "chief": ("主编", CHIEF_EDITOR),
    "compliance": ("合规专员", COMPLIANCE),
    "admin": ("管理员", ADMINISTRATOR),
}


def _permissions(names: list[str]) -> list[Permission]:
    wanted = {tuple(name.split(".", 1)) for name in names}
    found = Permission.objects.select_related("content_type").filter(
        codename__in=[codename for _, codename in wanted]
    )
    return [perm for perm in found if (perm.content_type.app_label, perm.codename) in wanted]


def ensure_roles() -> dict[str, Group]:
    """Create the role groups and add their permissions (never removing any). Idempotent."""
    groups = {}
    for key, (name, names) in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        accounts.set_role_permissions(None, group, _permissions(names), keep=True)  # audited as 系统
        groups[key] = group
    return groups


def after_migrate(app_config: object = None, **kwargs: object) -> None:
    # post_migrate is sent once per app, each app's permissions created as it goes: acting on the
    # last app's signal means every permission the roles name exists by then.
    from django.apps import apps

    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if app_config is last:
        ensure_roles()
