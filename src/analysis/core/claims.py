"""Checking the rounded claims of the question text against the official figures.

A claim such as "almost 63,000" is read by the precision it is written with: its last
non-zero digit sets the rounding unit (here 1,000). One rule for every rounded figure, the
question's statements and the press figures of the context alike: "almost X" ('bijna') fits a
value from X − unit up to X; "about X" ('ongeveer', or a round figure without a word) a value
within half a unit of X; "more than X" ('ruim', 'meer dan') a value above X up to X + unit.
"""

from __future__ import annotations

from dataclasses import dataclass

CONSISTENT, INCONSISTENT, UNCHECKABLE = "consistent", "inconsistent", "uncheckable"
#: The claim agrees with the figures, but one of them is itself a claim (a rounded base from the
#: same statement), so the agreement only shows the statement is internally consistent.
NOT_VERIFIABLE = "not_verifiable"
#: Verdicts that rest on an official figure; the others are counted apart.
VERIFIED = (CONSISTENT, INCONSISTENT)


def rounding_unit(value: float) -> float:
    """The place of the last non-zero digit of a whole number: 63000 -> 1000, 2 -> 1."""
    number = int(round(abs(value)))
    if number == 0 or value != int(value):
        return 0.1
    unit = 1
    while number % (unit * 10) == 0:
        unit *= 10
    return float(unit)


def interval(qualifier: str, claimed: float) -> tuple[float, float, bool, bool]:
    """The values a claim admits, as (low, high, low_inclusive, high_inclusive): the rule of this module's docstring."""
    unit = rounding_unit(claimed)
    if qualifier == "almost":
        return claimed - unit, claimed, True, False
    if qualifier in ("about", "round"):  # a round figure without a word is read as 'about'
        return claimed - unit / 2, claimed + unit / 2, True, True
    if qualifier == "more_than":
        return claimed, claimed + unit, False, True
    if qualifier == "exact":
        return claimed, claimed, True, True
    raise ValueError(f"unknown qualifier {qualifier!r}")


def fits(qualifier: str, claimed: float, value: float) -> bool:
    low, high, low_in, high_in = interval(qualifier, claimed)
    above = value >= low if low_in else value > low
    below = value <= high if high_in else value < high
    return above and below


@dataclass(frozen=True)
class ClaimCheck:
    claim_id: str
    qualifier: str
    claimed: float
    compared_with: str  # what the claim was checked against (a figure id or a formula)
    value_low: float | None
    value_high: float | None
    verdict: str
    against: tuple[str, ...] = ()  # the ids of the figures the value it was checked against comes from

    @property
    def value(self) -> float | None:
        if self.value_low is None or self.value_high is None:
            return None
        return (self.value_low + self.value_high) / 2


def check(
    claim_id: str,
    qualifier: str,
    claimed: float,
    low: float | None,
    high: float | None = None,
    compared_with: str = "",
    circular: bool = False,
    against: tuple[str, ...] = (),
) -> ClaimCheck:
    """Check a claim against a value, or against a range of values when an input is itself rounded.

    ``circular``: the value rests on another claim of the same statement (no official base), so
    agreement can only be "not verifiable"; disagreement still shows the statement contradicts itself.
    ``against``: the ids of the figures the value comes from, for the tables' references.
    """
    if low is None:
        return ClaimCheck(claim_id, qualifier, claimed, compared_with, None, None, UNCHECKABLE, ())
    high = low if high is None else high
    ok = fits(qualifier, claimed, low) and fits(qualifier, claimed, high)
    verdict = (NOT_VERIFIABLE if circular else CONSISTENT) if ok else INCONSISTENT
    return ClaimCheck(claim_id, qualifier, claimed, compared_with, low, high, verdict, tuple(against))
