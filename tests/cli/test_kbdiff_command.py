"""`triage kb-diff OLD [NEW]`: folders or git revisions, diff-like exit codes; and the
suite's own check that every change the working knowledge makes to the committed baseline is
listed in tests/knowledge_changes.yaml, so an edit that moves a case must say so."""

from __future__ import annotations

import json

import pytest
import yaml

from tests.support.command import run_triage
from tests.support.files import ROOT, replace_in

EXPECTED = ROOT / "tests" / "knowledge_changes.yaml"


def test_the_same_knowledge_exits_zero(root_copy):
    done = run_triage("kb-diff", str(root_copy), str(ROOT))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "no case changes"


def test_changes_are_listed_with_their_reasons_and_exit_one(root_copy):
    triage = root_copy / "knowledge" / "triage.yaml"
    replace_in(triage, "    when: {question: hemoglobin, below: 10}",
               "    when: {question: hemoglobin, below: 12}")
    done = run_triage("kb-diff", str(ROOT), str(root_copy))
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert any(": level: routine -> soon" in line for line in lines)
    assert any(line == "    because: rule anaemia (soon) now fires" for line in lines)
    assert lines[-1].endswith("case(s)") and lines[-1].split()[0].isdigit()


def test_an_unknown_revision_is_trouble_not_a_diff():
    done = run_triage("kb-diff", "no-such-revision-xyz")
    assert done.returncode == 2
    assert "neither a folder with knowledge/ and dialogs/ nor a git revision" in done.stderr


def test_knowledge_changes_since_the_baseline_are_the_expected_ones():
    """Every change the working knowledge makes to the baseline's results is listed in
    tests/knowledge_changes.yaml, and nothing listed there is missing. After a knowledge edit:
    run `triage kb-diff BASELINE`, review each change, and list it."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: the baseline revision cannot be read")
    expected = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))
    done = run_triage("kb-diff", expected["baseline"], "--json")
    assert done.returncode in (0, 1), done.stderr
    found = set()
    for line in done.stdout.splitlines():
        c = json.loads(line)
        subject = f" {c['subject']}" if c["subject"] else ""
        found.add(f"{c['case']}: {c['what']}{subject}: {c['old']} -> {c['new']}")
    listed = set(expected["changes"] or [])
    unexpected, missing = sorted(found - listed), sorted(listed - found)
    assert not unexpected and not missing, (
        "knowledge changes differ from tests/knowledge_changes.yaml\n"
        + "".join(f"  not listed: {c}\n" for c in unexpected)
        + "".join(f"  listed, not found: {c}\n" for c in missing))
