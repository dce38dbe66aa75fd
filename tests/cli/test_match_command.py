"""`triage match`: one output line per input line, as JSON or plain text, shown literally."""

from __future__ import annotations

import io
import json

from assistant.frontends.match_command import run


def test_cli_one_output_line_per_input_line_json() -> None:
    lines = ["MTX + pred", "none", "", "\x1b[2J\x1b[31mzzz\u2028yyy\x85", "Solumédrol x3",
             "no treatment (so far)"]
    out = io.StringIO()
    assert run(None, True, io.StringIO("\n".join(lines) + "\n"), out) == 0
    rows = out.getvalue().split("\n")
    assert rows[-1] == "" and len(rows) - 1 == len(lines)
    assert "\x1b" not in out.getvalue() and "\u2028" not in out.getvalue()
    parsed = [json.loads(r) for r in rows[:-1]]
    assert parsed[1] == [] and parsed[2] == [] and parsed[5] == []
    assert [m["drug"] for m in parsed[0]] == ["methotrexate", None]
    assert parsed[0][1]["status"] == "confirm"
    assert {c["drug"] for c in parsed[0][1]["candidates"]} == {"prednisone", "prednisolone"}
    assert parsed[4][0]["drug"] == "methylprednisolone"


def test_cli_plain_and_text_argument() -> None:
    out = io.StringIO()
    assert run("Flomax, [red]zzz[/red]\x1b[0m", False, io.StringIO(""), out) == 0
    text = out.getvalue()
    assert text.count("\n") == 1 and "tamsulosin" in text and "\x1b" not in text
    out = io.StringIO()
    run(None, False, io.StringIO("none\nMTX\n"), out)
    assert out.getvalue().splitlines() == ["(no drug)",
                                           "MTX -> methotrexate (immunosuppressants, therapy "
                                           "methotrexate)"]
