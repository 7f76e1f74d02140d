from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = _("Action plan")

    def ready(self) -> None:
        from actions import signals  # noqa: F401  (connects the login language recorder)
