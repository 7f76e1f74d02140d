from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaturityConfig(AppConfig):
    name = "maturity"
    verbose_name = _("Maturity model")

    def ready(self) -> None:
        # Every process that runs Django (web, worker, beat, commands) has the Celery app, so
        # the apps' shared tasks enqueue through it; importing it in maturity/__init__ would make
        # the pure scoring package load Django.
        from maturity import celery  # noqa: F401
