"""Parsing of typed answers: units, ranges, choices, yes/no, multiple choice."""

from __future__ import annotations

import pytest

from assistant.engine import answers
from assistant.engine.dialog import Measure, Option
from assistant.engine.errors import AnswerError
from assistant.engine.facts import BelowLimit
from assistant.engine.schema import Interval

CALCIUM = Measure(unit="mg/dL", units={"mg/dL": 1, "mmol/L": 4.008},
                  plausible=Interval(low=3, high=20), below=True)
PLATELETS = Measure(unit="10^9/L", units={"10^9/L": 1, "/mm3": 0.001},
                    plausible=Interval(low=1, high=3000), below=True)
CRP = Measure(unit="mg/L", units={"mg/L": 1, "mg/dL": 10},
              plausible=Interval(low=0, high=600), below=True, negative=True)
WEIGHT = Measure(unit="kg", units={"kg": 1, "g": 0.001, "lb": 0.45359237},
                 plausible=Interval(low=0.5, high=200))
OPTIONS = (Option(value="none", label="None", exclusive=True), Option(value="mild", label="Mild"),
           Option(value="severe", label="Severe"))


@pytest.mark.parametrize("raw, expected", [
    ("8.78", 8.78), (8.78, 8.78), ("2.19 mmol/L", 8.778), ("2,19 mmol/l", 8.778),
    ("2.19mmol/L", 8.778), ("9 mg/dL", 9.0),
])
def test_numbers_convert_to_the_canonical_unit(raw, expected):
    assert answers.parse_number(raw, CALCIUM, "calcium")[0] == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["443000/mm3", "443000 /mm³", "443 x10^9/L", "443 ×10⁹/L"])
def test_platelet_spellings(raw):
    assert answers.parse_number(raw, PLATELETS, "platelets")[0] == pytest.approx(443)


def test_out_of_range_names_the_range_and_suggests_the_other_unit():
    with pytest.raises(AnswerError) as err:
        answers.parse_number("2.19", CALCIUM, "calcium")
    message = str(err.value)
    assert "3–20 mg/dL" in message
    assert "2.19 mmol/L" in message


def test_unknown_unit_lists_the_accepted_units():
    with pytest.raises(AnswerError, match=r"unknown unit 'mg/L'.*mg/dL, mmol/L"):
        answers.parse_number("9 mg/L", CALCIUM, "calcium")


def test_a_range_error_speaks_in_the_unit_typed():
    with pytest.raises(AnswerError) as err:
        answers.parse_number("40 mmol/L", CALCIUM, "calcium")
    # not "160.32 mg/dL is outside 3–20 mg/dL": the limits are converted, rounded inwards
    assert str(err.value) == "40 mmol/L is outside the accepted range 0.749–4.99 mmol/L for calcium"
    assert answers.parse_number("0.749 mmol/L", CALCIUM, "calcium")[0] == pytest.approx(3.002)
    assert answers.parse_number("4.99 mmol/L", CALCIUM, "calcium")[0] == pytest.approx(20.0, abs=0.01)
    with pytest.raises(AnswerError, match="^500 lb is outside the accepted range 1.11–440 lb "
                                          "for weight$"):
        answers.parse_number("500 lb", WEIGHT, "weight")


@pytest.mark.parametrize("raw", ["27 kgs", "27 KGS", "27 kilograms", "27 kilos", "27 Kg",
                                 "27000 grams", "59.53 pounds", "59.53 lbs"])
def test_plural_and_spelled_out_units(raw):
    value, unit = answers.parse_number(raw, WEIGHT, "weight")
    assert value == pytest.approx(27, abs=0.01)
    assert unit in ("kg", "g", "lb")


@pytest.mark.parametrize("raw", ["2.19 mmol per litre", "2.19 millimoles/liter", "2.19 mmols/L"])
def test_spelled_out_lab_units(raw):
    assert answers.parse_number(raw, CALCIUM, "calcium") == (pytest.approx(8.778), "mmol/L")


def test_an_unknown_unit_names_the_measure_not_an_id():
    with pytest.raises(AnswerError, match="^unknown unit 'stone' for weight; accepted units: "
                                          "kg, g, lb$"):
        answers.parse_number("4 stone", WEIGHT, "weight")


def test_a_result_below_a_limit_is_kept_as_below_it():
    assert answers.parse_number("<5", CRP, "CRP") == (BelowLimit(5.0), "mg/L")
    assert answers.parse_number("< 0.5 mg/dL", CRP, "CRP") == (BelowLimit(5.0), "mg/dL")
    below = answers.parse_number("<2.2 mmol/L", CALCIUM, "calcium")
    assert below == (BelowLimit(pytest.approx(8.818)), "mmol/L")
    for word in ("negative", "Negative", "undetectable", "not detected"):
        assert answers.parse_number(word, CRP, "CRP") == (BelowLimit(None), "mg/L")


@pytest.mark.parametrize("raw, measure, message", [
    ("negative", CALCIUM, "'negative' is not a number"),    # only where the lab allows it
    ("<30", WEIGHT, "'<30' is not a number"),               # a weight has no detection limit
    ("<0", CRP, "^<0 mg/L is outside the accepted range 0–600 mg/L for a lab$"),
    ("<900", CRP, "<900 mg/L is outside the accepted range"),
])
def test_below_a_limit_only_where_it_makes_sense(raw, measure, message):
    with pytest.raises(AnswerError, match=message):
        answers.parse_number(raw, measure, "a lab")


@pytest.mark.parametrize("raw", ["abc", "", True, None, "nan", "inf mg/dL"])
def test_non_numbers_are_refused(raw):
    with pytest.raises(AnswerError):
        answers.parse_number(raw, CALCIUM, "calcium")


@pytest.mark.parametrize("raw, expected", [("mild", "mild"), ("Severe", "severe"), ("2", "mild"),
                                           (3, "severe")])
def test_choice_by_value_label_or_number(raw, expected):
    assert answers.parse_choice(raw, OPTIONS) == expected


def test_choice_refusal_lists_the_options():
    with pytest.raises(AnswerError, match="none, mild, severe"):
        answers.parse_choice("moderate", OPTIONS)


def test_exclusive_option_cannot_be_combined():
    with pytest.raises(AnswerError, match="'none' cannot be combined"):
        answers.parse_multi(["none", "mild"], OPTIONS)
    assert answers.parse_multi("2, 3", OPTIONS) == {"mild", "severe"}
    assert answers.parse_multi("2 3", OPTIONS) == {"mild", "severe"}


@pytest.mark.parametrize("raw, expected", [(True, True), ("yes", True), ("Y", True), ("no", False),
                                           (False, False), ("non", False)])
def test_yes_no(raw, expected):
    assert answers.parse_yesno(raw) is expected


def test_yes_no_refuses_other_text():
    with pytest.raises(AnswerError):
        answers.parse_yesno("maybe")


@pytest.mark.parametrize("raw, expected", [
    (10 ** 400, "more than 15 digits"),
    ("1" + "0" * 5000, "too long for a number"),
    ("1 a" + " " * 30_000 + "b", "too long for a number"),
])
def test_huge_or_long_numbers_are_refused_with_a_short_message(raw, expected):
    with pytest.raises(AnswerError, match=expected) as err:
        answers.parse_number(raw, CALCIUM, "calcium")
    assert len(str(err.value)) < 120


def test_a_number_and_its_unit_may_carry_spaces_around_them():
    assert answers.parse_number("  2.19   mmol/L  ", CALCIUM, "calcium")[0] == pytest.approx(8.778)
