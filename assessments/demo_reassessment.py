"""Demo data: a second version of the default model and a re-assessment started on it.

Version 2 rewords one criterion (same key), replaces one by a new key (with a crosswalk) and adds
one. Gemeente Voorbeeld then starts "Hermeting 2027" from "Meting 2026": its answers carried
over, the first step confirmed, the rest still to confirm.
"""

import copy

from assessments.models import Assessment, Organisation
from assessments.services import answers_confirm, reassessment_start
from maturity.crosswalk_models import CriterionReplacement
from maturity.models import ModelVersion
from maturity.selectors import model_version_structure
from maturity.services import model_version_export, model_version_import, model_version_publish

REWORDED_KEY = "tools-gekoppelde-systemen"
REPLACED_KEY, REPLACEMENT_KEY = (
    "participatie-netwerken-ondersteunen",
    "participatie-initiatieven-steunen",
)
ADDED_KEY = "tools-toegankelijke-berichten"


def _second_version_data(data: dict) -> dict:
    data = copy.deepcopy(data)
    criteria = {c["key"]: c for c in data["criteria"]}
    criteria[REWORDED_KEY]["statement"] = {
        "nl": "Berichten via sociale media komen zonder overtypen in onze systemen voor "
        "klantcontact en dossierbeheer.",
        "en": "Messages via social media reach our customer contact and case management "
        "systems without retyping.",
    }
    replacement = criteria.pop(REPLACED_KEY)
    replacement = {**replacement, "key": REPLACEMENT_KEY}
    replacement["statement"] = {
        "nl": "We steunen initiatieven van inwoners met kennis, middelen en het bereik van onze "
        "kanalen, en zeggen hoe ze die steun vragen.",
        "en": "We support residents' initiatives with knowledge, resources and the reach of our "
        "channels, and say how to ask for that support.",
    }
    added = {
        **criteria[REWORDED_KEY],
        "key": ADDED_KEY,
        "phase": "converseren",
        "order": 9,
        "statement": {
            "nl": "Onze berichten zijn toegankelijk: ondertitels bij video, alt-tekst bij beelden, "
            "duidelijke taal.",
            "en": "Our posts are accessible: subtitles on video, alt text on images, plain "
            "language.",
        },
        "help_text": {
            "nl": "Tel mee als de meeste berichten dat halen, niet alleen die van de "
            "communicatiedienst.",
            "en": "Count it if most posts do, not only those of the communication team.",
        },
        "advice": {
            "nl": "Maak een korte checklist voor toegankelijke berichten en geef ze aan elke "
            "dienst die zelf post.",
            "en": "Make a short checklist for accessible posts and give it to every service "
            "that posts itself.",
        },
    }
    data["criteria"] = [*criteria.values(), replacement, added]
    return data


def demo_second_version_publish(*, version: ModelVersion) -> ModelVersion:
    """Publish version 2 of the default model with its crosswalk (the previous one is archived)."""
    data = _second_version_data(model_version_export(version=version))
    draft = model_version_import(data=data)
    CriterionReplacement.objects.create(
        version=draft, old_key=REPLACED_KEY, new_key=REPLACEMENT_KEY
    )
    return model_version_publish(version=draft)


def demo_reassessment_create(
    *, organisation: Organisation, users: dict, start_from: Assessment
) -> Assessment:
    """Start "Hermeting 2027" from the last assessment and confirm its first step."""
    user = users["communicatie"]
    draft = reassessment_start(
        organisation=organisation, user=user, title="Hermeting 2027", start_from=start_from
    )
    structure = model_version_structure(version=draft.model_version)
    first_step = structure.criteria_of_dimension(structure.dimensions[0])
    answers_confirm(assessment=draft, user=user, criterion_keys=[c.key for c in first_step])
    return draft
