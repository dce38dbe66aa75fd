"""Consult history on disk: one file per consult, migration, unreadable files, leftovers."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta

import pytest
import yaml

from assistant.engine.replay import replay, restore
from assistant.frontends import consults
from assistant.frontends.consults import History, latest_unfinished
from tests.support.files import REPLAYS, replay_answers


def partial(answers: dict, keys: int) -> dict:
    return dict(list(answers.items())[:keys])


def save(history: History, answers: dict, library, started: datetime | None = None):
    file = history.new()
    if started is not None:
        file.started = started
    file.save(restore(answers, library))
    return file


def test_each_consult_has_its_own_timestamped_file_that_replays(tmp_path, library):
    history = History(tmp_path)
    first = save(history, replay_answers("rh"), library,
                 datetime(2025, 1, 31, 14, 5, 32).astimezone())
    second = save(history, partial(replay_answers("sara"), 3), library,
                  datetime(2025, 1, 31, 14, 5, 32).astimezone())
    assert first.path == tmp_path / "consults" / "consult-20250131-140532.yaml"
    assert second.path == tmp_path / "consults" / "consult-20250131-140532-2.yaml"
    data = yaml.safe_load(first.path.read_text(encoding="utf-8"))
    assert data["consult"]["label"] == "8 y · female · Juvenile dermatomyositis"
    assert data["consult"]["complete"] is True
    assert datetime.fromisoformat(data["consult"]["started"]) == first.started
    # the file is a replay file: the consult summary is not read by a replay
    again = replay(first.path, strict=True, library=library)
    assert again.session.facts == replay(REPLAYS / "rh.yaml", library=library).session.facts


def test_a_file_is_claimed_only_by_the_first_answer(tmp_path, library):
    history = History(tmp_path)
    history.new()
    assert history.list() == []


def test_saving_rewrites_the_same_file(tmp_path, library):
    history = History(tmp_path)
    answers = replay_answers("sara")
    file = history.new()
    session = restore(partial(answers, 2), library)
    file.save(session)
    path = file.path
    session.answer(answers["weight_kg"])
    file.save(session)
    assert file.path == path and len(list((tmp_path / "consults").iterdir())) == 1
    [listed] = history.list()
    assert listed.count == 3 and listed.unfinished and listed.label == "6 y · female"


def test_unfinished_consults_first_latest_first(tmp_path, library, monkeypatch):
    history = History(tmp_path)
    rh, sara = replay_answers("rh"), replay_answers("sara")
    start = datetime(2025, 3, 1, 9, 0).astimezone()
    for minutes, answers in ((0, partial(rh, 4)), (10, partial(sara, 5)), (20, rh)):
        monkeypatch.setattr(consults, "now", lambda m=minutes: start + timedelta(minutes=m))
        save(history, answers, library)
    listed = history.list()
    assert [(c.count, c.complete) for c in listed] == [(5, False), (4, False),
                                                       (len(restore(rh, library).path), True)]
    assert latest_unfinished(listed) is listed[0]
    assert history.find("2", listed) is listed[1]
    assert history.find(listed[2].name, listed) is listed[2]
    assert history.find(listed[2].name + ".yaml", listed) is listed[2]
    with pytest.raises(LookupError, match="no consult '9'"):
        history.find("9", listed)


def test_the_single_autosave_of_earlier_versions_is_moved_in_unchanged(tmp_path, library):
    legacy = tmp_path / "consult.yaml"
    text = (REPLAYS / "imane.yaml").read_text(encoding="utf-8")
    legacy.write_text(text, encoding="utf-8")
    then = datetime(2024, 12, 24, 18, 30, 5)
    os.utime(legacy, (then.timestamp(), then.timestamp()))
    [listed] = History(tmp_path).list()
    assert not legacy.exists()
    assert listed.path == tmp_path / "consults" / "consult-20241224-183005.yaml"
    assert listed.path.read_text(encoding="utf-8") == text
    assert listed.label == "10 y · female · jdm"     # from the answers as typed
    assert listed.complete is None and listed.unfinished
    assert "from an older version" in listed.summary()


@pytest.mark.parametrize("content, reason", [
    (b"answers: [\n", "line 2: invalid YAML"),
    (b"- just\n- a list\n", "no 'answers' mapping"),
    (b"", "the file is empty"),
    (b"answers:\n  age: \xff\xfe\n", "cannot read the file"),
    (b"answers: {a: 1, a: 2}\n", "duplicate key"),
])
def test_a_malformed_file_is_listed_as_unreadable_with_the_reason(tmp_path, library, content,
                                                                  reason):
    history = History(tmp_path)
    save(history, replay_answers("rh"), library)
    bad = tmp_path / "consults" / "consult-broken.yaml"
    bad.write_bytes(content)
    listed = history.list()
    assert [c.readable for c in listed] == [True, False]
    assert listed[1].path == bad and reason in listed[1].problem
    assert f"unreadable: {listed[1].problem}" in listed[1].summary()
    assert bad.read_bytes() == content      # listed, never touched


def test_leftover_temporary_files_of_killed_writes_are_removed(tmp_path):
    folder = tmp_path / "consults"
    folder.mkdir()
    old = folder / ".consult-20250101-000000.yaml.abc.tmp"
    fresh = folder / ".consult-20250101-000001.yaml.def.tmp"
    old_study = tmp_path / ".study.json.x.tmp"
    for path in (old, fresh, old_study):
        path.write_text("half a file")
    an_hour_ago = time.time() - 3600
    for path in (old, old_study):
        os.utime(path, (an_hour_ago, an_hour_ago))
    assert History(tmp_path).list() == []
    assert not old.exists() and not old_study.exists()
    assert fresh.exists()       # perhaps another window's write in progress
