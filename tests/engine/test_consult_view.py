"""What both front ends show of a consult in progress, computed once (engine/consult_view)."""

from __future__ import annotations

from assistant.engine.consult_view import ConsultView
from assistant.engine.session import StepKey
from tests.support.files import replay_answers
from tests.support.sessions import session_at


def test_each_flag_follows_the_answer_that_raised_it(library):
    session = session_at(library, "rh", "red_flags")
    view = ConsultView(library, session)
    assert view.update() == ()
    session.answer(replay_answers("rh")["red_flags"])
    raised = {f.id for f in view.update()}
    assert {f.id for f in view.triage.red_flags} == raised and raised
    session.answer("severe")                      # muscle weakness: a flag of its own
    later = view.update()
    assert later and not {f.id for f in later} & raised
    entries = view.entries()
    answers = [i for i, e in enumerate(entries) if e.kind == "answer"]
    at = {e.key: i for i, e in enumerate(entries) if e.kind == "answer"}
    red, weak = at[StepKey("red_flags")], at[StepKey("muscle_weakness")]
    between = [e.text for e in entries[red + 1:weak] if e.kind == "flag"]
    assert len(between) == len(raised)
    assert all(any(f.message in t for t in between) for f in view.triage.flags
               if f.id in raised)
    assert [e for e in entries[weak + 1:] if e.kind == "flag"]
    assert answers == sorted(answers)


def test_a_withdrawn_answer_takes_its_flags_with_it(library):
    session = session_at(library, "rh", "red_flags")
    view = ConsultView(library, session)
    session.answer(replay_answers("rh")["red_flags"])
    view.update()
    session.back()
    assert view.update() == () and view.triage.red_flags == ()
    assert not [e for e in view.entries() if e.kind == "flag"]


def test_a_blind_view_runs_no_triage(library):
    session = session_at(library, "rh")
    view = ConsultView(library, session, blind=True)
    assert view.update() == ()
    assert view.triage.flags == ()
    assert not [e for e in view.entries() if e.kind in ("flag", "finding")]


def test_a_blind_view_marks_no_abnormal_lab(library):
    """Reading a lab against its range is part of a study round: the answers (the app's F3
    panel, the plain chat's /answers) carry no lab flag until the trainee commits."""
    session = session_at(library, "rh")
    assert any(row.flag for row in ConsultView(library, session).answers())
    blind = ConsultView(library, session, blind=True).answers()
    assert blind and not any(row.flag for row in blind)


def test_progress_and_what_a_lab_accepts(library):
    session = session_at(library, "rh", "esr")
    view = ConsultView(library, session)
    progress = view.progress()
    sections = library.dialog.sections
    assert sections[progress.index].title == progress.title == session.current.section.title
    assert progress.total == len(sections)
    accepts = view.accepts(session.current)
    assert accepts[0] == "Accepted 0–200 mm/h"
    assert any(a.startswith("reference ") for a in accepts)
    assert accepts[-1] == f"or 'unknown' ({session.current.unknown})"
    assert ConsultView(library, session_at(library, "rh")).progress().title is None
