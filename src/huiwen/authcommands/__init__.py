"""Django's own account commands, `createsuperuser` and `changepassword`, with their writes made and
audited by the account service (backoffice.accounts).

The app is listed before django.contrib.auth in INSTALLED_APPS: of two commands of one name Django
runs the one of the app listed first, so `huiwen createsuperuser` and `huiwen changepassword` (and
manage.py's) are these. They subclass Django's commands, whose prompts, options and checks stay
Django's; only the write goes through the service, which audits it in the transaction that makes
it (issue 18: no model signal watches accounts). The operator at the shell is the actor ("系统"),
and the audit entry names the command and the system account that ran it.
"""
