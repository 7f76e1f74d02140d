"""Reads of the maturity model, and the adapter that feeds the scoring service."""

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from django.db.models import Q

from maturity import caching
from maturity.models import Criterion, CriterionReplacement, Dimension, ModelVersion, Phase
from maturity.scoring import CriterionSpec, DimensionSpec, ModelSpec, PhaseSpec


@dataclass(frozen=True)
class ModelStructure:
    """A model version with its phases, dimensions and criteria, loaded in a fixed few queries."""

    version: ModelVersion
    phases: tuple[Phase, ...]
    dimensions: tuple[Dimension, ...]
    criteria: tuple[Criterion, ...]
    spec: ModelSpec

    def criteria_of_dimension(self, dimension: Dimension) -> list[Criterion]:
        return [c for c in self.criteria if c.dimension_id == dimension.pk]

    @property
    def criteria_by_key(self) -> dict[str, Criterion]:
        return {c.key: c for c in self.criteria}

    @property
    def phases_by_key(self) -> dict[str, Phase]:
        return {p.key: p for p in self.phases}

    @property
    def dimensions_by_key(self) -> dict[str, Dimension]:
        return {d.key: d for d in self.dimensions}


def model_version_get(*, pk: int) -> ModelVersion | None:
    """Any version, draft or published, by primary key (for model editors), or None."""
    if not 0 < pk < 2**63:
        return None
    return ModelVersion.objects.filter(pk=pk).first()


def model_version_latest_published(*, slug: str | None = None) -> ModelVersion | None:
    """The newest published version (of one model, or of any): the one new assessments use."""
    versions = ModelVersion.objects.published()
    if slug:
        versions = versions.filter(slug=slug)
    return versions.order_by("-published_at", "-version").first()


def build_spec(
    *,
    version: ModelVersion,
    phases: tuple[Phase, ...],
    dimensions: tuple[Dimension, ...],
    criteria: tuple[Criterion, ...],
) -> ModelSpec:
    """Turn model rows into the scoring service's plain, exact data."""
    phase_keys = {p.pk: p.key for p in phases}
    dimension_keys = {d.pk: d.key for d in dimensions}
    return ModelSpec(
        slug=version.slug,
        version=version.version,
        phases=tuple(
            PhaseSpec(key=p.key, order=p.order, threshold=Fraction(p.threshold)) for p in phases
        ),
        dimensions=tuple(DimensionSpec(key=d.key, order=d.order) for d in dimensions),
        criteria=tuple(
            CriterionSpec(
                key=c.key,
                phase=phase_keys.get(c.phase_id, ""),
                dimension=dimension_keys.get(c.dimension_id, ""),
                order=c.order,
                weight=Fraction(c.weight),
            )
            for c in criteria
        ),
        minimum_coverage=Fraction(version.minimum_coverage),
    )


def model_version_structure(*, version: ModelVersion) -> ModelStructure:
    """Phases, dimensions and criteria of a version: three queries, or none for a cached one.

    A published version never changes, so its structure is cached (see `maturity.caching`);
    a draft is read fresh every time.
    """
    if version.is_draft:
        return _structure_load(version)
    return caching.published_structure(
        version_id=version.pk,
        published_at=version.published_at,
        load=lambda: _structure_load(version),
    )


def _structure_load(version: ModelVersion) -> ModelStructure:
    """Load a version's phases, dimensions and criteria in three queries."""
    phases = tuple(Phase.objects.filter(version=version).order_by("order"))
    dimensions = tuple(Dimension.objects.filter(version=version).order_by("order"))
    phase_by_id = {p.pk: p for p in phases}
    dimension_by_id = {d.pk: d for d in dimensions}
    criteria = list(Criterion.objects.filter(version=version))
    for criterion in criteria:
        # Attach the already loaded rows so templates can follow the relations without queries.
        criterion.phase = phase_by_id[criterion.phase_id]
        criterion.dimension = dimension_by_id[criterion.dimension_id]
        criterion.version = version
    criteria.sort(key=lambda c: (c.dimension.order, c.order, c.phase.order, c.key))
    return ModelStructure(
        version=version,
        phases=phases,
        dimensions=dimensions,
        criteria=tuple(criteria),
        spec=build_spec(
            version=version, phases=phases, dimensions=dimensions, criteria=tuple(criteria)
        ),
    )


def criterion_key_replacements(*, version: ModelVersion) -> dict[str, str]:
    """Where the crosswalk leads each removed key of this model up to ``version``.

    Chains are followed (a → b in version 2, b → c in version 3 gives a → c and b → c). One
    query; none for a published version seen before (``maturity.caching``).
    """
    if version.is_draft:
        return _replacements_load(version)
    return caching.published_replacements(
        version_id=version.pk,
        published_at=version.published_at,
        load=lambda: _replacements_load(version),
    )


def _replacements_load(version: ModelVersion) -> dict[str, str]:
    # Only versions that were published count (and this one): a draft's crosswalk may change.
    rows = (
        CriterionReplacement.objects.filter(
            Q(version=version) | ~Q(version__status=ModelVersion.Status.DRAFT),
            version__slug=version.slug,
            version__version__lte=version.version,
        )
        .order_by("version__version", "pk")
        .values_list("old_key", "new_key")
    )
    replaced: dict[str, str] = {}
    for old_key, new_key in rows:
        for earlier, target in replaced.items():
            if target == old_key:
                replaced[earlier] = new_key
        replaced[old_key] = new_key
    return replaced


@dataclass(frozen=True)
class OlderDraft:
    """An organisation's draft assessment on an older version of a model."""

    assessment_id: int
    title: str
    organisation: str
    version: int
    created_at: datetime


def model_drafts_on_older_versions(*, slug: str, below: int) -> list[OlderDraft]:
    """Every organisation's draft on a version of the model numbered below ``below``; one query.

    Read through the versions' reverse relation, so the model app imports nothing of the
    assessments app.
    """
    rows = (
        ModelVersion.objects.filter(slug=slug, version__lt=below, assessments__status="draft")
        .order_by("assessments__organisation__name", "version", "assessments__pk")
        .values_list(
            "assessments__pk",
            "assessments__title",
            "assessments__organisation__name",
            "version",
            "assessments__created_at",
        )
    )
    return [OlderDraft(*row) for row in rows]


@dataclass(frozen=True)
class ModelOverview:
    """One model (slug) for its editors: its versions, and organisations' drafts on old ones."""

    slug: str
    drafts: tuple[ModelVersion, ...]
    current: ModelVersion | None
    archived: tuple[ModelVersion, ...]
    older_drafts: tuple[OlderDraft, ...]


def model_overview_list(*, user) -> list[ModelOverview] | None:
    """Every model with its versions and the organisations' drafts on archived versions, in two
    queries; None for anyone who is no model editor (staff who may view model versions)."""
    if not (user.is_staff and user.has_perm("maturity.view_modelversion")):
        return None
    versions = list(ModelVersion.objects.order_by("slug", "-version"))
    older: dict[str, list[OlderDraft]] = {}
    for row in (
        ModelVersion.objects.filter(
            status=ModelVersion.Status.ARCHIVED, assessments__status="draft"
        )
        .order_by("slug", "assessments__organisation__name", "version", "assessments__pk")
        .values_list(
            "slug",
            "assessments__pk",
            "assessments__title",
            "assessments__organisation__name",
            "version",
            "assessments__created_at",
        )
    ):
        older.setdefault(row[0], []).append(OlderDraft(*row[1:]))
    overview = []
    for slug in dict.fromkeys(v.slug for v in versions):
        own = [v for v in versions if v.slug == slug]
        overview.append(
            ModelOverview(
                slug=slug,
                drafts=tuple(v for v in own if v.is_draft),
                current=next((v for v in own if v.status == ModelVersion.Status.PUBLISHED), None),
                archived=tuple(v for v in own if v.status == ModelVersion.Status.ARCHIVED),
                older_drafts=tuple(older.get(slug, ())),
            )
        )
    return overview
