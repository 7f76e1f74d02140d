"""`manage.py backup` and `manage.py restore`: a round trip gives back the same reports."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from assessments.models import Answer, AnswerChange, Assessment, AssessmentEvent, Membership
from assessments.services import AnswerInput, answers_save, assessment_create, assessment_submit
from maturity.models import ModelVersion
from maturity.selectors import model_version_structure
from reports import report as reports
from tests.conftest import answer_all

pytestmark = pytest.mark.django_db(transaction=True)

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def milliseconds(moment):
    """Django's JSON serialiser keeps times to the millisecond; ordering ties fall back to id."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def snapshot(people_usernames: dict[str, str], submitted_pk: int, draft_pk: int) -> dict:
    """Everything the round trip must keep: reports, result.json, answers, the audit trail."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=people_usernames["admin"]))
    pages = {
        url: CSRF_TOKEN.sub("", client.get(url).content.decode())
        for url in (
            reverse("reports:report", args=[submitted_pk]),
            reverse("reports:result_json", args=[submitted_pk]),
            reverse("reports:report", args=[draft_pk]),
            reverse("assessments:changes", args=[submitted_pk]),
            reverse("dashboard"),
        )
    }
    return {
        "report result": reports.report_build(
            assessment=Assessment.objects.get(pk=submitted_pk)
        ).result,
        "pages": pages,
        "answers": sorted(
            Answer.objects.values_list(
                "assessment_id", "criterion_id", "value", "comment", "revision", "updated_by_id"
            )
        ),
        "changes": sorted(
            (*row[:-1], milliseconds(row[-1]))
            for row in AnswerChange.objects.values_list(
                "id",
                "assessment_id",
                "criterion_id",
                "old_value",
                "new_value",
                "new_comment",
                "changed_by_id",
                "source",
                "changed_at",
            )
        ),
        "events": sorted(AssessmentEvent.objects.values_list("assessment_id", "kind", "note")),
        "memberships": sorted(Membership.objects.values_list("user__username", "role")),
        "group permissions": sorted(Group.objects.values_list("name", "permissions__codename")),
    }


def test_backup_flush_restore_gives_back_the_same_data(people, default_model, tmp_path):
    submitted = assessment_create(
        organisation=people.organisation, user=people.respondent, title="Meting 2025"
    )
    answer_all(submitted, people.respondent, {1: "4", 2: "3", 3: "2", 4: "1"})
    criterion = model_version_structure(version=submitted.model_version).criteria[0]
    answers_save(
        assessment=submitted,
        user=people.admin,
        answers=[
            AnswerInput(
                criterion=criterion, value="3", comment="Zie beleidsplan ✓", loaded_revision=1
            )
        ],
    )
    submitted = assessment_submit(assessment=submitted, user=people.respondent)
    draft = assessment_create(
        organisation=people.organisation, user=people.respondent, title="Nulmeting 2026"
    )
    answer_all(draft, people.respondent, {1: "2", 2: "1", 3: "0", 4: "dk"})
    editors = Group.objects.create(name="Model editors")
    editors.permissions.add(Permission.objects.get(codename="view_modelversion"))
    usernames = {"admin": people.admin.username, "viewer": people.viewer.username}
    before = snapshot(usernames, submitted.pk, draft.pk)
    backup = tmp_path / "groeipad.json"

    with backup.open("w", encoding="utf-8") as handle:
        call_command("backup", stdout=handle)
    call_command("flush", interactive=False)
    assert not Assessment.objects.exists()
    call_command("restore", str(backup), verbosity=0)

    assert snapshot(usernames, submitted.pk, draft.pk) == before
    client = Client()
    client.force_login(get_user_model().objects.get(username=people.viewer.username))
    assert client.get(reverse("dashboard")).status_code == 200
    # Sequences continue after the restored rows: new work gets fresh ids.
    newer = assessment_create(
        organisation=people.organisation, user=people.admin, title="Na het terugzetten"
    )
    assert newer.pk > max(submitted.pk, draft.pk)


def test_the_backup_leaves_out_sessions_logs_and_rebuildable_tables(people, submitted, tmp_path):
    backup = tmp_path / "groeipad.json"
    with backup.open("w", encoding="utf-8") as handle:
        call_command("backup", stdout=handle)

    models = {row["model"] for row in json.loads(backup.read_text(encoding="utf-8"))}

    assert {"auth.user", "maturity.modelversion", "assessments.answer"} <= models
    assert "assessments.answerchange" in models
    assert not models & {
        "contenttypes.contenttype",
        "auth.permission",
        "sessions.session",
        "admin.logentry",
    }
    assert not any(model.startswith("axes.") for model in models)


def test_restore_refuses_a_database_that_is_not_empty(people, default_model, tmp_path):
    backup = tmp_path / "groeipad.json"
    with backup.open("w", encoding="utf-8") as handle:
        call_command("backup", stdout=handle)
    versions = ModelVersion.objects.count()

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup))

    assert ModelVersion.objects.count() == versions
