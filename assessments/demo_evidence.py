"""Demo evidence: links and small files on several answers of the demo's "Meting 2026".

Added through the same services as in the app (checked by content, stored in the evidence
storage), before that assessment is submitted; its re-assessment carries them over.
"""

import io

from assessments.models import Assessment
from assessments.services.evidence import evidence_file_add, evidence_link_add
from maturity.selectors import model_version_structure

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
DEMO_CSV = (
    b"maand;berichten;beantwoord binnen 24 uur\njuli;412;388\naugustus;376;360\nseptember;455;431\n"
)
# (criterion key, kind, value, description)
DEMO_EVIDENCE = [
    (
        "strategie-doelen-bepaald",
        "file",
        ("socialemediastrategie-2026.pdf", DEMO_PDF),
        "Socialemediastrategie, goedgekeurd door het college",
    ),
    (
        "strategie-doelen-bepaald",
        "link",
        "https://www.voorbeeld.example/bestuur/besluiten/2026-03-12",
        "Collegebesluit van 12 maart",
    ),
    (
        "organisatie-reactieschema",
        "file",
        ("reactieschema.pdf", DEMO_PDF),
        "Reactieschema voor webcare",
    ),
    (
        "webcare-antwoordtermijn",
        "file",
        ("webcare-cijfers-q3.csv", DEMO_CSV),
        "Webcarecijfers van het derde kwartaal",
    ),
    (
        "monitoring-crisisplan",
        "link",
        "https://intranet.voorbeeld.example/crisiscommunicatie",
        "Crisiscommunicatieplan op het intranet",
    ),
]


def demo_evidence_create(*, assessment: Assessment, user) -> int:
    """Add the demo evidence to the assessment's first perspective; returns how many."""
    criteria = model_version_structure(version=assessment.model_version).criteria_by_key
    added = 0
    for key, kind, value, description in DEMO_EVIDENCE:
        criterion = criteria.get(key)
        if criterion is None:
            continue
        if kind == "link":
            evidence_link_add(
                assessment=assessment,
                user=user,
                perspective_id=None,
                criterion=criterion,
                url=value,
                description=description,
            )
        else:
            filename, content = value
            evidence_file_add(
                assessment=assessment,
                user=user,
                perspective_id=None,
                criterion=criterion,
                file=io.BytesIO(content),
                filename=filename,
                size=len(content),
                description=description,
            )
        added += 1
    return added
