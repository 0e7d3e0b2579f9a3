from django.apps import AppConfig


class DemoSiteConfig(AppConfig):
    """The demo (issue 14): `huiwen demo` and its sample source site. An app only for its command,
    which sits above the collector, takedown and the desk it drives (no models)."""

    name = "huiwen.demo_site"
    label = "demo_site"
    verbose_name = "演示"
