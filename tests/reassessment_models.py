"""Model versions and assessments for the re-assessment tests: a next version, a submitted one."""

from assessments.models import Assessment
from assessments.services import (
    AnswerInput,
    answers_save,
    assessment_create,
    assessment_submit,
    perspective_create,
    perspective_update,
)
from maturity.crosswalk_models import CriterionReplacement
from maturity.models import Criterion, ModelVersion
from maturity.selectors import model_version_structure
from maturity.services import model_version_new_draft, model_version_publish


def next_version(
    previous: ModelVersion,
    *,
    rename: dict[str, str] | None = None,
    remove: tuple[str, ...] = (),
    add: dict[str, str] | None = None,
    reword: dict[str, str] | None = None,
) -> ModelVersion:
    """Publish the next version of ``previous``'s model.

    ``rename``: old key -> new key, with a crosswalk; ``remove``: keys dropped without one;
    ``add``: new key -> the key of the criterion it copies (phase, dimension, weight);
    ``reword``: key -> its new Dutch statement.
    """
    draft = model_version_new_draft(source=previous)
    for old, new in (rename or {}).items():
        Criterion.objects.filter(version=draft, key=old).update(key=new)
        CriterionReplacement.objects.create(version=draft, old_key=old, new_key=new)
    Criterion.objects.filter(version=draft, key__in=remove).delete()
    for number, (key, like) in enumerate((add or {}).items(), start=1):
        criterion = Criterion.objects.get(version=draft, key=like)
        criterion.pk = None
        criterion.key = key
        criterion.order = 1000 + number
        criterion.statement_nl = f"Nieuwe stelling {key}"
        criterion.statement_en = f"New statement {key}"
        criterion.save()
    for key, statement in (reword or {}).items():
        Criterion.objects.filter(version=draft, key=key).update(statement_nl=statement)
    return model_version_publish(version=draft)


def answer_inputs(assessment: Assessment, values: dict[str, str], comment: str = ""):
    """AnswerInputs for a new assessment's criteria: ``values`` by key, with a comment each."""
    structure = model_version_structure(version=assessment.model_version)
    return [
        AnswerInput(
            criterion=c,
            value=values[c.key],
            comment=comment.format(key=c.key),
            loaded_revision=0,
        )
        for c in structure.criteria
        if c.key in values
    ]


def submitted_with(
    people, title: str, value_of, *, comment: str = "", perspectives=None
) -> Assessment:
    """A submitted assessment answered by ``value_of(key)``; with ``perspectives`` as
    {name: (membership, value_of)} each extra perspective answers with its own function."""
    assessment = assessment_create(
        organisation=people.organisation, user=people.respondent, title=title
    )
    keys = model_version_structure(version=assessment.model_version).criteria_by_key
    answers_save(
        assessment=assessment,
        user=people.respondent,
        answers=answer_inputs(assessment, {k: value_of(k) for k in keys}, comment),
    )
    for name, (membership, values) in (perspectives or {}).items():
        perspective = perspective_create(assessment=assessment, user=people.admin, name=name)
        perspective_update(
            assessment=assessment,
            perspective_id=perspective.pk,
            user=people.admin,
            name=name,
            member_ids=[membership.pk],
        )
        answers_save(
            assessment=assessment,
            user=people.admin,
            answers=answer_inputs(assessment, {k: values(k) for k in keys}),
            perspective_id=perspective.pk,
        )
    return assessment_submit(assessment=assessment, user=people.respondent)
