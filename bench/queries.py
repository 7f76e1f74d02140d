"""In-process figures of `make bench`: SQL queries per request and the HTML size of a step.

Measured with Django's test client on the generated data, at 40 and at 160 criteria, for the
report and dashboard of an organisation with 1 and with 10 past assessments, and for the compare
page of a draft with four perspectives.
"""

import random
import sys
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import Assessment, Membership, Organisation
from assessments.perspective_selectors import perspective_answer_states
from bench import BenchError
from bench.data import bench_assessment
from maturity.models import ModelVersion
from maturity.selectors import model_version_structure

STEP_GET = "questionnaire step GET"
# One organisation on each bench model: `bench.data` alternates 160 and 40 criteria.
MEASURED_ORGANISATIONS = ("gemeente-000", "gemeente-001")


def measured(client: Client, url: str, *, data: dict | None = None) -> tuple[int, HttpResponse]:
    """The number of SQL queries of one GET (or POST with `data`), and its response."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url) if data is None else client.post(url, data)
    expected = 200 if data is None else 302
    if response.status_code != expected:
        raise BenchError(f"{url} answered {response.status_code}, not {expected}.")
    return len(queries), response


def step_post_with_one_change(assessment: Assessment) -> dict:
    """The first step as it is stored, with the first answer changed: what a save sends.

    The step addresses the assessment's first perspective (with several, the others' answers and
    the consensus are not what its form shows).
    """
    structure = model_version_structure(version=assessment.model_version)
    states = perspective_answer_states(perspective_id=assessment.perspectives.first().pk)
    data = {"action": "save"}
    for index, criterion in enumerate(structure.criteria_of_dimension(structure.dimensions[0])):
        state = states.get(criterion.pk)
        value = state.value if state else ""
        if index == 0:
            value = "3" if value == "4" else "4"
        data[f"{criterion.key}-value"] = value
        data[f"{criterion.key}-comment"] = state.comment if state else ""
        data[f"{criterion.key}-revision"] = state.revision if state else 0
    return data


def organisation_pages(*, slug: str) -> tuple[dict[str, int], dict[str, int]]:
    """Queries per page of one organisation's respondent, and the bytes of its first step."""
    organisation = Organisation.objects.get(slug=slug)
    draft = organisation.assessments.get(status="draft")
    report = organisation.assessments.filter(status="submitted").order_by("-submitted_at").first()
    criteria = draft.model_version.criteria.count()
    on_step = draft.model_version.criteria.filter(dimension__order=1).count()
    client = Client()
    client.force_login(
        organisation.memberships.get(role="respondent", user__username__endswith="-1").user
    )
    counts, sizes = {}, {}
    for name, url in (
        (STEP_GET, f"/assessments/{draft.pk}/step/1/"),
        ("report GET", f"/assessments/{report.pk}/report/"),
        ("result.json GET", f"/assessments/{report.pk}/result.json"),
        ("dashboard GET", "/"),
    ):
        client.get(url)
        counts[f"{name} ({criteria} criteria)"], response = measured(client, url)
        if name == STEP_GET:
            label = f"questionnaire step 1 ({criteria} criteria, {on_step} on the step)"
            sizes[label] = len(response.content)
    with transaction.atomic():
        data = step_post_with_one_change(draft)
        url = f"/assessments/{draft.pk}/step/1/"
        counts[f"questionnaire step POST ({criteria} criteria)"] = measured(client, url, data=data)[
            0
        ]
        transaction.set_rollback(True)
    return counts, sizes


def history_organisation(*, past: int, rng: random.Random):
    """An organisation with `past` submitted assessments and a viewer; returns the viewer and
    the latest assessment."""
    structure = model_version_structure(version=ModelVersion.objects.get(slug="bench-160"))
    now = timezone.now()
    organisation = Organisation.objects.create(name=f"History {past}", slug=f"bench-history-{past}")
    viewer = get_user_model().objects.create(username=f"bench-history-{past}")
    Membership.objects.create(user=viewer, organisation=organisation, role=Membership.Role.VIEWER)
    for index in range(past):
        latest = bench_assessment(
            organisation=organisation,
            structure=structure,
            level=min(4, 1 + index // 3),
            title=f"Meting {index + 1}",
            moment=now - timedelta(days=90 * (past - index)),
            submitted=True,
            respondent=viewer,
            rng=rng,
        )
    return viewer, latest


def history_query_counts() -> dict[str, int]:
    """Report and dashboard queries for an organisation with 1 and with 10 past assessments.

    Both organisations are made inside a transaction that is rolled back afterwards, so the
    generated data stays as `python -m bench data` left it.
    """
    counts = {}
    rng = random.Random(2026)
    with transaction.atomic():
        for past in (1, 10):
            viewer, latest = history_organisation(past=past, rng=rng)
            client = Client()
            client.force_login(viewer)
            for name, url in (
                ("report GET", f"/assessments/{latest.pk}/report/"),
                ("dashboard GET", "/"),
            ):
                for view in ("first view", "again"):
                    counts[f"{name} (history of {past}, {view})"] = measured(client, url)[0]
        transaction.set_rollback(True)
    for name in ("report GET", "dashboard GET"):
        for view in ("first view", "again"):
            one, ten = (counts[f"{name} (history of {n}, {view})"] for n in (1, 10))
            if one != ten:
                print(f"{name}, {view}: {one} queries with 1, {ten} with 10 past", file=sys.stderr)
    return counts


def compare_query_counts() -> dict[str, int]:
    """The compare page's queries, as a respondent, for the first draft with perspectives."""
    draft = (
        Assessment.objects.filter(status="draft")
        .annotate(perspective_count=Count("perspectives"))
        .filter(perspective_count__gt=1)
        .select_related("organisation")
        .order_by("organisation__slug")
        .first()
    )
    if draft is None:
        raise BenchError("No draft with several perspectives: generate the data again.")
    criteria = draft.model_version.criteria.count()
    client = Client()
    client.force_login(
        draft.organisation.memberships.get(role="respondent", user__username__endswith="-1").user
    )
    url = f"/assessments/{draft.pk}/compare/"
    client.get(url)
    name = f"compare GET ({draft.perspective_count} perspectives × {criteria} criteria)"
    return {name: measured(client, url)[0]}


def measure_in_process() -> tuple[dict[str, int], dict[str, int]]:
    """Print and return the queries per request and the step HTML sizes."""
    counts, sizes = {}, {}
    for slug in MEASURED_ORGANISATIONS:
        organisation_counts, organisation_sizes = organisation_pages(slug=slug)
        counts.update(organisation_counts)
        sizes.update(organisation_sizes)
    counts.update(history_query_counts())
    counts.update(compare_query_counts())
    for name, value in counts.items():
        print(f"queries: {name:<52} {value}")
    for name, size in sizes.items():
        print(f"step HTML: {name:<50} {size:>7,} bytes ({size / 1000:.1f} kB)")
    return counts, sizes
