"""Property test: any mix of valid and invalid answers, back and edit steps.

The engine raises nothing but its own AnswerError, keeps a consistent state, and a
clinician who then answers validly always reaches the end.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.engine.errors import AnswerError
from assistant.engine.session import Session, Step

DRUG_TEXTS = ["none", "prednisolone", "MTX", "pred + MTX then Aredia", "dilitiazem", "zzqx",
              "Solupred et Novatrex", "IVIG monthly", "bisphosphonates", "[bold]x[/]"]
JUNK = st.one_of(st.text(max_size=12), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                 st.booleans(), st.none(), st.lists(st.text(max_size=5), max_size=3),
                 st.integers(-10**500, 10**500), st.text(min_size=40, max_size=400),
                 st.just("1 a" + " " * 5_000 + "b"), st.dictionaries(st.text(max_size=3),
                                                                      st.integers(), max_size=2))


def valid_answer(data: st.DataObject, session: Session, step: Step):
    if step.unknown is not None and data.draw(st.integers(0, 5)) == 0:
        return "unknown"
    if step.type == "single":
        return data.draw(st.sampled_from([o.value for o in step.options]))
    if step.type == "multi":
        exclusive = [o.value for o in step.options if o.exclusive]
        others = [o.value for o in step.options if not o.exclusive]
        if exclusive and data.draw(st.booleans()):
            return [exclusive[0]]
        return data.draw(st.lists(st.sampled_from(others), min_size=1, unique=True))
    if step.type == "yesno":
        return data.draw(st.booleans())
    if step.type == "number":
        limits = session.dialog.measures[step.question.id].plausible
        value = data.draw(st.floats(limits.low, limits.high, allow_nan=False))
        return f"{value:.2f}"
    if step.type == "drugs":
        return data.draw(st.sampled_from(DRUG_TEXTS))
    return data.draw(st.text(min_size=1, max_size=30).filter(str.strip))


def check_state(session: Session) -> None:
    keys = [s.key for s in session.path]
    assert len(keys) == len(set(keys))
    assert all(k in session.answers for k in keys)
    if session.current is not None:
        assert session.current.key not in keys
    assert set(session.facts) <= set(session.dialog.questions)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_walks_stay_consistent_and_finish(library, data):
    session = library.new_session()
    for _ in range(data.draw(st.integers(0, 60))):
        action = data.draw(st.sampled_from(["valid", "valid", "valid", "junk", "back", "edit"]))
        try:
            if action == "back":
                session.back()
            elif action == "edit" and session.path:
                step = data.draw(st.sampled_from(session.path))
                session.edit(step.key, valid_answer(data, session, step))
            elif session.current is not None:
                step = session.current
                session.answer(valid_answer(data, session, step) if action == "valid"
                               else data.draw(JUNK))
        except AnswerError:
            pass
        check_state(session)
    for _ in range(500):
        if session.current is None:
            break
        session.answer(valid_answer(data, session, session.current))
    assert session.complete
    check_state(session)
