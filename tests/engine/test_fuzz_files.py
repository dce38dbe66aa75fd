"""Fuzzed files: whatever a replay file or YAML text holds, reading it either works or
stops with the project's own located error (never another exception)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.engine import yamlfile
from assistant.engine.errors import LoadError, TriageError
from assistant.engine.replay import replay
from tests.support.files import replay_answers

LOCATED = re.compile(r"^\S+:\d+: ")
SCALARS = st.one_of(
    st.integers(-10**30, 10**30), st.floats(), st.booleans(), st.none(),
    st.text(max_size=40), st.sampled_from(["unknown", "yes", "none", "~", "1e400", ".nan",
                                           "!!python/object:os.system", "&a", "*a", "- x",
                                           "{a: 1}", "[1, [2]]", "MTX", "pas de MTX"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)
YAMLISH = st.text(alphabet=st.sampled_from(list("ab:-[]{},&*!|>'\"#\n \t0123456789.%@`?\\")),
                  max_size=120)


def as_yaml(value) -> str:
    """A value written as YAML by hand (flow style, quoted strings), so that what the
    fuzzer draws reaches the reader as text."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{as_yaml(str(k))}: {as_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(as_yaml(v) for v in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if value is None:
        return "null"
    return repr(value).lower() if isinstance(value, bool) else repr(value)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=YAMLISH)
def test_any_text_parses_or_is_refused_with_its_line(text):
    try:
        yamlfile.parse(text, "fuzz.yaml")
    except LoadError as exc:
        assert LOCATED.match(str(exc)), str(exc)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_mutated_replay_file_replays_or_is_refused(library, tmp_path_factory, data):
    answers = dict(replay_answers(data.draw(st.sampled_from(["rh", "sara", "imane"]))))
    keys = sorted(answers)
    for _ in range(data.draw(st.integers(1, 4))):
        key = data.draw(st.sampled_from(keys + ["serum_magnesium", "", "dialog"]))
        answers[key] = data.draw(VALUES)
    text = "dialog: triage\nanswers:\n" + "".join(f"  {as_yaml(k)}: {as_yaml(v)}\n"
                                                  for k, v in answers.items())
    path = tmp_path_factory.mktemp("fuzz") / "replay.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        replay(path, library=library)
    except TriageError as exc:
        assert str(path) in str(exc), str(exc)
