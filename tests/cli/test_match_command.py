"""`triage match`: one output line per input line, as JSON or plain text, shown literally."""

from __future__ import annotations

import io
import json

from assistant.frontends.match_command import run
from tests.support.command import run_triage
from tests.support.files import replace_in


def test_cli_one_output_line_per_input_line_json(library) -> None:
    lines = ["MTX + pred", "none", "", "\x1b[2J\x1b[31mzzz\u2028yyy\x85", "Solumédrol x3",
             "no treatment (so far)"]
    out = io.StringIO()
    assert run(None, True, io.StringIO("\n".join(lines) + "\n"), out, library.matcher) == 0
    rows = out.getvalue().split("\n")
    assert rows[-1] == "" and len(rows) - 1 == len(lines)
    assert "\x1b" not in out.getvalue() and "\u2028" not in out.getvalue()
    parsed = [json.loads(r) for r in rows[:-1]]
    assert parsed[1] == [] and parsed[2] == [] and parsed[5] == []
    assert [m["drug"] for m in parsed[0]] == ["methotrexate", None]
    assert parsed[0][1]["status"] == "confirm"
    assert {c["drug"] for c in parsed[0][1]["candidates"]} == {"prednisone", "prednisolone"}
    assert parsed[4][0]["drug"] == "methylprednisolone"


def test_cli_plain_and_text_argument(library) -> None:
    out = io.StringIO()
    assert run("Flomax, [red]zzz[/red]\x1b[0m", False, io.StringIO(""), out, library.matcher) == 0
    text = out.getvalue()
    assert text.count("\n") == 1 and "tamsulosin" in text and "\x1b" not in text
    out = io.StringIO()
    run(None, False, io.StringIO("none\nMTX\n"), out, library.matcher)
    assert out.getvalue().splitlines() == ["(no drug)",
                                           "MTX -> methotrexate (immunosuppressants, therapy "
                                           "methotrexate)"]


def test_root_gives_the_lexicon_and_the_other_drug_list(root_copy) -> None:
    """`triage --root DIR match` matches with DIR's knowledge, both its lexicon and its list
    of other drugs, not the built-in ones."""
    replace_in(root_copy / "knowledge" / "drugs.yaml", '"methotrexate sodium"]',
               '"methotrexate sodium", zorbitrexate]')
    with (root_copy / "knowledge" / "other_drugs.txt").open("a", encoding="utf-8") as f:
        f.write("quendralol\tquendralol\n")
    line = "zorbitrexate, quendralol"
    built_in = json.loads(run_triage("match", line, "--json").stdout)
    assert [m["drug"] for m in built_in] == [None, None]
    result = run_triage("--root", str(root_copy), "match", line, "--json")
    assert result.returncode == 0, result.stderr
    [lexicon, other] = json.loads(result.stdout)
    assert (lexicon["status"], lexicon["drug"], lexicon["score"]) == ("matched", "methotrexate", 100)
    assert (other["status"], other["drug"]) == ("matched", "quendralol")
