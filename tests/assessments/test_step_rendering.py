"""The step page's cheaper rendering (docs/performance.md, 2026-12-07) shows what it showed.

The answer scales are rendered once per process, language and answer and given each criterion's
name; the member's access query reads the perspective rows; memberships are sorted in Python;
static and vendor URLs are remembered. Each test here would fail if a shortcut showed another
criterion's answer, another language, another perspective or another order.
"""

import re

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

from assessments.perspective_selectors import AnswerState, answer_set_get
from assessments.selectors import membership_list
from assessments.services import assessment_create
from assessments.step_forms import QuestionnaireStepForm
from maturity.selectors import model_version_structure
from maturity.storage import StaticFilesStorage
from tests.factories import MembershipFactory, OrganisationFactory, build_model_version

pytestmark = pytest.mark.django_db

RADIO = re.compile(
    r'<input class="form-check-input" type="radio" name="([^"]+)" value="([^"]+)"([^>]*)>'
)


def _radios(scale) -> list[tuple[str, str, str]]:
    return RADIO.findall(str(scale))


def _step_form(**kwargs) -> tuple[QuestionnaireStepForm, list]:
    structure = model_version_structure(version=build_model_version(criteria_count=6))
    criteria = structure.criteria_of_dimension(structure.dimensions[0])
    answers = {criteria[0].pk: AnswerState("3", "", 1), criteria[1].pk: AnswerState("na", "", 2)}
    return QuestionnaireStepForm(criteria=criteria, answers=answers, **kwargs), criteria


def test_each_criterion_s_scale_has_its_own_name_and_only_its_answer_checked():
    form, criteria = _step_form(prefix="s2")
    rows = form.criterion_rows()
    checked = [
        [value for _n, value, rest in _radios(row.scale) if "checked" in rest] for row in rows
    ]
    assert checked == [["3"], ["na"]] + [[]] * (len(rows) - 2)
    for row, criterion in zip(rows, criteria, strict=True):
        names = {name for name, _v, _r in _radios(row.scale)}
        assert names == {f"s2-{criterion.key}-value"}
        assert len(_radios(row.scale)) == 7


def test_a_sent_value_off_the_scale_checks_nothing_and_is_not_printed():
    _form, criteria = _step_form()
    data = {f"{criteria[0].key}-value": '"><script>', f"{criteria[1].key}-value": "2"}
    form = QuestionnaireStepForm(data, criteria=criteria, answers={})
    rows = form.criterion_rows()
    assert not [r for _n, _v, r in _radios(rows[0].scale) if "checked" in r]
    assert "<script>" not in str(rows[0].scale)
    assert [v for _n, v, r in _radios(rows[1].scale) if "checked" in r] == ["2"]


def test_a_disabled_form_disables_every_radio_button():
    form, _criteria = _step_form(disabled=True)
    for row in form.criterion_rows():
        assert all("disabled" in rest for _n, _v, rest in _radios(row.scale))
    enabled, _criteria = _step_form()
    assert not any(
        "disabled" in r for row in enabled.criterion_rows() for *_x, r in _radios(row.scale)
    )


def test_the_scale_follows_the_active_language():
    form, _criteria = _step_form()
    with translation.override("en"):
        english = str(form.criterion_rows()[0].scale)
    with translation.override("nl-be"):
        dutch = str(form.criterion_rows()[0].scale)
    assert "Don&#39;t know" in english or "Don&#x27;t know" in english or "Don't know" in english
    assert english != dutch


def _assessment_with_perspectives(names: list[str], slug: str = "testmodel"):
    version = build_model_version(criteria_count=4, dimension_count=2, slug=slug)
    membership = MembershipFactory(role="admin")
    assessment = assessment_create(
        organisation=membership.organisation, user=membership.user, title="Meting"
    )
    assert assessment.model_version_id == version.pk
    first = assessment.perspectives.get()
    others = [assessment.perspectives.create(name=name) for name in names]
    return membership, assessment, first, others


def test_the_member_s_access_reads_the_first_or_the_asked_perspective_and_the_total():
    membership, assessment, first, others = _assessment_with_perspectives(["Directie", "Jeugd"])
    answer_set, found = answer_set_get(user=membership.user, pk=assessment.pk)
    assert (answer_set.perspective_id, answer_set.assessment.perspective_total) == (first.pk, 3)
    assert found == membership
    answer_set, _found = answer_set_get(
        user=membership.user, pk=assessment.pk, perspective_pk=others[1].pk
    )
    assert (answer_set.perspective_id, answer_set.perspective_name) == (others[1].pk, "Jeugd")


def test_the_member_s_access_refuses_another_assessment_s_perspective_and_organisation():
    membership, assessment, _first, _others = _assessment_with_perspectives([])
    _other_member, other_assessment, other_first, _ = _assessment_with_perspectives([], "other")
    assert answer_set_get(user=membership.user, pk=other_assessment.pk) is None
    assert (
        answer_set_get(user=membership.user, pk=assessment.pk, perspective_pk=other_first.pk)
        is None
    )


def test_memberships_are_ordered_by_organisation_name():
    membership = MembershipFactory(organisation=OrganisationFactory(name="Gemeente Zonnebeke"))
    for name in ("Gemeente Aalter", "Gemeente Merelbeke"):
        MembershipFactory(user=membership.user, organisation=OrganisationFactory(name=name))
    names = [m.organisation.name for m in membership_list(user=membership.user)]
    assert names == ["Gemeente Aalter", "Gemeente Merelbeke", "Gemeente Zonnebeke"]


def test_static_urls_are_remembered_once_hashed_but_not_in_debug():
    storage = StaticFilesStorage()
    storage.hashed_files = {"css/site.css": "css/site.0123abcd.css"}
    with override_settings(DEBUG=False):
        assert storage.url("css/site.css").endswith("/css/site.0123abcd.css")
        storage.hashed_files = {"css/site.css": "css/site.fedc9876.css"}
        # The manifest is read once per process; a remembered URL is the one it gave.
        assert storage.url("css/site.css").endswith("/css/site.0123abcd.css")
    with override_settings(DEBUG=True):
        assert storage.url("css/site.css").endswith("/css/site.css")


@override_settings(ASSETS_MODE="cdn")
def test_remembered_vendor_tags_follow_the_assets_mode():
    template = Template('{% load vendor %}{% vendor_js "chartjs" %}')
    cdn = template.render(Context())
    with override_settings(ASSETS_MODE="local"):
        local = template.render(Context())
    assert "cdn.jsdelivr.net" in cdn
    assert "cdn.jsdelivr.net" not in local and "/static/" in local
    assert template.render(Context()) == cdn
