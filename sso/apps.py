from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "sso"
    verbose_name = _("Sign-in with the organisation's account")

    def ready(self) -> None:
        from sso import signals  # noqa: F401  (connects the provisioning on sign-in)
