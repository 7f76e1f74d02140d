"""The rows of the compare page, rendered by the Jinja2 partial: what each criterion shows."""

import html
import re

import pytest
from django.urls import reverse

from assessments.services import AnswerInput, answers_save, consensus_save, perspective_create
from maturity.selectors import model_version_structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def compared(draft, people):
    """The draft answered by two perspectives 3 points apart on the first criterion, with a
    comment, and the second criterion settled with a note; both contain markup to escape."""
    structure = model_version_structure(version=draft.model_version)
    first, second = structure.criteria[:2]
    directie = perspective_create(assessment=draft, user=people.respondent, name="Directie <b>")
    for perspective_id, value, comment in ((None, "1", ""), (directie.pk, "4", 'Wij "zien" <dat>')):
        answers_save(
            assessment=draft,
            user=people.respondent,
            answers=[AnswerInput(criterion=first, value=value, comment=comment, loaded_revision=0)],
            perspective_id=perspective_id,
        )
    people.respondent.first_name = "Ann & co"
    people.respondent.save()
    consensus_save(
        assessment=draft,
        user=people.respondent,
        criterion=second,
        value="dk",
        note="besproken op 12/3: <i>ok</i>",
        loaded_revision=0,
        previous_value="",
    )
    return draft, first, second


def criterion_item(html: str, key: str) -> str:
    """The list item of one criterion, whitespace collapsed."""
    item = re.search(rf'<li [^>]*id="criterion-{key}">(.*?)</li>', html, re.S).group(1)
    return re.sub(r"\s+", " ", item)


def test_a_disagreement_shows_step_spread_answers_and_the_comment_escaped(
    compared, people, client_for
):
    draft, first, _second = compared
    client = client_for(people.respondent)

    response = client.get(
        reverse("assessments:compare", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    item = criterion_item(response.content.decode(), first.key)

    assert "compare-row--disagrees" in response.content.decode()
    assert "Step 1: " in item and "<code>" not in item
    assert "3 points apart" in item
    assert "<dt>Directie &lt;b&gt;</dt><dd>4 – fully<br>" in item
    # Escaped (whichever entity spells the quote), shown as typed.
    assert "<dat>" not in item
    assert '“Wij "zien" <dat>”' in html.unescape(item)
    assert "<dd>1 – to a limited extent</dd>" in item
    assert "Consensus:</strong> 2 – partly (the rule's proposal)" in html.unescape(item)
    settle = reverse("assessments:consensus_edit", args=[draft.pk, first.key])
    assert f'href="{settle}">Settle<span class="visually-hidden">: ' in item


def test_a_settled_answer_shows_who_settled_it_and_the_note_escaped(compared, people, client_for):
    draft, _first, second = compared
    client = client_for(people.respondent)

    response = client.get(reverse("assessments:compare", args=[draft.pk]))
    item = criterion_item(response.content.decode(), second.key)

    assert '<dd><span class="text-body-secondary">niet beantwoord</span></dd>' in item
    assert "Consensus:</strong> Weet niet (vastgelegd door Ann &amp; co " in item
    assert "“besproken op 12/3: &lt;i&gt;ok&lt;/i&gt;”" in item


def test_a_viewer_sees_the_rows_without_settle_links(compared, people, client_for):
    draft, first, _second = compared
    client = client_for(people.viewer)

    response = client.get(reverse("assessments:compare", args=[draft.pk]))

    assert response.status_code == 200
    assert f'id="criterion-{first.key}"' in response.content.decode()
    assert "/consensus/" not in response.content.decode()


def test_the_compare_rows_tag_formats_and_runs_no_query(compared, django_assert_num_queries):
    from django.template import Context, Template

    from assessments.perspective_compare import perspective_comparison

    draft, first, second = compared
    comparison = perspective_comparison(assessment=draft)
    template = Template(
        "{% load compare_rows %}{% compare_rows comparison.disagreements %}"
        "{% compare_rows comparison.agreements %}"
    )
    context = Context({"comparison": comparison, "assessment": draft, "can_settle": True})

    with django_assert_num_queries(0):
        html = template.render(context)

    assert f'id="criterion-{first.key}"' in html and f'id="criterion-{second.key}"' in html
