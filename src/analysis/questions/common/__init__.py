"""What several questions share, so that no question module imports another.

``online`` holds the online enrolments of a period and the quoted statements about them (question 1,
and the online side of questions 2, 5, 6 and 7); ``contact`` the contact-learning actions of Table 1
(questions 5 and 6); ``context`` the public context figures (questions 5 and 7); ``extracts`` the
optional per-course and participant extracts (questions 2 to 4). An import-linter contract keeps the
question modules independent of each other.
"""
