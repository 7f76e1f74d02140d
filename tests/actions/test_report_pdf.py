"""The open actions on page 1 of the management PDF: what is listed, for whom, and its cache key."""

import shutil
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions import models as action_models
from actions.models import Action
from actions.selectors import action_list_first_open
from actions.services import action_create, action_set_status
from assessments.models import Assessment, Membership
from assessments.services import assessment_submit
from reports import pdf as report_pdf
from tests.actions.conftest import action_input
from tests.conftest import answer_all, submitted_assessment
from tests.factories import (
    AssessmentFactory,
    MembershipFactory,
    OrganisationFactory,
    build_model_version,
)
from tests.reports.test_pdf import pdf_pages
from tests.reports.test_report import reader

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing"),
]


def days(number: int):
    return timezone.localdate() + timedelta(days=number)


def first_page(user, assessment: Assessment, language: str = "en") -> str:
    url = reverse("reports:report_pdf", args=[assessment.pk])
    return pdf_pages(reader(user, language).get(url).content)[0]


@pytest.fixture
def plan(make_action) -> dict[str, Action]:
    """One action in each status; the one in progress is overdue."""
    made = {
        "planned": make_action(title="Contentkalender opzetten", due_date=days(30)),
        "late": make_action(
            title="Reactieschema afspreken", due_date=days(-3), status=Action.Status.IN_PROGRESS
        ),
        "done": make_action(title="Huisstijl voor posts", status=Action.Status.DONE),
        "cancelled": make_action(title="TikTok-kanaal", status=Action.Status.CANCELLED),
    }
    return made


def test_page_one_lists_the_open_actions_overdue_first(people, submitted, plan):
    page = first_page(people.viewer, submitted)

    assert "Open actions" in page
    assert "2 open actions in the action plan, overdue first." in page
    late, planned = page.index("Reactieschema afspreken"), page.index("Contentkalender opzetten")
    assert late < planned
    due = timezone.localdate() - timedelta(days=3)
    assert f"In progress · jeugddienst · due {due.day} {due:%B %Y} · Overdue" in page
    assert "Planned · jeugddienst" in page
    assert "Huisstijl voor posts" not in page
    assert "TikTok-kanaal" not in page


def test_page_one_lists_the_open_actions_in_dutch(people, submitted, plan):
    page = first_page(people.viewer, submitted, "nl-be")

    assert "Open acties" in page
    assert "2 open acties in het actieplan, de te late eerst." in page
    assert "Bezig · jeugddienst · tegen " in page
    assert "Te laat" in page


def test_no_open_actions_no_block(people, submitted, make_action):
    make_action(title="Huisstijl voor posts", status=Action.Status.DONE)

    page = first_page(people.viewer, submitted)

    assert "Open actions" not in page
    assert "Huisstijl voor posts" not in page


def test_another_organisations_actions_are_never_listed(people, submitted, make_action):
    """Even for a member of both organisations: the PDF shows its own organisation's plan."""
    other = OrganisationFactory(name="Gemeente Elders")
    both = MembershipFactory(organisation=other, role=Membership.Role.ADMIN).user
    MembershipFactory(organisation=people.organisation, user=both, role=Membership.Role.VIEWER)
    action_create(organisation=other, user=both, data=action_input(title="Geheim plan van Elders"))
    make_action(title="Eigen actie")

    page = first_page(both, submitted)

    assert "Eigen actie" in page
    assert "Geheim plan van Elders" not in page
    assert "1 open action in the action plan." in page


def test_html_in_an_action_title_is_escaped(people, submitted, make_action):
    make_action(title='<b>Vet</b> & <img src="x"> co')

    page = first_page(people.viewer, submitted)

    assert '<b>Vet</b> & <img src="x"> co' in page


def long_overdue_actions(make_action, count: int) -> None:
    """Actions with the longest titles and owners the form allows, each overdue."""
    for number in range(count):
        make_action(
            title=f"Actie {number} " + "lange titel " * 16,
            owner_name="dienst " * 14,
            due_date=days(number - 10),
        )


def assert_page_one_lists(pages: list[str], shown: int, total: int) -> None:
    """Page 1 lists the first `shown` actions and ends on its own: the annex starts on page 2."""
    line = f"The first {shown} of {total} open actions in the action plan, overdue first."
    assert line in pages[0]
    listed = [f"Actie {n} " in pages[0] for n in range(total)]
    assert listed == [True] * shown + [False] * (total - shown)
    assert pages[0].count("Overdue") == shown
    assert f"Page 1 / {len(pages)}" in pages[0]
    assert "Annex: the detail" in pages[1]


def test_at_most_five_actions_and_page_one_stays_one_page(default_model, people, make_action):
    """The longest titles and owners, an overdue mark on each: page 1 still holds them all."""
    assessment = submitted_assessment(people, "Meting 2026", {1: "4", 2: "4", 3: "2", 4: "1"})
    long_overdue_actions(make_action, 7)
    url = reverse("reports:report_pdf", args=[assessment.pk])

    assert_page_one_lists(pdf_pages(reader(people.viewer).get(url).content), shown=5, total=7)


def test_a_model_with_more_dimensions_lists_fewer_actions(people, make_action):
    """Nine dimensions make the profile chart taller: two actions, and page 1 still one page."""
    version = build_model_version(criteria_count=36, dimension_count=9, slug="breed")
    for title in ("Meting 2025", "Meting 2026"):  # a previous one: its marks and longer caption
        assessment = AssessmentFactory(
            organisation=people.organisation, model_version=version, title=title
        )
        answer_all(assessment, people.respondent, {1: "4", 2: "3", 3: "2", 4: "1"})
        assessment = assessment_submit(assessment=assessment, user=people.respondent)
    long_overdue_actions(make_action, 7)
    url = reverse("reports:report_pdf", args=[assessment.pk])

    assert_page_one_lists(pdf_pages(reader(people.viewer).get(url).content), shown=2, total=7)


def test_the_cached_pdf_changes_with_the_action_plan(people, submitted, make_action, monkeypatch):
    rendered = []
    original = report_pdf.render_pdf
    monkeypatch.setattr(
        report_pdf, "render_pdf", lambda *args: rendered.append(1) or original(*args)
    )

    assert "Open actions" not in first_page(people.viewer, submitted)
    action = make_action(title="Contentkalender opzetten")
    assert "Contentkalender opzetten" in first_page(people.viewer, submitted)
    assert "Contentkalender opzetten" in first_page(people.viewer, submitted)  # cached
    action = action_set_status(action=action, user=people.respondent, status="in_progress")
    assert "In progress · jeugddienst" in first_page(people.viewer, submitted)
    action_set_status(action=action, user=people.respondent, status=Action.Status.DONE)
    assert "Open actions" not in first_page(people.viewer, submitted)

    # Rendered for no action, the new one, the one in progress; with nothing open again, the
    # first request's PDF (the same content under the same key) is served from the cache.
    assert len(rendered) == 3


def test_the_signature_changes_when_an_action_becomes_overdue(people, make_action, monkeypatch):
    make_action(due_date=days(1))
    membership = Membership.objects.get(user=people.viewer)
    today = action_list_first_open(membership=membership, limit=5).signature

    later = days(2)
    monkeypatch.setattr(action_models.timezone, "localdate", lambda: later)

    assert action_list_first_open(membership=membership, limit=5).signature != today
