"""Question 2: which online courses were followed, from the per-course extract when present."""

from __future__ import annotations

from analysis import parameters
from analysis.questions.common import extracts, online
from analysis.questions.common.extracts import Courses
from analysis.report.frame import Report
from analysis.report.narrative import Figure, names
from analysis.report.render import Html, join

#: The caveats of this report (message keys).
CAVEATS = ("q2.caveat.1", "q2.caveat.2")
#: The answer after which the source carries an unexplained spreadsheet link (its locator names it too).
LINK_AFTER_ANSWER = 5
#: The number of the answer's annex with the figures per course (source wq-annex-1).
ANNEX = 1


def compute(rep: Report, top_n: int) -> Courses:
    top_n = parameters.TOP_N.check(top_n)
    return extracts.courses(rep, top_n)


def short_answer(rep: Report, c: Courses) -> Html:
    findings(rep, c)
    L = rep.lang
    figures: list[Figure] = []
    if not c.available:
        annex = rep.source("wq-annex-1", "Antwoord 2 en bijlage 1 (cijfers niet overgenomen)")
        date = L.partial_date(annex.date)
        figures += names(annex.title, L) + names(date, L) + [Figure(ANNEX, "label")]
        paragraphs = [  # what the answer says is missing, then where it points to, then what that counts
            rep.th("q2.short.missing"),
            rep.th("q2.short.annex", annex=L.num(ANNEX), annex_title=annex.title, annex_date=date),
            rep.th("q2.short.annex_unit"),
        ]
        if "wq-answer-sheet" in set(rep.data["sources"].source_id):
            rep.source("wq-answer-sheet", f"Antwoord {LINK_AFTER_ANSWER}, link onder de toelichting")
            paragraphs.append(rep.th("q2.short.link", answer=L.num(LINK_AFTER_ANSWER)))
            figures.append(Figure(LINK_AFTER_ANSWER, "label"))
    else:
        top = c.frame.iloc[0]
        dates = ", ".join(L.date(d) for d in c.report_dates)
        figures += [Figure(len(c.frame)), Figure(c.total_enrolments), Figure(float(top.enrolments))]
        figures += [Figure(v, "pct") for v in (c.completed_weighted_pct, c.in_progress_weighted_pct) if v is not None]
        figures += names(str(top.course), L) + names(dates, L)
        paragraphs = [
            rep.th(
                "q2.short.present",
                period=rep.period,
                courses=L.count(len(c.frame)),
                total=L.count(c.total_enrolments),
                top=top.course,
                top_n=L.count(top.enrolments),
                completed=L.pct(c.completed_weighted_pct),
                in_progress=L.pct(c.in_progress_weighted_pct),
                date=dates,
            )
        ]
        official = online.enrolments(rep, rep.year).get("vdab_platform")
        if official is not None and official.value:
            figures += [Figure(official.value), Figure(c.total_enrolments / official.value * 100, "pct")]
            # A list that adds up to more than the official total is said so, never as a part above 100%.
            above = c.total_enrolments > official.value
            paragraphs.append(
                rep.th(
                    "q2.short.compare_official_above" if above else "q2.short.compare_official",
                    official=L.count(official.value),
                    total=L.count(c.total_enrolments),
                    pct=L.pct(c.total_enrolments / official.value * 100),
                )
            )
    return rep.short_answer(paragraphs, figures)


def findings(rep: Report, c: Courses) -> None:
    """The key finding for the front sheet, when a per-course extract answers the question."""
    if not c.available or c.completed_weighted_pct is None:
        return
    L = rep.lang
    dates = ", ".join(L.date(d) for d in c.report_dates)
    figures = [Figure(len(c.frame)), Figure(c.total_enrolments), Figure(c.completed_weighted_pct, "pct"), *names(dates, L)]
    text = rep.th(
        "q2.finding.present",
        period=rep.period,
        courses=L.count(len(c.frame)),
        total=L.num(c.total_enrolments),
        completed=L.pct(c.completed_weighted_pct),
        date=dates,
    )
    rep.finding(text, figures, ["official"])


def caveats(rep: Report) -> Html:
    """The caveats on the course figures, where there are any: without a course list they would explain nothing."""
    return rep.caveats(CAVEATS) if extracts.has_courses(rep) else Html("")


def details(rep: Report, c: Courses, top_n: int) -> Html:
    if not c.available:
        return Html("")
    table = extracts.courses_table(rep, c, top_n)
    chart = extracts.courses_chart(rep, c, top_n)
    return join(table, chart)


def key_figures(c: Courses) -> dict[str, object]:
    if not c.available:
        return {"available": False}
    return {
        "courses": len(c.frame),
        "enrolments": c.total_enrolments,
        "top": c.frame.iloc[0].course,
        "completed_weighted_pct": round(c.completed_weighted_pct, 1),
    }
