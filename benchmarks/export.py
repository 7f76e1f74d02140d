"""The sector view's aggregates as CSV: groups, phases per year, the criteria with the lowest
median fulfilment; never an organisation. In the reader's language (`assessments.spreadsheet`):
column names, sections, measures, kinds, bands and statements in words, numbers as it writes them.
"""

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from assessments.models import Organisation
from assessments.spreadsheet import csv_text
from benchmarks.disclosure import POPULATION_BAND_LABELS
from benchmarks.sector import PhaseSpread, SectorView

COLUMNS = (
    pgettext_lazy("CSV column", "Section"),
    pgettext_lazy("CSV column", "Kind"),
    pgettext_lazy("CSV column", "Population"),
    pgettext_lazy("CSV column", "Region"),
    pgettext_lazy("CSV column", "Year"),
    pgettext_lazy("CSV column", "Criterion"),
    pgettext_lazy("CSV column", "Measure"),
    pgettext_lazy("CSV column", "Value"),
)


def _place(path: tuple[str, ...]) -> list[str]:
    """A group's kind, population band and region in words ("" where the group is wider)."""
    kind, band, region = [*path, "", "", ""][:3]
    kinds = dict(Organisation.Kind.choices)
    return [str(kinds.get(kind, kind)), str(POPULATION_BAND_LABELS.get(band, band)), region]


def _phase_rows(section: str, place: list, phases: PhaseSpread, structure) -> list[list]:
    names = [_("share in phase %(phase)s (percent)") % {"phase": p.name} for p in structure.phases]
    names.append(_("share in another phase (percent)"))
    rows = [[section, *place, "", _("number of organisations"), number_format(phases.n)]]
    rows += [
        [section, *place, "", name, number_format(share)]
        for name, share in zip(names, phases.percents, strict=True)
    ]
    return rows


def sector_csv(*, view: SectorView) -> str:
    """The aggregates of a sector view, one measure a row, every cell quoted and formula-safe."""
    released = timezone.localdate(view.released_at).isoformat() if view.released_at else ""
    rows: list[list] = [[_("release"), "", "", "", "", "", _("released on"), released]]
    quartiles = (
        _("maturity index, first quartile"),
        _("maturity index, median"),
        _("maturity index, third quartile"),
    )
    for group in view.groups:
        place = [*_place(group.path), ""]
        rows += _phase_rows(_("group"), place, group.phases, view.structure)
        for name, value in zip(quartiles, group.index.quartiles, strict=True):
            if value is not None:  # a group without spread publishes its median only
                rows.append([_("group"), *place, "", name, number_format(value, 2)])
    for year in view.years:
        place = ["", "", "", str(year.year)]
        rows += _phase_rows(_("year"), place, year.phases, view.structure)
    for gap in view.gaps:
        rows.append(
            [
                _("lowest fulfilment"),
                "",
                "",
                "",
                "",
                gap.criterion.statement,
                _("median fulfilment (percent)"),
                number_format(gap.percent),
            ]
        )
    return csv_text([COLUMNS, *rows])
