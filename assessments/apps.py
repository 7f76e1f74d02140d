from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from assessments.evidence_models import Evidence
        from assessments.services.evidence import evidence_deleted

        # A deleted draft takes its answers' evidence along: their files go after the commit.
        post_delete.connect(evidence_deleted, sender=Evidence, dispatch_uid="evidence_deleted")
