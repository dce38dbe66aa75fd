"""Study progress as typed records: written and read back, the first format still read,
bad files named with their field; calibration of the stated confidence; spaced review of
missed steps on an injected clock; the step-by-step feedback in labels, never ids."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from assistant.engine.errors import LoadError
from assistant.engine.progress import (
    CommitmentRecord,
    PartRecord,
    Progress,
    RoundRecord,
    StepRecord,
    calibration,
    cohort,
    decode,
    encode,
)
from assistant.engine.replay import replay_data
from assistant.engine.review import schedule
from assistant.engine.study import (
    STEPS,
    Commitment,
    case_list,
    case_session,
    grade,
    reveal_markdown,
    run_script,
)
from tests.support.files import STUDY
from tests.support.study import perfect

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def a_round(case: str, at: datetime, *, confidence: int | None = 80, correct: bool = True,
            missed: tuple[str, ...] = (), score: int = 90) -> RoundRecord:
    steps = tuple(StepRecord(step=s, title=s.title(), right=s not in missed) for s in STEPS)
    return RoundRecord(case=case, at=at, score=score,
                       parts=(PartRecord(name="triage", points=20, out_of=20),),
                       commitment=CommitmentRecord(level="soon", therapy="diltiazem",
                                                   confidence=confidence),
                       correct=correct, steps=steps)


def test_a_graded_round_is_written_and_read_back_as_the_same_records(library):
    result = run_script(STUDY / "imane_misread.yaml", library)
    progress = Progress(trainee="Amina").add(result.record(T0))
    again = decode(encode(progress), "study.json")
    assert again == progress
    record = again.rounds[0]
    assert record.score == 77 and not record.correct
    assert [s.step for s in record.steps] == list(STEPS)
    assert {s.step for s in record.missed} >= {"safety", "history"}
    assert encode(again) == encode(progress)          # stable bytes


def test_the_first_progress_format_is_still_read():
    first = {"imane": {"attempts": 1, "best": 77, "last": 77, "rounds": [
        {"at": "2026-01-05T10:00:00+00:00", "case": "imane", "score": 77,
         "parts": {"facts": {"points": 36.7, "out_of": 40, "why": ""},
                   "triage": {"points": 10, "out_of": 20, "why": ""},
                   "therapy": {"points": 20, "out_of": 20, "why": ""}},
         "mismatches": [], "commitment": {"level": "routine", "therapy": "diltiazem",
                                          "reason": "", "override": None,
                                          "override_reason": None},
         "assistant": {"level": "soon", "top": ["infection_management"]},
         "authors_choice": ["diltiazem"]}]}}
    progress = decode(json.dumps(first), "old.json")
    [record] = progress.rounds
    assert record.case == "imane" and record.score == 77 and not record.correct
    assert record.commitment.confidence is None and record.steps == ()
    assert progress.summary("imane").attempts == 1


@pytest.mark.parametrize("text, where", [
    ("[1, 2]", "a progress file is a JSON object"),
    ("{not json", "not a JSON progress file"),
    ('{"version": 2, "rounds": [{"case": "x"}]}', "rounds[0]"),
    ('{"version": 2, "rounds": [{"case": "x", "at": "2026-01-01T00:00:00Z", "score": "high", '
     '"parts": [], "commitment": {"level": "soon", "therapy": "t"}, "correct": true}]}',
     "rounds[0].score"),
    ('{"version": 2, "rounds": [{"case": "x", "at": "2026-01-01T00:00:00Z", "score": 1, '
     '"parts": [], "commitment": {"level": "soon", "therapy": "t", "confidence": 150}, '
     '"correct": true}]}', "rounds[0].commitment.confidence"),
])
def test_a_bad_progress_file_names_the_file_and_field(text, where):
    with pytest.raises(LoadError) as err:
        decode(text, "trainees/amina.json")
    assert str(err.value).startswith("trainees/amina.json:")
    assert where in str(err.value)


def test_calibration_bins_stated_against_observed_with_a_brier_score():
    rounds = [a_round("a", T0, confidence=90, correct=True),
              a_round("b", T0, confidence=90, correct=False),
              a_round("c", T0, confidence=60, correct=True),
              a_round("d", T0, confidence=None, correct=False)]   # no confidence: not counted
    result = calibration(rounds)
    assert result.rounds == 3 and result.right == 2
    assert [(b.confidence, b.rounds, b.observed) for b in result.bins] == [(60, 1, 100),
                                                                          (90, 2, 50)]
    assert result.brier == pytest.approx(((0.9 - 1) ** 2 + 0.9 ** 2 + (0.6 - 1) ** 2) / 3,
                                         abs=1e-4)
    assert "Brier score 0.33" in result.summary() and "overconfident" in result.summary()
    assert calibration([]).summary() == "no round with a stated confidence yet"


def test_missed_steps_come_back_the_next_day_and_right_ones_later():
    progress = Progress(rounds=(a_round("imane", T0, missed=("safety",)),))
    review = schedule(progress)["imane"]
    due = {c.step: c.due for c in review.cards}
    assert due["safety"] == T0 + timedelta(days=1)
    assert all(d > T0 + timedelta(days=1) for s, d in due.items() if s != "safety")
    assert not review.due_now(T0 + timedelta(hours=23))
    later = T0 + timedelta(days=1, minutes=1)
    assert review.due_now(later) and review.steps_due(later) == ("Safety",)
    # reviewed right the next day: it goes further out than a day
    progress = progress.add(a_round("imane", later))
    assert schedule(progress)["imane"].due > later + timedelta(days=1)
    assert schedule(progress) == schedule(decode(encode(progress), "p"))   # deterministic


def test_the_case_list_shows_what_is_due_with_topics_and_difficulty(library):
    progress = Progress(rounds=(a_round("imane", T0, missed=("activity",)),
                                a_round("sara", T0)))
    rows = {r.id: r for r in case_list(library, progress, T0 + timedelta(hours=36))}
    assert rows["imane"].due and rows["imane"].review == "due now: Activity"
    assert not rows["sara"].due and rows["sara"].review.startswith("in ")
    assert rows["rh"].review == "new" and rows["rh"].attempts == 0
    assert rows["rh"].topics == ("JDM · active disease · infected lesion · ulcerated · "
                                 "failed first line")
    assert rows["rh"].difficulty == "3 advanced"
    assert rows["sara_infected"].constructed and "constructed variant" in rows["sara_infected"].topics


def test_every_published_case_has_topics_and_a_stated_difficulty(library):
    for case in library.knowledge.cases.values():
        assert case.tags, case.id
        assert case.difficulty in (1, 2, 3), case.id


def test_the_steps_walk_the_decision_in_labels_and_name_the_finding_that_changes_it(library):
    result = run_script(STUDY / "imane_misread.yaml", library)
    steps = {s.step: s for s in result.steps}
    assert list(steps) == list(STEPS)
    safety = steps["safety"]
    assert not safety.right
    crp = next(f for f in safety.findings if f.label.startswith("CRP above 50"))
    assert crp.differs and "CRP: 160 mg/L" in crp.case
    infection = next(f for f in safety.findings if f.label == "Infection")
    assert infection.differs and infection.yours == "not known"
    assert "Treat the infection: first" in safety.changes
    assert steps["activity"].right and steps["scope"].right
    history = steps["history"]
    methotrexate = next(f for f in history.findings if f.label == "Methotrexate")
    assert methotrexate.differs and methotrexate.yours == "not among the treatments"
    assert steps["choice"].right and "The authors chose Diltiazem" in (steps["choice"].authors or "")
    text = reveal_markdown(result, library)
    section = text.split("## Step by step")[1].split("## Your answers")[0]
    assert "### 2. Safety: red flags, infection and triage level: missed" in section
    ids = set(library.dialog.questions) | {"immunosuppression", "scope", "activity", "lesion"}
    assert not any(f"{qid} (" in text or f"**{qid}**" in text for qid in ids)


def test_confidence_is_recorded_and_must_be_a_per_cent(library):
    case = library.knowledge.cases["sara"]
    session = case_session(case, library)
    good = perfect(case, library)
    result = grade(case, session, Commitment(good.level, good.therapy, "", 70), library)
    assert result.record(T0).commitment.confidence == 70 and result.correct
    with pytest.raises(ValueError, match="confidence"):
        grade(case, session, Commitment(good.level, good.therapy, "", 30), library)


def test_the_reveal_shows_calibration_over_rounds(library):
    case = library.knowledge.cases["sara"]
    good = perfect(case, library)
    session = replay_data(dict(case.answers), library=library).session
    result = grade(case, session, Commitment(good.level, good.therapy, "", 60), library)
    progress = Progress(rounds=(a_round("imane", T0, confidence=90, correct=False),
                                result.record(T0)))
    text = reveal_markdown(result, library, calibration(progress.rounds))
    assert "## Your calibration over rounds" in text
    assert "| 60 % | 1 | 100 % |" in text and "| 90 % | 1 | 0 % |" in text


def test_a_cohort_summary_per_case():
    ana = Progress(trainee="Ana", rounds=(a_round("imane", T0, missed=("safety",), score=60),
                                          a_round("sara", T0, score=100)))
    ben = Progress(trainee="Ben", rounds=(a_round("imane", T0, missed=("safety", "lesion"),
                                                  score=80, correct=False),))
    summary = cohort([ana, ben], ["Ana", "Ben"])
    imane = next(c for c in summary.cases if c.case == "imane")
    assert (imane.attempts, imane.trainees, imane.mean_score) == (2, 2, 70)
    assert (imane.most_missed, imane.missed) == ("Safety", 2)
    assert imane.calibration.rounds == 2 and imane.calibration.right == 1
    assert summary.calibration.rounds == 3


def test_when_a_case_comes_back_reads_as_a_person_says_it():
    from datetime import timedelta

    from assistant.engine.review import CaseReview

    review = CaseReview("sara", T0 + timedelta(days=1), ())
    assert review.when(T0) == "tomorrow"                   # not "in 24 hours"
    assert review.when(T0 + timedelta(hours=19)) == "in 5 hours"
    assert review.when(T0 - timedelta(days=3)) == "in 4 days"
    assert review.when(T0 + timedelta(days=2)) == "due now"
