"""`triage replay`: exit codes and located errors, JSON and text output, the report file."""

from __future__ import annotations

import json

import pytest

from tests.support.answers import base
from tests.support.command import run_triage
from tests.support.files import REPLAYS, write_replay


@pytest.mark.parametrize("answers, message", [
    (base(serum_magnesium=2), "answers.serum_magnesium: unknown question id 'serum_magnesium'"),
    (base(calcium="45 mg/dL"), "outside the accepted range 3–20 mg/dL"),
    (base(crp="4 furlongs"), "unknown unit 'furlongs' for crp"),
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
