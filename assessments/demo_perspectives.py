"""Demo data: three services answer "Meting 2026" of Gemeente Voorbeeld and settle a consensus.

The communicatiedienst's answers are the demo's; management (directie) answers one point lower,
and two points lower on a few questions; the youth service (jeugddienst) answers like the
communicatiedienst but two points higher on two questions. The median of the three is the
communicatiedienst's answer everywhere, so the demo's scores, history and action plan stay.
"""

from assessments.models import Assessment, Membership
from assessments.services import (
    AnswerInput,
    answers_save,
    consensus_save,
    perspective_create,
    perspective_update,
)
from maturity.models import AnswerValue

# Where management is two points lower: the disagreements the demo's meeting discussed.
DIRECTIE_FAR_APART = ("strategie-doelen-bepaald", "monitoring-tool", "webcare-antwoordtermijn")
# Where the youth service, which works with young people online every day, is two points higher.
JEUGDDIENST_HIGHER = ("participatie-behoeften-bevraagd", "tools-nieuwe-kansen")
DEMO_NOTES = {
    "strategie-doelen-bepaald": (
        "Besproken op het managementteam van 12 maart: de doelen staan in de visietekst die het "
        "college goedkeurde; de directie kende die nog niet."
    ),
    "monitoring-tool": "Besproken op 12 maart: we houden het antwoord van de communicatiedienst.",
}


def _shift(value: str, points: int) -> str:
    if value not in ("0", "1", "2", "3", "4"):
        return value
    return str(max(0, min(4, int(value) + points)))


def _answers(inputs: list[AnswerInput], change) -> list[AnswerInput]:
    return [
        AnswerInput(criterion=i.criterion, value=change(i), comment="", loaded_revision=0)
        for i in inputs
    ]


def _directie(item: AnswerInput) -> str:
    return _shift(item.value, -2 if item.criterion.key in DIRECTIE_FAR_APART else -1)


def _jeugddienst(item: AnswerInput) -> str:
    return _shift(item.value, 2 if item.criterion.key in JEUGDDIENST_HIGHER else 0)


def demo_perspectives_create(
    *, assessment: Assessment, users: dict, answers: list[AnswerInput]
) -> None:
    """Add the Directie and Jeugddienst perspectives with their answers, and settle two."""
    admin, contributor = users["beheer"], users["jana"]
    memberships = {
        m.user_id: m for m in Membership.objects.filter(organisation_id=assessment.organisation_id)
    }
    first = assessment.perspectives.get()
    perspective_update(
        assessment=assessment,
        perspective_id=first.pk,
        user=admin,
        name=first.name,
        member_ids=[memberships[users["communicatie"].pk].pk],
    )
    for name, member, change in (
        ("Directie", admin, _directie),
        ("Jeugddienst", contributor, _jeugddienst),
    ):
        perspective = perspective_create(assessment=assessment, user=admin, name=name)
        perspective_update(
            assessment=assessment,
            perspective_id=perspective.pk,
            user=admin,
            name=name,
            member_ids=[memberships[member.pk].pk],
        )
        answers_save(
            assessment=assessment,
            user=member,
            answers=_answers(answers, change),
            perspective_id=perspective.pk,
        )
    by_key = {item.criterion.key: item for item in answers}
    for key, note in DEMO_NOTES.items():
        if key in by_key:
            value = by_key[key].value
            consensus_save(
                assessment=assessment,
                user=admin,
                criterion=by_key[key].criterion,
                value=value if value in AnswerValue.values else "dk",
                note=note,
                loaded_revision=0,
                previous_value=value,
            )
