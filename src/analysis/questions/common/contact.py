"""Started contact-learning actions (the answer's Table 1), shared by questions 5 and 6."""

from __future__ import annotations

from analysis.core.measures import Quantity

MEASURE = "contact_actions_started"
POPULATION = "jobseekers_in_recognised_training"


def quantity(row) -> Quantity:
    """One cell of Table 1 (a month and a type of hours) as a quantity that knows what it counts."""
    period = f"{int(row.year):04d}-{int(row.month):02d}"
    return Quantity(float(row.actions), MEASURE, POPULATION, period, period, (row.figure_id,))
