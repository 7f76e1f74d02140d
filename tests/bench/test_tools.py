"""The benchmark tools of `make bench` / `make soak` (package `bench/`) on a little data."""

import re
import threading

import pytest
from django.test import Client

from actions.models import Action
from assessments.models import Answer, Assessment, Organisation, Perspective
from assessments.perspective_compare import perspective_comparison
from bench import BenchError
from bench.__main__ import main
from bench.data import (
    ACTIONS_PER_ORGANISATION,
    BENCH_GROUP,
    COACH_TRAJECTORIES,
    OTHER_PERSPECTIVES,
    generate,
)
from bench.load import AUTOSAVE, COMPARE, action_form, endpoint_clients, endpoints, warm_up
from bench.queries import measure_in_process
from bench.scoring import time_rescoring, time_score
from bench.session import step_form
from maturity.models import ModelVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_data():
    generate(organisations=2, assessments=1)


def test_generate_makes_organisations_on_both_published_models(bench_data):
    criteria = {
        v.slug: v.criteria.count()
        for v in ModelVersion.objects.filter(status=ModelVersion.Status.PUBLISHED)
    }
    assert criteria == {"bench-40": 40, "bench-160": 160}
    for organisation in Organisation.objects.all():
        assert organisation.memberships.count() == 5
        assert sorted(organisation.assessments.values_list("status", flat=True)) == [
            "draft",
            "submitted",
        ]


def test_in_process_figures_cover_both_models(bench_data, capsys):
    counts, sizes = measure_in_process()
    assert {
        "questionnaire step POST (40 criteria)",
        "questionnaire step POST (160 criteria)",
        "compare GET (4 perspectives × 160 criteria)",
    } <= set(counts)
    assert sorted(sizes) == [
        "questionnaire step 1 (160 criteria, 28 on the step)",
        "questionnaire step 1 (40 criteria, 8 on the step)",
    ]
    assert all(size > 10_000 for size in sizes.values())
    assert "step HTML: questionnaire step 1 (40 criteria" in capsys.readouterr().out


def test_step_form_saves_every_criterion_of_a_loaded_step(bench_data):
    draft = Assessment.objects.get(organisation__slug="gemeente-000", status="draft")
    client = Client()
    client.force_login(draft.organisation.memberships.get(user__username="o000-respondent-2").user)
    url = f"/assessments/{draft.pk}/step/2/"
    form = step_form(client.get(url).content, "3")
    assert client.post(url, form).status_code == 302
    # The step saves into the first perspective; gemeente-000's draft has three more (bench.data).
    saved = Answer.objects.filter(
        perspective=draft.perspectives.first(), criterion__dimension__order=2
    )
    assert len(form) == 2 + 2 * saved.count()
    assert set(saved.values_list("value", flat=True)) == {"3"}


def test_every_organisation_has_an_action_plan_of_the_measured_size(bench_data):
    for organisation in Organisation.objects.all():
        assert Action.objects.filter(organisation=organisation).count() == ACTIONS_PER_ORGANISATION


def test_the_draft_on_the_large_model_has_four_perspectives_that_disagree(bench_data):
    draft = Assessment.objects.get(organisation__slug="gemeente-000", status="draft")

    comparison = perspective_comparison(assessment=draft)

    assert [p.name for p in comparison.perspectives] == [
        Perspective.DEFAULT_NAME,
        *(name for name, _bias in OTHER_PERSPECTIVES),
    ]
    assert [r.answered for r in comparison.results] == [160] * 4
    assert 0 < len(comparison.disagreements) < len(comparison.rows) == 160


def test_the_other_drafts_keep_one_perspective_and_their_answers(bench_data):
    draft = Assessment.objects.get(organisation__slug="gemeente-001", status="draft")
    assert draft.perspectives.count() == 1
    assert draft.answers.count() == 40
    large = Assessment.objects.get(organisation__slug="gemeente-000", status="draft")
    first = large.perspectives.first()
    # The first perspective's answers are those bench_assessment gave every draft, no comments.
    assert set(first.answers.values_list("comment", flat=True)) == {""}
    assert first.answers.count() == 160


def test_the_compare_page_is_under_load_on_the_drafts_with_perspectives(bench_data):
    draft = Assessment.objects.get(organisation__slug="gemeente-000", status="draft")
    endpoint = endpoints(drafts={}, latest={}, compared={draft.organisation_id: draft.pk})[COMPARE]
    organisations = list(Organisation.objects.order_by("slug").values_list("pk", "slug"))
    client = Client()
    client.force_login(
        draft.organisation.memberships.get(user__username=f"o000-{endpoint.role}").user
    )

    clients = endpoint_clients(organisations, endpoint=endpoint, level=8)
    response = client.get(endpoint.path(draft.organisation_id))

    assert clients == [(draft.organisation_id, "gemeente-000")]
    assert response.status_code == 200
    # As a respondent: every row links to settling its consensus, the heavier page.
    assert response.content.count(f"/assessments/{draft.pk}/consensus/".encode()) == 160


def test_the_action_plan_endpoints_are_under_load():
    assert {"action plan GET", "add action POST"} <= set(endpoints(drafts={}, latest={}))


def test_warm_up_sends_one_request_per_worker_at_once_for_each_path():
    workers = 3
    # Passes only when `workers` requests of one path are in flight together.
    together = threading.Barrier(workers, timeout=5)
    sent: list[tuple[str, str]] = []

    def fetch(path: str, cookie: str) -> int:
        sent.append((path, cookie))
        together.wait()
        return 200

    warm_up(requests=[("/a/", "s=1"), ("/b/", "s=2")], rounds=2, workers=workers, fetch=fetch)

    assert (
        sent
        == [("/a/", "s=1")] * 3 + [("/b/", "s=2")] * 3 + [("/a/", "s=1")] * 3 + [("/b/", "s=2")] * 3
    )


def test_warm_up_stops_at_an_error():
    with pytest.raises(BenchError, match="answered"):
        warm_up(requests=[("/a/", "")], rounds=1, workers=2, fetch=lambda path, cookie: 404)


def test_cached_endpoints_are_warmed_up():
    chosen = endpoints(drafts={}, latest={})
    assert all(
        chosen[name].warm_up >= 1
        for name in ("report GET", "report PDF GET (cold)", "report PDF GET (cached)")
    )


def test_action_form_adds_an_action(bench_data):
    client = Client()
    client.force_login(
        Organisation.objects.get(slug="gemeente-000")
        .memberships.get(user__username="o000-respondent-1")
        .user
    )
    form = action_form(client.get("/actions/new/").content, "1")
    assert client.post("/actions/new/", form).status_code == 302
    assert Action.objects.filter(title="Bench action 1").exists()


class ClientSession:
    """The bench's Session over Django's test client: request(method, path, form), cookies."""

    def __init__(self, client: Client) -> None:
        self.client = client

    @property
    def cookies(self) -> dict[str, str]:
        return {name: morsel.value for name, morsel in self.client.cookies.items()}

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, bytes]:
        response = self.client.get(path) if method == "GET" else self.client.post(path, form)
        return response.status_code, response.content


def test_autosave_clients_post_what_the_page_would_and_read_the_next_revision(bench_data):
    draft = Assessment.objects.get(organisation__slug="gemeente-000", status="draft")
    client = Client(enforce_csrf_checks=True)
    client.force_login(draft.organisation.memberships.get(user__username="o000-admin-0").user)
    endpoint = endpoints(drafts={draft.organisation_id: draft.pk}, latest={})[AUTOSAVE]

    line = endpoint.client_line(ClientSession(client), endpoint.path(draft.organisation_id))

    # The fields as bench/sessions.lua reads them: "^autosave (%S+) (%d+) (%S+) (.+)$".
    url, revision, token, cookie = re.fullmatch(r"autosave (\S+) (\d+) (\S+) (.+)", line).groups()
    assert endpoint.levels == (1, 8)
    assert f"csrftoken={token}" in cookie and "sessionid=" in cookie
    first = revision
    for value in ("1", "3"):  # one of them differs from the stored answer
        response = client.post(
            url, {"value": value, "revision": revision}, headers={"X-CSRFToken": token}
        )
        assert response.status_code == 200, response.content
        # What the script's response() takes as the next revision: '"revision":%s*(%d+)'.
        revision = re.search(rb'"revision":\s*(\d+)', response.content).group(1).decode()
    assert int(revision) > int(first)


def test_scoring_timings_name_what_they_measured(bench_data):
    assert time_score()["criteria"] == 160
    assert time_rescoring()["assessments"] == 2


def test_entry_point_lists_the_tools(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["--help"])
    assert exit.value.code == 0
    assert "{data,scoring,load,soak,pdf_burst}" in capsys.readouterr().out


def test_the_group_board_is_under_load_as_a_members_viewer(bench_data):
    from bench.load import chosen_endpoints
    from trajectories.models import TrajectoryMember

    # Both organisations of the large model (only one here) take part, sharing everything.
    (member,) = TrajectoryMember.objects.filter(trajectory__name=BENCH_GROUP).select_related(
        "organisation"
    )
    assert member.share_phase and member.share_profile and member.share_actions
    endpoint = chosen_endpoints("group board GET")["group board GET"]
    organisations = list(Organisation.objects.order_by("slug").values_list("pk", "slug"))
    client = Client()
    client.force_login(
        member.organisation.memberships.get(user__username__endswith=endpoint.role).user
    )

    response = client.get(endpoint.path(member.organisation_id))

    assert endpoint_clients(organisations, endpoint=endpoint, level=8) == [
        (member.organisation_id, member.organisation.slug)
    ]
    assert endpoint.warm_up >= 1
    assert response.status_code == 200
    assert member.organisation.name.encode() in response.content


def test_the_overview_of_a_coach_with_30_trajectories_is_under_load(bench_data):
    from bench.load import chosen_endpoints
    from trajectories.models import Coach

    endpoint = chosen_endpoints("coach trajectories GET")["coach trajectories GET"]
    organisations = list(Organisation.objects.order_by("slug").values_list("pk", "slug"))
    clients = endpoint_clients(organisations, endpoint=endpoint, level=8)
    # Both organisations are coach organisations here (the last COACHES by slug).
    assert clients == organisations
    for organisation_id, _slug in clients:
        coach = (
            Organisation.objects.get(pk=organisation_id)
            .memberships.get(user__username__endswith=endpoint.role)
            .user
        )
        assert Coach.objects.filter(user=coach).count() == COACH_TRAJECTORIES
        client = Client()
        client.force_login(coach)
        response = client.get(endpoint.path(organisation_id))
        assert response.status_code == 200
        page = response.content.decode()
        start = page.index('id="coached-title"')
        coached = page[start : page.index("</section>", start)]
        assert coached.count('class="list-group-item"') == COACH_TRAJECTORIES
    assert endpoint.levels == (1, 8)
