import pytest

from analysis.core import claims


@pytest.mark.parametrize("value,unit", [(63000, 1000), (29000, 1000), (2, 1), (23500, 100), (110000, 10000)])
def test_rounding_unit(value, unit):
    assert claims.rounding_unit(value) == unit


def test_almost_about_more_than():
    assert claims.fits("almost", 63000, 62297)
    assert not claims.fits("almost", 63000, 63555)
    assert not claims.fits("almost", 63000, 61900)
    assert claims.fits("about", 29000, 28500) and not claims.fits("about", 29000, 29501)
    assert claims.fits("more_than", 2, 2.0001) and not claims.fits("more_than", 2, 2)


def test_check_over_an_interval_needs_both_ends():
    assert claims.check("R", "more_than", 2, 2.11, 2.19).verdict == claims.CONSISTENT
    assert claims.check("R", "more_than", 2, 1.98, 2.05).verdict == claims.INCONSISTENT
    assert claims.check("R", "more_than", 2, None).verdict == claims.UNCHECKABLE


def test_a_round_number_without_a_word_is_read_as_about_but_worded_as_it_stands():
    """The question's bare 29.000: the interval of 'about', the wording of the number itself (editor, round 36)."""
    from analysis.questions import q6_fact_check as q6
    from tests.helpers import open_report

    assert claims.interval("round", 29000) == claims.interval("about", 29000) == (28500, 29500, True, True)
    for lang, words in (("nl", "29.000 (vermoedelijk afgerond)"), ("en", "29,000 (probably rounded)")):
        rep = open_report("q6", lang=lang)
        assert rep.t("claim.wording.round", value=rep.lang.num(29000)) == words
        text = repr(q6.short_answer(rep, q6.compute(rep), q6.claim_checks(rep)))
        assert words in text and rep.t("claim.wording.about", value=rep.lang.num(29000)) not in text
