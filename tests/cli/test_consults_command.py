"""``triage consults``: list, open, export (report or replay) and delete saved consults."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import yaml

from assistant.engine.replay import replay, restore
from assistant.engine.report import consult_report
from assistant.frontends import cli
from assistant.frontends.consults import History
from tests.support.command import run_triage
from tests.support.files import REPLAYS, replay_answers

WHEN = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


def history_with(tmp_path: Path, library) -> tuple[Path, Path]:
    """A complete consult (RH) and an unfinished one (Sara, 5 answers)."""
    history = History(tmp_path)
    paths = []
    for answers in (replay_answers("rh"),
                    dict(list(replay_answers("sara").items())[:5])):
        file = history.new()
        file.save(restore(answers, library))
        paths.append(file.path)
    return paths[0], paths[1]


def test_list_numbers_every_consult_unfinished_first(tmp_path, library):
    assert "No saved consults" in run_triage("consults", data=tmp_path).stdout
    rh, sara = history_with(tmp_path, library)
    (tmp_path / "consults" / "consult-broken.yaml").write_text("answers: [\n")
    result = run_triage("consults", "list", data=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()[1:]
    assert lines[0].startswith(f"  1. {sara.stem}  ")
    assert "6 y · female · Idiopathic calcinosis · 5 answers, unfinished" in lines[0]
    assert lines[1].startswith(f"  2. {rh.stem}  ") and "complete" in lines[1]
    assert lines[2].startswith("  3. consult-broken  ")
    assert "unreadable: line 2: invalid YAML" in lines[2]


def test_export_a_report_by_default_into_the_data_folder(tmp_path, library):
    rh, _ = history_with(tmp_path, library)
    result = run_triage("consults", "export", rh.stem, "--report", data=tmp_path)
    assert result.returncode == 0, result.stderr
    [written] = tmp_path.glob(f"{rh.stem}-report-*.md")
    assert result.stdout == f"Saved {written}\n"
    expected = replay(REPLAYS / "rh.yaml", library=library)
    report = written.read_text(encoding="utf-8")
    # the same report but for the time it was written, on its provenance line
    when = re.match(r"\*(.+?) · calcinosis-triage", report.splitlines()[4])
    assert when is not None, report.splitlines()[:6]
    want = consult_report(expected.recommendation(), expected.session, library, WHEN)
    assert report == want.replace(WHEN.strftime("%Y-%m-%d %H:%M %Z"), when.group(1), 1)


def test_an_unfinished_consult_has_no_report_but_its_replay_file(tmp_path, library):
    _, sara = history_with(tmp_path, library)
    refused = run_triage("consults", "export", "1", "--report", data=tmp_path)
    assert refused.returncode == 1
    assert f"{sara.stem} is not complete (5 answers)" in refused.stderr
    out = tmp_path / "sara.yaml"
    done = run_triage("consults", "export", "1", "--replay", str(out), data=tmp_path)
    assert done.returncode == 0, done.stderr
    saved = yaml.safe_load(sara.read_text(encoding="utf-8"))
    assert yaml.safe_load(out.read_text(encoding="utf-8")) == {
        "dialog": "triage", "answers": saved["answers"]}


def test_export_replaces_a_file_only_when_the_user_says_yes(tmp_path, library):
    rh, _ = history_with(tmp_path, library)
    out = tmp_path / "mine.yaml"
    out.write_text("my notes")
    for answer in ("\n", "n\n", ""):
        kept = run_triage("consults", "export", rh.stem, "--replay", str(out), stdin=answer,
                          data=tmp_path)
        assert kept.returncode == 1 and "already exists. Replace it? [y/N]" in kept.stdout
        assert out.read_text() == "my notes"
    done = run_triage("consults", "export", rh.stem, "--replay", str(out), stdin="y\n",
                      data=tmp_path)
    assert done.returncode == 0 and out.read_text() != "my notes"


def test_export_never_creates_a_folder(tmp_path, library):
    rh, _ = history_with(tmp_path, library)
    out = tmp_path / "missing" / "report.md"
    result = run_triage("consults", "export", rh.stem, "--report", str(out), data=tmp_path)
    assert result.returncode == 1
    assert f"the folder {out.parent} does not exist" in result.stderr
    assert f"save into the data folder ({tmp_path})" in result.stderr
    assert not out.parent.exists()


def test_delete_only_after_a_yes(tmp_path, library):
    rh, sara = history_with(tmp_path, library)
    kept = run_triage("consults", "delete", sara.stem, stdin="no\n", data=tmp_path)
    assert kept.returncode == 1 and "Delete this consult? It cannot be undone." in kept.stdout
    assert "Not deleted." in kept.stdout and sara.exists()
    gone = run_triage("consults", "delete", sara.stem, stdin="y\n", data=tmp_path)
    assert gone.returncode == 0 and not sara.exists() and rh.exists()
    missing = run_triage("consults", "delete", "consult-nope", data=tmp_path)
    assert missing.returncode == 1 and "no consult 'consult-nope'" in missing.stderr


def test_open_starts_the_app_on_that_consult(tmp_path, library, monkeypatch):
    rh, _ = history_with(tmp_path, library)
    monkeypatch.setenv("CALCINOSIS_TRIAGE_DATA", str(tmp_path))
    opened = []
    monkeypatch.setattr("assistant.frontends.app.app.run",
                        lambda root=None, study=False, consult=None: opened.append(consult) or 0)
    assert cli.main(["consults", "open", "2"]) == 0
    assert opened == [rh]
