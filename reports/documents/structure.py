"""One document structure of a report, written out as ODT (`odt.py`) and DOCX (`docx.py`).

`report_document(report)` turns the `Report` into blocks: headings of level 1–3, paragraphs,
lists, tables, the profile chart as an image with its alt text, a table of contents and page
breaks. Every figure comes from the Report and is written with the report's own formatters
(`report_format`, `benchmarks`), as on the page and in the PDF: nothing is computed here.
"""

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _

from assessments.templatetags.report_format import (
    index_format,
    percent,
    signed_delta,
    signed_number,
)
from benchmarks.templatetags.benchmarks import benchmark_band, benchmark_kind, benchmark_position
from documents.structure import (
    Block,
    Contents,
    Document,
    Heading,
    Image,
    ListBlock,
    ListItem,
    PageBreak,
    Paragraph,
    Table,
)
from reports.documents.chart import profile_chart_png
from reports.pdf import profile_alt
from reports.report import Report

# Disagreements listed per report, as in the PDF.
DISAGREEMENTS_SHOWN = 5
OUTCOME_LABELS = {"improved": "↑", "worse": "↓", "same": "="}


def _date(value) -> str:
    return date_format(localtime(value), "j F Y")


def _situation(report: Report) -> list[Block]:
    """The situation in two sentences: the phase claim, then its detail or the next step."""
    assessment = report.assessment
    first = report.headline.title
    if not report.insufficient_data:
        first += " · " + _("Maturity index %(index)s of 4") % {"index": index_format(report.index)}
    if assessment.is_draft:
        when = (
            _("Draft") + " · " + _("started on %(date)s") % {"date": _date(assessment.created_at)}
        )
    else:
        when = _("Submitted on %(date)s") % {"date": _date(assessment.submitted_at)}
    second = report.headline.next_step or report.headline.detail
    blocks: list[Block] = [
        Heading(2, _("Situation")),
        Paragraph(f"{first}.", lead=f"{assessment.title} ({when}): "),
    ]
    if second:
        blocks.append(Paragraph(second if second.endswith(".") else f"{second}."))
    if report.provisional:
        blocks.append(
            Paragraph(
                _(
                    "This assessment is not submitted yet: %(answered)s of %(total)s questions "
                    "are answered, and the result below can still change."
                )
                % {"answered": report.progress.answered, "total": report.progress.total},
                style="note",
            )
        )
    return blocks


def _change(report: Report) -> list[Block]:
    """Phase and change since the previous assessment, in the page's own sentences."""
    blocks: list[Block] = [Heading(2, _("Since last time"))]
    change = report.summary.change
    if change is None:
        blocks.append(
            Paragraph(
                _(
                    "No earlier submitted assessment to compare with: the next one will show "
                    "the change."
                )
            )
        )
        return blocks
    names = {
        "title": change.previous.title,
        "before": change.previous_phase_order,
        "after": report.phase.order,
    }
    if change.phase_changed and change.direction == "up":
        text = _("Risen from phase %(before)s to phase %(after)s since “%(title)s”.") % names
    elif change.phase_changed:
        text = _("Fallen from phase %(before)s to phase %(after)s since “%(title)s”.") % names
    else:
        text = _("Still in phase %(after)s, as at “%(title)s”.") % names
    text += " " + _("Index %(delta)s since “%(title)s”.") % {
        "delta": signed_number(change.index_delta),
        "title": change.previous.title,
    }
    blocks.append(Paragraph(text))
    if change.movers:
        movers = ", ".join(f"{m.dimension.name} {signed_delta(m.delta)}" for m in change.movers)
        blocks.append(Paragraph(f"{_('Moved most:')} {movers}."))
    else:
        blocks.append(Paragraph(_("No dimension moved.")))
    return blocks


def _priorities(report: Report) -> list[Block]:
    """The three priorities, or, with too few answers, the questions to answer first."""
    if report.insufficient_data:
        return [
            Heading(2, _("Answer these first")),
            ListBlock(
                tuple(ListItem(c.statement) for c in report.summary.answer_first), ordered=True
            ),
        ]
    if not report.summary.priorities:
        return []
    items = []
    for row in report.summary.priorities:
        why = _(
            "Why: your answer is “%(answer)s”, and it counts for %(phase)s (%(dimension)s)."
        ) % {
            "answer": row.answer_label,
            "phase": row.criterion.phase.name,
            "dimension": row.criterion.dimension.name,
        }
        items.append(
            ListItem(
                "",
                lead=row.criterion.statement,
                details=(why, f"{_('What:')} {row.criterion.advice}"),
            )
        )
    return [Heading(2, _("Top 3 priorities")), ListBlock(tuple(items), ordered=True)]


def _proposal(report: Report) -> list[Block]:
    """Page 1: the proposal to the college, ending in what it is asked (for the author to write)."""
    assessment = report.assessment
    model = _("Model: %(name)s, version %(version)s") % {
        "name": assessment.model_version.name,
        "version": assessment.model_version.version,
    }
    return [
        Heading(1, _("Proposal to the college")),
        Paragraph(
            f"{assessment.organisation.name} · {assessment.title} · {model}", style="subtitle"
        ),
        *_situation(report),
        *_change(report),
        *_priorities(report),
        Heading(2, _("What we ask of the college")),
        Paragraph(
            _(
                "[Write here what the college is asked to decide: for example to approve the "
                "three priorities, to appoint an owner for each and to free time or budget for "
                "them. Replace this paragraph.]"
            ),
            style="request",
        ),
    ]


def _growth_path(report: Report) -> list[Block]:
    rows = []
    for step in report.steps:
        if step.reached:
            reached = _("yes")
        elif step.insufficient_data:
            reached = _("no – too few answers")
        else:
            reached = _("no")
        rows.append(
            (
                f"{step.phase.order}. {step.phase.name}",
                percent(step.fulfilment) if step.determined else _("not yet known"),
                percent(step.threshold),
                percent(step.coverage),
                reached,
            )
        )
    header = (_("Phase"), _("Fulfilment"), _("Threshold"), _("Answered"), _("Reached"))
    return [
        Heading(2, _("Growth path")),
        Table(_("How far per phase"), header, tuple(rows)),
    ]


def _profile(report: Report) -> list[Block]:
    header = [_("Dimension"), _("Phase"), _("Index")]
    if report.previous:
        header.append(pgettext("difference from the previous assessment", "Change"))
    rows = []
    for row in report.dimensions:
        if row.index is None:
            cells = [row.dimension.name, _("not yet known (too few answers)"), "–"]
        else:
            cells = [
                row.dimension.name,
                f"{row.phase.order}. {row.phase.name}",
                index_format(row.index),
            ]
        if report.previous:
            cells.append(signed_delta(row.delta))
        rows.append(tuple(cells))
    png, width_cm, height_cm = profile_chart_png(report)
    caption = _("Maturity index per dimension (0–4)")
    if report.previous:
        caption += "; " + _("the mark is the previous assessment")
    return [
        Heading(2, _("Profile")),
        Table(_("Maturity per dimension"), tuple(header), tuple(rows)),
        Image(png, profile_alt(report), width_cm, height_cm, caption),
    ]


def _advice(report: Report) -> list[Block]:
    blocks: list[Block] = [Heading(2, _("Next steps"))]
    if report.insufficient_data:
        blocks.append(
            Paragraph(
                _(
                    "There is no advice yet: too few questions are answered. Answer the "
                    "questions listed at the top first."
                )
            )
        )
        return blocks
    if not report.advice:
        blocks.append(Paragraph(_("No open points: every statement of this phase is fully met.")))
    for dimension, rows in report.advice:
        items = []
        for row in rows:
            details = [row.criterion.advice]
            for action in row.actions:
                due = _("due %(date)s") % {"date": date_format(action.due_date, "j F Y")}
                status = action.get_status_display().lower()
                details.append(f"{_('In the action plan:')} {action.title} ({status}, {due})")
            items.append(
                ListItem(
                    f" ({row.answer_label})", lead=row.criterion.statement, details=tuple(details)
                )
            )
        blocks += [Heading(3, dimension.name), ListBlock(tuple(items))]
    if report.find_out_first or report.uncertain_first:
        unsure = _("answered, but unsure")
        blocks += [
            Heading(3, _("Find out first")),
            ListBlock(
                tuple(ListItem(c.statement) for c in report.find_out_first)
                + tuple(ListItem(f"{c.statement} ({unsure})") for c in report.uncertain_first)
            ),
        ]
    if report.strengths:
        blocks += [
            Heading(2, _("Strengths")),
            ListBlock(tuple(ListItem(f"{c.statement} ({c.phase.name})") for c in report.strengths)),
        ]
    return blocks


def _perspectives(report: Report) -> list[Block]:
    comparison = report.perspectives
    if comparison is None:
        return []
    count = len(comparison.perspectives)
    blocks: list[Block] = [
        Heading(2, _("Perspectives")),
        Paragraph(
            ngettext(
                "%(count)s group answered the questionnaire on its own; the result above is "
                "scored on the consensus the team settled.",
                "%(count)s groups answered the questionnaire on their own; the result above is "
                "scored on the consensus the team settled.",
                count,
            )
            % {"count": count}
        ),
    ]
    rows = tuple(
        (
            r.perspective.name,
            f"{r.phase.order}. {r.phase.name}" if r.phase else _("not yet known"),
            index_format(r.index) if r.index is not None else "–",
            f"{r.answered} / {r.total}",
        )
        for r in comparison.results
    )
    header = (_("Perspective"), _("Phase"), _("Index"), _("Answered"))
    blocks.append(Table("", header, rows))
    if comparison.disagreements:
        items = []
        for row in comparison.disagreements[:DISAGREEMENTS_SHOWN]:
            cells = " · ".join(
                f"{cell.perspective.name}: {cell.label if cell.value else '–'}"
                for cell in row.cells
            )
            consensus = f"{_('Consensus')}: {row.consensus_label or '–'}"
            items.append(ListItem("", lead=row.criterion.statement, details=(cells, consensus)))
        blocks += [
            Heading(3, _("Where they disagreed most, and how the team settled it")),
            ListBlock(tuple(items), ordered=True),
        ]
    else:
        blocks.append(
            Paragraph(_("The perspectives differed by less than two points on every question."))
        )
    return blocks


def _outcome(outcome: str) -> str:
    labels = {"improved": _("improved"), "worse": _("worse"), "same": _("same")}
    label = labels.get(outcome, _("not comparable"))
    return f"{OUTCOME_LABELS.get(outcome, '')} {label}".strip()


def _plan(report: Report) -> list[Block]:
    plan = report.plan
    if plan is None:
        return []
    blocks: list[Block] = [
        Heading(2, _("What changed since the previous assessment")),
        Paragraph(
            _("The actions of your action plan, checked against “%(title)s”.")
            % {"title": plan.previous.title}
        ),
    ]
    if plan.finished:
        items = tuple(
            ListItem(
                f" — {row.criterion.statement}",
                lead=row.action.title,
                details=(
                    _("Answer: %(before)s → %(after)s") % {"before": row.before, "after": row.after}
                    + f" ({_outcome(row.outcome)})",
                ),
            )
            for row in plan.finished
        )
        blocks += [Heading(3, _("Actions finished since then")), ListBlock(items)]
    if plan.still_open:
        items = tuple(
            ListItem(
                " ("
                + _("due %(date)s") % {"date": date_format(row.action.due_date, "j F Y")}
                + ") – "
                + _("answer now: %(answer)s") % {"answer": row.after},
                lead=row.action.title,
            )
            for row in plan.still_open
        )
        blocks += [Heading(3, _("Open actions on criteria that are still a gap")), ListBlock(items)]
    if plan.not_comparable:
        items = tuple(
            ListItem(f"{action.title} ({action.criterion_key})") for action in plan.not_comparable
        )
        blocks += [Heading(3, _("Not comparable")), ListBlock(items)]
    return blocks


def _benchmark(report: Report) -> list[Block]:
    comparison = report.benchmark
    if comparison is None:
        return []
    blocks: list[Block] = [Heading(2, _("Comparison"))]
    if comparison.released_at:
        blocks.append(Paragraph(_("As of %(date)s") % {"date": _date(comparison.released_at)}))
    if not comparison.group:
        blocks.append(
            Paragraph(
                _(
                    "No comparison can be shown: Groeipad never compares with fewer than five "
                    "other organisations, and never with a group that could single one out."
                )
            )
        )
        return blocks
    group = comparison.group
    name = benchmark_kind(group.kind)
    if group.population_band:
        name += f", {benchmark_band(group.population_band)}"
    name += f", {group.region}" if group.region else f", {_('all regions')}"
    blocks.append(
        Paragraph(
            ngettext(
                "Compared with the benchmark figures of a group of %(n)s organisation:",
                "Compared with the benchmark figures of a group of %(n)s organisations:",
                comparison.index.n,
            )
            % {"n": comparison.index.n}
            + f" {name}. "
            + _("No organisation is named and no single organisation's result is shown.")
        )
    )
    header = (
        _("Measure"),
        _("First quartile"),
        _("Median"),
        _("Third quartile"),
        _("Your organisation"),
        _("Position"),
    )
    index = comparison.index
    rows = [
        (
            _("Maturity index"),
            index_format(index.q1),
            index_format(index.median),
            index_format(index.q3),
            index_format(comparison.own_index),
            benchmark_position(comparison.position),
        )
    ]
    for row in comparison.dimensions:
        if row.distribution:
            spread = row.distribution
            rows.append(
                (
                    row.dimension.name,
                    index_format(spread.q1),
                    index_format(spread.median),
                    index_format(spread.q3),
                    index_format(row.own),
                    benchmark_position(row.position),
                )
            )
        else:
            rows.append(
                (row.dimension.name, _("not comparable"), "", "", index_format(row.own), "–")
            )
    blocks.append(Table("", header, tuple(rows)))
    return blocks


def _history(report: Report) -> list[Block]:
    blocks: list[Block] = [Heading(2, _("History"))]
    if not report.history:
        blocks.append(Paragraph(_("No assessment has been submitted yet.")))
        return blocks
    header = (_("Assessment"), _("Date"), _("Phase"), _("Index"))
    rows = tuple(
        (
            row.assessment.title,
            _date(row.assessment.submitted_at),
            f"{row.assessment.phase_order}. {row.phase_name}",
            index_format(row.index),
        )
        for row in report.history
    )
    blocks.append(Table("", header, rows))
    return blocks


def _comments(report: Report) -> list[Block]:
    if not report.comments:
        return []
    items = tuple(
        ListItem("", lead=criterion.statement, details=tuple(answer.comment.splitlines()))
        for criterion, answer in report.comments
    )
    return [Heading(2, _("Comments of the respondents")), ListBlock(items)]


def _assurance(report: Report) -> list[Block]:
    """What the result rests on, as the page and the PDF say it (evidence, unsure, validation)."""
    assurance = report.assurance
    rests = _("%(evidenced)s of %(answered)s answers with evidence; %(uncertain)s unsure.") % {
        "evidenced": assurance.evidenced,
        "answered": assurance.answered,
        "uncertain": assurance.uncertain,
    }
    if assurance.validated:
        validation = _("Validated by %(names)s on %(date)s.") % {
            "names": ", ".join(assurance.validators),
            "date": date_format(assurance.validated_on, "DATE_FORMAT"),
        }
    else:
        validation = _("Not validated.")
    return [Paragraph(f"{rests} {validation}")]


def report_document(report: Report, *, logo: Image | None = None) -> Document:
    """The report as one document structure, in the active language (no query).

    `logo`: the organisation's logo for the page header (PNG; its alt text the organisation's
    name), from whoever keeps it.
    """
    assessment = report.assessment
    blocks: list[Block] = [
        *_proposal(report),
        PageBreak(),
        Contents(_("Contents")),
        Heading(1, _("Annex: the detail")),
        *_assurance(report),
        *_growth_path(report),
        *_profile(report),
        *_advice(report),
        *_perspectives(report),
        *_plan(report),
        *_benchmark(report),
        *_history(report),
        *_comments(report),
    ]
    if report.provisional:
        blocks.insert(1, Paragraph(_("Provisional"), style="note"))
    return Document(
        title=f"{assessment.title} · {assessment.organisation.name}",
        subject=_("Social media maturity: management summary"),
        language=get_language() or "nl-be",
        header=assessment.organisation.name,
        page_word=_("Page"),
        blocks=tuple(blocks),
        logo=logo,
    )
