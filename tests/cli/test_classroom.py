"""The classroom from the command line: a teacher's cohort summary of exported progress
files (bad files named), progress exported as JSON for it, and `triage serve` (localhost
by default; a LAN address only when asked, with a warning)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from assistant.frontends import serve
from assistant.frontends.userdata import StudyProgress, trainee_file
from tests.support.command import run_triage
from tests.support.files import STUDY


def test_a_cohort_summary_of_exported_progress_files(tmp_path):
    script = str(STUDY / "imane_misread.yaml")
    folder = tmp_path / "cohort"
    folder.mkdir()
    for name in ("Ana", "Ben"):
        data = tmp_path / name
        assert run_triage("study", "--script", script, "--record", "--trainee", name,
                          data=data).returncode == 0
        exported = run_triage("study", "--trainee", name, "--export",
                              str(folder / f"{name}.json"), data=data)
        assert exported.returncode == 0, exported.stdout
    result = run_triage("study", "cohort", str(folder), data=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Cohort: 2 trainee(s): Ana, Ben" in out
    lines = out.splitlines()
    at = lines.index("Imane")                              # the case by its name, not its id
    assert lines[at + 1:at + 4] == [
        "  2 attempt(s) by 2 trainee(s) · mean score 77",
        "  most missed: Safety: red flags, infection and triage level (2 of 2)",
        "  calibration: no round with a stated confidence"]
    assert "no round with a stated confidence yet" in out   # scripted without confidence
    assert max(len(x) for x in lines) <= 80


def test_a_bad_progress_file_is_named_and_nothing_is_summarised(tmp_path):
    (tmp_path / "good.json").write_text(json.dumps({"version": 2, "rounds": []}))
    (tmp_path / "broken.json").write_text('{"version": 2, "rounds": [{"case": 5}]}')
    result = run_triage("study", "cohort", str(tmp_path), data=tmp_path)
    assert result.returncode == 1
    assert "broken.json: rounds[0].case: Expected `str`, got `int`" in result.stderr
    assert "Cohort" not in result.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no progress files" in run_triage("study", "cohort", str(empty)).stderr


def test_a_trainee_name_is_made_safe_for_a_file_and_kept_as_typed(tmp_path):
    name = "../Ana  B. <b>[red]"
    assert trainee_file(name).startswith("ana-b-b-red-") and "/" not in trainee_file(name)
    assert trainee_file("Ana B.") != trainee_file("ana b")     # the hash keeps them apart
    assert trainee_file("أمينة").startswith("أمينة-")
    progress = StudyProgress(tmp_path, trainee=name)
    assert progress.path.parent == tmp_path / "trainees"
    result = run_triage("study", "--script", str(STUDY / "imane_misread.yaml"), "--record",
                        "--trainee", name, data=tmp_path)
    assert result.returncode == 0
    assert StudyProgress(tmp_path, trainee=name).read().trainee == name


def test_serve_listens_on_localhost_unless_a_lan_address_is_given(monkeypatch):
    started = []

    class FakeServer:
        def __init__(self, command, host, port, title, public_url, templates_path):
            started.append((command, host, port, public_url))
            assert (Path(templates_path) / "app_index.html").is_file()   # our own page

        def serve(self):
            pass

    monkeypatch.setattr("textual_serve.server.Server", FakeServer)
    err = io.StringIO()
    assert serve.run(None, None, 8123, err) == 0
    command, host, port, url = started[-1]
    assert (host, port, url) == ("127.0.0.1", 8123, "http://127.0.0.1:8123")
    assert command.endswith("-m assistant study --classroom") and err.getvalue() == ""
    assert serve.run(None, "192.168.1.20", 8123, err) == 0
    assert started[-1][1] == "192.168.1.20" and "WARNING: listening on 192.168.1.20" in err.getvalue()


def test_serve_refuses_an_address_browsers_cannot_reach(tmp_path):
    for bad in ("0.0.0.0", "example.org"):
        result = run_triage("serve", "--lan", bad, data=tmp_path)
        assert result.returncode == 1 and "--lan needs" in result.stderr
