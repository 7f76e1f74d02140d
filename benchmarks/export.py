"""The sector view's aggregates as CSV: groups, phases per year, gaps; never an organisation."""

import csv
import io

from assessments.services import neutralise_formula
from benchmarks.sector import SectorView

COLUMNS = ("section", "kind", "population_band", "region", "year", "criterion", "measure", "value")


def _phase_rows(section: str, place: list, phases, structure) -> list[list]:
    keys = [phase.key for phase in structure.phases] + ["other"]
    rows = [[section, *place, "", "n", phases.n]]
    rows += [
        [section, *place, "", f"phase_share_{key}", percent]
        for key, percent in zip(keys, phases.percents, strict=True)
    ]
    return rows


def sector_csv(*, view: SectorView) -> str:
    """The aggregates of a sector view, one measure a row, every cell quoted and formula-safe."""
    released = view.released_at.date().isoformat() if view.released_at else ""
    rows: list[list] = [["release", "", "", "", "", "", "released_on", released]]
    for group in view.groups:
        place = [*[*group.path, "", "", ""][:3], ""]
        rows += _phase_rows("group", place, group.phases, view.structure)
        for name, value in zip(("q1", "median", "q3"), group.index.quartiles, strict=True):
            if value is not None:  # a group without spread publishes its median only
                rows.append(["group", *place, "", f"index_{name}", value])
    for year in view.years:
        rows += _phase_rows("year", ["", "", "", year.year], year.phases, view.structure)
    for gap in view.gaps:
        rows.append(["gap", "", "", "", "", gap.key, "share_below_fully_percent", gap.percent])
    buffer = io.StringIO()
    # Every field quoted and neutralised: region names are typed by people.
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow(COLUMNS)
    writer.writerows([neutralise_formula(str(cell)) for cell in row] for row in rows)
    return buffer.getvalue()
