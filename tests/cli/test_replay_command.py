"""`triage replay`: exit codes and located errors, JSON and text output, the report file,
several files at once, located warnings."""

from __future__ import annotations

import json

import pytest

from tests.support.answers import base
from tests.support.command import run_triage
from tests.support.files import REPLAYS, write_replay


@pytest.mark.parametrize("answers, message", [
    (base(serum_magnesium=2), "answers.serum_magnesium: unknown question id 'serum_magnesium'"),
    (base(calcium="45 mg/dL"), "outside the accepted range 3–20 mg/dL"),
    (base(crp="4 furlongs"), "answers.crp: unknown unit 'furlongs' for CRP"),
    (base(sex=None), "no answer for 'sex', and it is required"),
])
def test_cli_replay_errors_exit_non_zero(tmp_path, answers, message):
    result = run_triage("replay", str(write_replay(tmp_path, answers)))
    assert result.returncode == 1
    assert message in result.stderr
    assert "consult.yaml:" in result.stderr and "Traceback" not in result.stderr


def test_cli_malformed_replay_yaml(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("answers:\n  sex: female\n  age_years: [8\n", encoding="utf-8")
    result = run_triage("replay", str(path))
    assert result.returncode == 1
    assert "broken.yaml:" in result.stderr and "invalid YAML" in result.stderr


def test_cli_replay_json_and_exit_codes(tmp_path):
    ok = run_triage("replay", str(REPLAYS / "sara.yaml"), "--json", "--strict")
    assert ok.returncode == 0, ok.stderr
    data = json.loads(ok.stdout)
    assert set(data) >= {"facts", "transcript", "warnings"}
    assert data["facts"]["diagnosis"] == "idiopathic"
    again = run_triage("replay", str(REPLAYS / "sara.yaml"), "--json", "--strict")
    assert again.stdout == ok.stdout  # deterministic, byte for byte
    bad = run_triage("replay", str(write_replay(tmp_path, base(diagnosis=None))))
    assert bad.returncode == 1
    assert "no answer for 'diagnosis'" in bad.stderr and "Traceback" not in bad.stderr


def test_cli_replay_text_shows_user_text_literally(tmp_path):
    items = [{"drug": "\x1b[31m[bold]tonic[/]", "response": "none",
              "side_effects": "\u202eraised LFTs\u2066x", "current": False}]
    path = write_replay(tmp_path, base(prior_treatments=items))
    for args in ((), ("--json",)):
        result = run_triage("replay", str(path), *args)
        assert result.returncode == 0, result.stderr
        assert "\x1b" not in result.stdout
        assert "\u202e" not in result.stdout and "\u2066" not in result.stdout
        assert "[bold]tonic[/]" in result.stdout
    text = run_triage("replay", str(path)).stdout
    assert "\\x1b[31m[bold]tonic[/]" in text and "\\u202eraised LFTs\\u2066x" in text


def test_replay_json_and_report_from_the_command(tmp_path):
    out = tmp_path / "rh.md"
    done = run_triage("replay", str(REPLAYS / "rh.yaml"), "--json", "--report", str(out))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["triage"]["level"] == "urgent"
    flag = data["triage"]["flags"][0]
    assert set(flag) >= {"message", "facts", "level"}
    entry = data["ranking"][0]
    assert set(entry) >= {"therapy", "name", "role", "rank", "place", "why", "cautions",
                          "dose", "references"}
    assert entry["therapy"] == "infection_management" and entry["role"] == "infection"
    assert [s["stage"] for s in data["pathway"]] == ["immunosuppression", "scope", "infection",
                                                    "activity", "lesion"]
    assert data["roles"][0]["role"] == "infection"
    assert set(data["excluded"][0]) >= {"therapy", "reason", "reasons"}
    assert set(data["what_would_change"]) == {"level", "stages", "options", "gaps"}
    assert "not a prescription" in data["disclaimer"]
    assert out.read_text(encoding="utf-8").startswith("# Calcinosis triage: consult report")


def test_plain_replay_output_ends_with_triage_and_ranking():
    done = run_triage("replay", str(REPLAYS / "sara.yaml"))
    assert done.returncode == 0, done.stderr
    assert "Triage: ROUTINE" in done.stdout
    assert "First steps:\n  1. Surgical excision of calcinosis (first choice now)" in done.stdout


def test_several_files_each_replayed_and_a_failure_does_not_stop_the_others(tmp_path):
    bad = write_replay(tmp_path, base(calcium="45 mg/dL"), "bad.yaml")
    sara, rh = REPLAYS / "sara.yaml", REPLAYS / "rh.yaml"
    result = run_triage("replay", str(sara), str(bad), str(rh))
    assert result.returncode == 1
    out = result.stdout
    assert out.index(f"== {sara} ==") < out.index(f"== {bad} ==") < out.index(f"== {rh} ==")
    assert out.count("\nTriage: ") == 2                # sara and rh, not the bad one
    line = next(i for i, text in enumerate(bad.read_text().splitlines(), 1) if "calcium" in text)
    assert f"{bad}:{line}: answers.calcium: " in result.stderr
    good = run_triage("replay", str(sara), str(rh))
    assert good.returncode == 0 and good.stderr == ""


def test_several_files_as_json_are_a_list_naming_each_file(tmp_path):
    bad = write_replay(tmp_path, base(diagnosis=None), "bad.yaml")
    result = run_triage("replay", str(REPLAYS / "sara.yaml"), str(bad), "--json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert [d["file"] for d in data] == [str(REPLAYS / "sara.yaml"), str(bad)]
    assert "ranking" in data[0]
    assert "no answer for 'diagnosis', and it is required" in data[1]["error"]


def test_warnings_name_the_file_and_line(tmp_path):
    path = write_replay(tmp_path, base(esr=None, muscle_weakness="mild", diagnosis="idiopathic"))
    result = run_triage("replay", str(path))
    assert result.returncode == 0, result.stderr
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1)
                if "muscle_weakness" in text)
    assert (f"warning: {path}:{line}: answers.muscle_weakness: answer to 'muscle_weakness' "
            "was not used") in result.stderr
    assert f"warning: {path}:2: answers.esr: no answer for 'esr'" in result.stderr


def test_report_takes_one_file_and_defaults_to_the_data_folder(tmp_path):
    two = run_triage("replay", str(REPLAYS / "sara.yaml"), str(REPLAYS / "rh.yaml"), "--report")
    assert two.returncode == 2 and "give one FILE" in two.stderr
    one = run_triage("replay", str(REPLAYS / "sara.yaml"), "--report", data=tmp_path)
    assert one.returncode == 0, one.stderr
    [written] = tmp_path.glob("sara-report-*.md")
    assert f"Saved {written}" in one.stderr
    missing = run_triage("replay", str(REPLAYS / "sara.yaml"), "--report",
                         str(tmp_path / "no" / "r.md"))
    assert missing.returncode == 1 and "does not exist" in missing.stderr
    assert not (tmp_path / "no").exists()
