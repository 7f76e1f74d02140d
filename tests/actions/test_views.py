"""The action plan pages: access, bad input, escaping, filters, exports."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action
from actions.selectors import action_counts
from assessments.models import Membership
from maturity.models import Criterion
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PAGES = [("plan", "get"), ("new", "get"), ("new", "post"), ("csv", "get"), ("ical", "get")]
ACTION_PAGES = [("detail", "get"), ("detail", "post"), ("status", "post")]


def url(name: str, action: Action | None = None) -> str:
    return reverse(f"actions:{name}", args=[action.pk] if action else [])


def form_data(**overrides) -> dict:
    data = {
        "title": "Contentkalender opzetten",
        "criterion_key": "",
        "owner_member": "",
        "owner_name": "communicatiedienst",
        "due_date": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "status": "planned",
        "notes": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(("name", "method"), PAGES)
def test_anonymous_visitors_go_to_the_login_page(client, name, method):
    response = getattr(client, method)(url(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "method"), ACTION_PAGES)
@pytest.mark.parametrize("role", ["respondent", "viewer", "admin"])
def test_another_organisations_action_is_a_404(client, make_action, name, method, role):
    action = make_action()
    outsider = MembershipFactory(role=role).user
    client.force_login(outsider)

    response = getattr(client, method)(url(name, action), {"status": "done"})

    assert response.status_code == 404
    action.refresh_from_db()
    assert action.status == Action.Status.PLANNED


@pytest.mark.parametrize(("name", "method"), [("new", "get"), ("new", "post")])
def test_a_viewer_cannot_open_the_new_action_form(client_for, people, name, method):
    response = getattr(client_for(people.viewer), method)(url(name), form_data())

    assert response.status_code == 403
    assert not Action.objects.exists()


def test_a_viewer_reads_an_action_but_cannot_change_it(client_for, people, make_action):
    action = make_action(notes="Intern <b>overleg</b>")
    client = client_for(people.viewer)

    page = client.get(url("detail", action))
    assert page.status_code == 200
    assert "Intern &lt;b&gt;overleg&lt;/b&gt;" in page.content.decode()
    assert b'name="title"' not in page.content
    assert client.post(url("detail", action), form_data(title="Gekaapt")).status_code == 403
    assert client.post(url("status", action), {"status": "done"}).status_code == 403
    action.refresh_from_db()
    assert (action.title, action.status) == ("Sociale-mediabeleid schrijven", "planned")


@pytest.mark.parametrize("role", ["respondent", "viewer", "admin"])
def test_every_member_reads_the_plan(client_for, people, make_action, role):
    make_action()

    response = client_for(getattr(people, role)).get(url("plan"))

    assert response.status_code == 200
    assert "Sociale-mediabeleid schrijven" in response.content.decode()
    assert (b'href="/actions/new/"' in response.content) is (role != "viewer")


@pytest.mark.parametrize("role", ["respondent", "admin"])
def test_answerers_add_an_action(client_for, people, role):
    response = client_for(getattr(people, role)).post(url("new"), form_data())

    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.title, action.owner_name, action.created_by) == (
        "Contentkalender opzetten",
        "communicatiedienst",
        getattr(people, role),
    )


def test_the_form_takes_the_short_advice_title_and_the_advice_as_notes(
    client_for, people, criteria
):
    criterion = criteria[0]

    response = client_for(people.respondent).get(url("new"), {"criterion": criterion.key})

    initial = response.context["form"].initial
    assert criterion.advice_title_nl == "Doelgroepen en hun kanalen in kaart brengen"
    assert initial["title"] == criterion.advice_title_nl
    assert initial["criterion_key"] == criterion.key
    assert initial["notes"] == criterion.advice_nl


def test_without_a_short_advice_title_the_statement_is_the_title():
    criterion = Criterion(statement_nl="We hebben een reactieschema.", advice_title_nl="")

    assert criterion.action_title == "We hebben een reactieschema."
    criterion.advice_title_nl = "Een reactieschema opstellen"
    assert criterion.action_title == "Een reactieschema opstellen"


def test_the_english_form_takes_the_english_short_title(client_for, people, criteria):
    criterion = criteria[0]

    response = client_for(people.respondent).get(
        url("new"), {"criterion": criterion.key}, headers={"accept-language": "en"}
    )

    assert response.context["form"].initial["title"] == "Map target groups and their channels"


def test_an_unknown_criterion_in_the_link_prefills_nothing(client_for, people, default_model):
    response = client_for(people.respondent).get(url("new"), {"criterion": "<script>"})

    assert response.status_code == 200
    assert "title" not in response.context["form"].initial


def test_an_unknown_criterion_key_is_refused(client_for, people, default_model):
    response = client_for(people.respondent).post(url("new"), form_data(criterion_key="nope"))

    assert response.status_code == 400
    assert "criterion_key" in response.context["form"].errors


@pytest.mark.parametrize("due_date", ["31-02-2026", "morgen", "2026-13-01", "", "1999-01-01"])
def test_a_malformed_or_far_due_date_is_refused(client_for, people, due_date):
    response = client_for(people.respondent).post(url("new"), form_data(due_date=due_date))

    assert response.status_code == 400
    assert "due_date" in response.context["form"].errors
    assert not Action.objects.exists()


def test_an_owner_of_another_organisation_is_refused(client_for, people):
    outsider = MembershipFactory(role=Membership.Role.RESPONDENT)

    response = client_for(people.respondent).post(
        url("new"), form_data(owner_member=outsider.pk, owner_name="")
    )

    assert response.status_code == 400
    assert "owner_member" in response.context["form"].errors


def test_html_in_titles_and_notes_is_escaped(client_for, people):
    client = client_for(people.respondent)
    client.post(url("new"), form_data(title="<img src=x onerror=alert(1)>", notes="<script>x"))
    action = Action.objects.get()

    for page in (client.get(url("plan")), client.get(url("detail", action))):
        content = page.content.decode()
        assert "<img src=x" not in content
        assert "&lt;img src=x onerror=alert(1)&gt;" in content
    assert "<script>x" not in client.get(url("detail", action)).content.decode()


def test_editing_changes_the_action_and_shows_the_history(client_for, people, make_action):
    action = make_action()
    client = client_for(people.admin)

    response = client.post(url("detail", action), form_data(title="Beter plan", status="done"))

    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.status) == ("Beter plan", "done")
    history = client.get(url("detail", action)).content.decode()
    assert "Beter plan" in history and "Klaar" in history


def test_mark_done_in_one_click_keeps_the_filters(client_for, people, make_action):
    action = make_action()

    response = client_for(people.respondent).post(
        url("status", action), {"status": "done", "back": "status=all&page=2"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/actions/?status=all&page=2"
    action.refresh_from_db()
    assert action.status == Action.Status.DONE


def test_an_unknown_status_is_a_400(client_for, people, make_action):
    action = make_action()

    response = client_for(people.respondent).post(url("status", action), {"status": "klaar"})

    assert response.status_code == 400


def test_overdue_actions_say_so_in_words(client_for, people, make_action):
    action = make_action()
    Action.objects.filter(pk=action.pk).update(due_date=timezone.localdate() - timedelta(days=3))

    content = client_for(people.viewer).get(url("plan")).content.decode()

    assert "action-overdue" in content
    assert "Overdue" in content or "Te laat" in content


def test_the_plan_filters_by_status_owner_and_dimension(
    client_for, people, make_action, criteria, respondent_membership
):
    first, other = (
        criteria[0],
        next(c for c in criteria if c.dimension_id != criteria[0].dimension_id),
    )
    make_action(title="Eerste", criterion_key=first.key)
    make_action(
        title="Tweede", criterion_key=other.key, owner_member=respondent_membership, owner_name=""
    )
    make_action(title="Derde", status="done")
    client = client_for(people.viewer)

    def titles(**query) -> set[str]:
        page = client.get(url("plan"), query).context["page"]
        return {action.title for action in page}

    assert titles() == {"Eerste", "Tweede"}
    assert titles(status="done") == {"Derde"}
    assert titles(status="all") == {"Eerste", "Tweede", "Derde"}
    assert titles(owner=f"member-{respondent_membership.pk}") == {"Tweede"}
    assert titles(owner="name-jeugddienst") == {"Eerste"}
    assert titles(dimension=first.dimension.key) == {"Eerste"}
    assert titles(status="bogus", owner="member-999999") == {"Eerste", "Tweede"}
    assert titles(status="all", criterion=first.key) == {"Eerste"}


@pytest.mark.parametrize("hostile", ["<script>", "../../etc", "a" * 81, "x\u202ey"])
def test_a_hostile_criterion_filter_falls_back_to_the_whole_plan(
    client_for, people, make_action, hostile
):
    make_action(title="Eerste")

    response = client_for(people.viewer).get(url("plan"), {"criterion": hostile})

    assert response.status_code == 200
    assert {action.title for action in response.context["page"]} == {"Eerste"}
    assert "<script>" not in response.content.decode()


def test_the_plan_narrowed_to_a_question_says_which_and_keeps_it_when_filtering(
    client_for, people, make_action, criteria
):
    make_action(title="Eerste", criterion_key=criteria[0].key)
    client = client_for(people.viewer)

    content = client.get(url("plan"), {"status": "all", "criterion": criteria[0].key}).content
    page = content.decode()

    assert "Alleen de acties op de vraag" in page
    assert f'<input type="hidden" name="criterion" value="{criteria[0].key}"' in page
    assert 'href="?status=all">' in page  # every question's actions again, the status kept


def test_the_dashboard_tile_counts_open_overdue_and_done(client_for, people, make_action):
    make_action()
    late = make_action()
    Action.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    make_action(status="done")

    response = client_for(people.viewer).get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en")

    counts = response.context["action_counts"]
    assert (counts.open, counts.overdue, counts.done) == (2, 1, 1)
    tile = re.sub(
        r"\s+",
        " ",
        re.search(
            r'<dl class="row mb-2 action-counts">(.*?)</dl>', response.content.decode(), re.S
        ).group(1),
    )
    assert '<dt>Open</dt><dd class="fs-3 mb-0">2</dd>' in tile
    assert '<span class="text-danger-emphasis fw-bold">1</span>' in tile
    assert '<dt>Done</dt><dd class="fs-3 mb-0">1</dd>' in tile


def test_the_dashboard_tile_counts_only_the_current_organisations_actions(
    client_for, people, make_action
):
    make_action()
    # Named after the people's organisation: the dashboard opens on the first by name.
    other = MembershipFactory(
        user=people.viewer, role=Membership.Role.VIEWER, organisation__name="Zwalm"
    ).organisation
    Action.objects.create(
        organisation=other, title="Elders", owner_name="x", due_date=timezone.localdate()
    )

    response = client_for(people.viewer).get(reverse("dashboard"))

    assert response.context["current_membership"].organisation == people.organisation
    assert response.context["action_counts"].open == 1


def test_action_counts_is_none_for_a_membership_that_is_not_the_users(people, make_action):
    make_action()
    viewer_membership = Membership.objects.get(user=people.viewer)

    assert action_counts(user=people.respondent, membership=viewer_membership) is None
    assert action_counts(user=people.viewer, membership=viewer_membership).open == 1


def test_a_contributor_dashboard_has_no_action_tile(client_for, people, make_action):
    make_action()
    contributor = MembershipFactory(
        organisation=people.organisation, role=Membership.Role.CONTRIBUTOR
    ).user

    response = client_for(contributor).get(reverse("dashboard"))

    assert response.status_code == 200
    assert "action-plan-tile" not in response.content.decode()
