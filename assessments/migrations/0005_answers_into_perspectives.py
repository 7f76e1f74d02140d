"""Every existing assessment gets one perspective holding all its answers."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

DEFAULT_NAME = "Communicatiedienst"
CONTRIBUTOR = "contributor"


def answers_into_perspectives(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    Perspective = apps.get_model("assessments", "Perspective")
    Answer = apps.get_model("assessments", "Answer")
    without = Assessment.objects.exclude(perspectives__isnull=False).values_list(
        "pk", "created_by_id", "created_at"
    )
    Perspective.objects.bulk_create(
        Perspective(assessment_id=pk, name=DEFAULT_NAME, created_by_id=by, created_at=at)
        for pk, by, at in without.iterator()
    )
    first = Perspective.objects.filter(assessment_id=OuterRef("assessment_id")).order_by("pk")
    Answer.objects.filter(perspective__isnull=True).update(
        perspective_id=Subquery(first.values("pk")[:1])
    )


def answers_back_into_assessments(apps, schema_editor):
    """Back to one answer per criterion: the first perspective's answers stay, the others go.

    Contributors go too, with their invitations: the code before perspectives knows no
    contributor role and would show such a member everything of the organisation.
    """
    Answer = apps.get_model("assessments", "Answer")
    Perspective = apps.get_model("assessments", "Perspective")
    first = Perspective.objects.filter(assessment_id=OuterRef("assessment_id")).order_by("pk")
    Answer.objects.exclude(perspective_id=Subquery(first.values("pk")[:1])).delete()
    apps.get_model("assessments", "Membership").objects.filter(role=CONTRIBUTOR).delete()
    apps.get_model("assessments", "Invitation").objects.filter(role=CONTRIBUTOR).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0004_perspectives")]

    operations = [migrations.RunPython(answers_into_perspectives, answers_back_into_assessments)]
