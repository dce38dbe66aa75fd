"""Hostile and careless input: every bad file is refused with its file and line, never a
traceback, a hang or a half-loaded base (issue: hostile input never crashes, hangs or loads).

Time and memory bounds on alias bombs are measured in bench/, not here.
"""

from __future__ import annotations

import re

import pytest

from assistant.engine.errors import LoadError, TriageError
from assistant.engine.library import load
from assistant.engine.replay import replay
from assistant.engine.yamlfile import MAX_BYTES, MAX_DEPTH, parse
from tests.support.files import ROOT, replace_in

LOCATED = re.compile(r"^\S+:\d+: ")


def refused(text: str) -> str:
    with pytest.raises(LoadError) as err:
        parse(text, "hostile.yaml")
    message = str(err.value)
    assert LOCATED.match(message), message
    return message


# --- the YAML reader ------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "a: !!float abc", "a: !!bool maybe", "a: !!int ''", "a: !!timestamp x",
    "a: !!str plain", "answers: !!python/object/apply:os.system [echo]",
    "answers: !!map {age_years: 3}", "answers: !custom [1, 2]",
])
def test_explicit_tags_are_refused(text):
    assert "explicit tags" in refused(text)


def test_an_alias_inside_its_own_value_is_refused():
    assert "refers to the value that contains it" in refused("red_flags: &r [*r]")


def test_an_alias_bomb_stops_at_the_value_budget():
    text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 8):
        name, prev = chr(97 + i), chr(96 + i)
        text += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
    assert "once aliases are expanded" in refused(text)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 500, 100_000])
def test_deep_nesting_is_refused_before_it_is_built(depth):
    assert f"nested more than {MAX_DEPTH} levels" in refused("a: " + "[" * depth + "]" * depth)


@pytest.mark.parametrize("number", ["1" + "0" * 400, "-12345678901234567", "1" + "0" * 5000])
def test_huge_integers_are_refused(number):
    assert "more than 15 digits" in refused(f"answers:\n  age_years: {number}\n")


@pytest.mark.parametrize("value", [".nan", ".inf", "-.Inf"])
def test_non_finite_numbers_are_refused(value):
    assert "not a finite number" in refused(f"answers:\n  crp: {value}\n")


@pytest.mark.parametrize("text", ["", "   \n\n", "# only a comment\n"])
def test_an_empty_file_is_refused(text):
    assert "the file is empty" in refused(text)


def test_a_nul_character_is_located():
    assert refused("answers:\n  sex: fe\x00male\n").startswith("hostile.yaml:2: ")


@pytest.mark.parametrize(("raw", "expected"), [
    (b"answers:\n  sex: \xff\xfe\n", "hostile.yaml:2: not UTF-8 text"),
    ("answers: {}".encode("utf-16"), "hostile.yaml:1: the file is UTF-16 text"),
    ("answers: {}".encode("utf-32"), "hostile.yaml:1: the file is UTF-32 text"),
])
def test_files_that_are_not_utf8_are_located(tmp_path, raw, expected):
    path = tmp_path / "hostile.yaml"
    path.write_bytes(raw)
    with pytest.raises(LoadError, match=re.escape(str(tmp_path)) + ".*"):
        replay(path)
    with pytest.raises(LoadError) as err:
        replay(path)
    assert str(err.value).replace(str(tmp_path) + "/", "").startswith(expected)


def test_an_oversized_file_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("answers:\n" + "# padding\n" * (MAX_BYTES // 10 + 10))
    with pytest.raises(LoadError, match="larger than"):
        replay(path)


# --- replay files -------------------------------------------------------------------------

@pytest.mark.parametrize(("dialog", "expected"), [
    ('"x\\0y"', "is not a dialog name"), ("../../etc/passwd", "is not a dialog name"),
    ("/etc/passwd", "is not a dialog name"), ("nope", "no dialog 'nope' in dialogs/"),
    ("[x]", "no dialog"),
])
def test_a_replay_names_a_dialog_only_by_its_file_name(tmp_path, dialog, expected):
    path = tmp_path / "r.yaml"
    path.write_text(f"answers:\n  age_years: 3\ndialog: {dialog}\n")
    with pytest.raises(LoadError) as err:
        replay(path)
    assert "r.yaml:3: dialog: " in str(err.value) and expected in str(err.value)


# --- knowledge mutations: numbers with a physical meaning, ids unique at every level ---------

PREDNISOLONE = "{low: 2, high: 2, unit: mg, per: kg, interval: day, max: 60}"
ROUTES = "route_therapies: {im: systemic_corticosteroid,"
ROUTES_LINE = next(i for i, line in enumerate(
    (ROOT / "knowledge" / "drugs.yaml").read_text(encoding="utf-8").splitlines(), 1)
    if ROUTES in line)
MUTATIONS = [
    ("knowledge/labs.yaml", "units: {mg/L: 1, mg/dL: 10}", "units: {mg/L: 1, mg/dL: 0}",
     "crp.units: the factor for 'mg/dL' must be a positive number, not 0"),
    ("knowledge/labs.yaml", "units: {mg/L: 1, mg/dL: 10}", "units: {mg/L: 1, mg/dL: -10}",
     "the factor for 'mg/dL' must be a positive number, not -10"),
    ("knowledge/labs.yaml", "units: {mg/L: 1, mg/dL: 10}", "units: {mg/dL: 10}",
     "canonical unit 'mg/L' must be listed with factor 1"),
    ("knowledge/labs.yaml", "plausible: {low: 0, high: 600}", "plausible: {low: 600, high: 0}",
     "plausible: low must be below high"),
    ("knowledge/labs.yaml", "- {age_from: 0, age_to: 19, low: 0, high: 10}",
     "- {age_from: 0, age_to: 19, low: 10, high: 0}", "low is above high"),
    ("knowledge/labs.yaml", "- {age_from: 0, age_to: 19, low: 0, high: 10}",
     "- {age_from: 19, age_to: 0, low: 0, high: 10}", "age_from must be below age_to"),
    ("knowledge/therapies/systemic_corticosteroid.yaml", PREDNISOLONE,
     "{low: -30, high: 2, unit: mg, per: kg, interval: day, max: 60}", "Expected 'float' > 0"),
    ("knowledge/therapies/systemic_corticosteroid.yaml", PREDNISOLONE,
     "{low: 2, high: 2, unit: mg, per: kg, interval: day, max: 0}", "Expected 'float' > 0"),
    ("knowledge/therapies/pamidronate.yaml", "    patients: 3\n", "    patients: 0\n",
     "evidence[0].patients: Expected 'int' >= 1"),
    ("knowledge/therapies/pamidronate.yaml", "  - id: pamidronate_renal\n",
     "  - id: pamidronate_low_calcium\n", "id 'pamidronate_low_calcium' is used twice"),
    ("knowledge/pathway/history.yaml", "  - id: no_response\n", "  - id: responding\n",
     "duplicate history row id 'responding'"),
    ("knowledge/pathway/stages.yaml", "      - id: printo_inactive\n", "      - id: clinical_signs\n",
     "row id 'clinical_signs' is used twice"),
    ("dialogs/triage.yaml", "          - id: duration\n", "          - id: response\n",
     "follow-up 'response' is listed twice"),
    ("knowledge/drugs.yaml", ROUTES, "route_therapies: {imx: systemic_corticosteroid,",
     f"drugs.yaml:{ROUTES_LINE}: drugs[8].route_therapies: Invalid enum value 'imx' (as a key)"),
    ("knowledge/drugs.yaml", ROUTES, "route_therapies: {im: steroids,",
     f"drugs.yaml:{ROUTES_LINE}: triamcinolone.route_therapies.im: unknown therapy 'steroids'"),
    ("dialogs/triage.yaml", "units: {kg: 1, g: 0.001, lb: 0.45359237, lbs: 0.45359237}",
     "units: {kg: 1, g: .nan, lb: 0.45359237, lbs: 0.45359237}", "not a finite number"),
]


@pytest.mark.parametrize(("relative", "old", "new", "expected"), MUTATIONS,
                         ids=[m[3][:40] for m in MUTATIONS])
def test_a_broken_base_is_refused_with_file_and_line(root_copy, relative, old, new, expected):
    replace_in(root_copy / relative, old, new)
    with pytest.raises(TriageError) as err:
        load(root_copy)
    message = str(err.value)
    assert expected in message
    assert f"{relative}:" in message and LOCATED.match(message), message


def test_the_real_knowledge_loads_within_the_limits():
    # every file the project ships must stay well inside the loader's limits
    paths = list(ROOT.glob("knowledge/**/*.yaml"))
    assert len(paths) > 10
    for path in paths:
        parse(path.read_text(encoding="utf-8"), str(path))
