"""Treatment lines as clinicians in the US, UK, France, Morocco, Iraq and the Gulf write
them (tests/treatment_lines.yaml): each mention's drug, exposure and dose."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from assistant.engine.matching import Mention, match_drugs
from tests.support.files import ROOT

LINES = yaml.safe_load((ROOT / "tests" / "treatment_lines.yaml")
                       .read_text(encoding="utf-8"))["lines"]
DOSE_FIELDS = ("amount", "amount_high", "unit", "per", "route", "form", "count")


def shown(m: Mention) -> str:
    return (f"{m.text!r} {m.status} drug={m.drug} class={m.drug_class} therapy={m.therapy} "
            f"candidates={[c.drug for c in m.candidates]} exposure={m.exposure} dose={m.dose}")


def what(m: Mention) -> str:
    if m.status == "confirm":
        return "confirm:" + ",".join(c.drug for c in m.candidates[:2])
    if m.status == "unknown":
        return "unknown:" + m.text
    if m.drug is None:
        return f"class:{m.drug_class}"
    return f"{m.drug}@{m.therapy or '-'}"


def check(m: Mention, expected: dict) -> None:
    assert what(m) == expected["drug"], shown(m)
    kind, _, reason = expected["exposure"].partition("/")
    assert (m.exposure.kind, m.exposure.reason) == (kind, reason or None), shown(m)
    if kind != "taken" or reason:
        assert m.exposure.cue, shown(m)              # the words that said so, verbatim
    want = expected["dose"]
    if want is None:
        assert m.dose is None, shown(m)
        return
    assert m.dose is not None and m.dose.text == want["text"], shown(m)
    for name in DOSE_FIELDS:
        assert getattr(m.dose, name) == want.get(name), (name, shown(m))
    interval = m.dose.interval.text() if m.dose.interval is not None else None
    assert interval == want.get("interval"), shown(m)
    assert m.dose.as_needed == want.get("as_needed", False), shown(m)


@pytest.mark.parametrize("line", LINES, ids=[f"{c['style']}:{c['text'][:40]}" for c in LINES])
def test_line(line: dict) -> None:
    text = line["text"]
    mentions = match_drugs(text)
    assert len(mentions) == len(line["expect"]), [shown(m) for m in mentions]
    for m, expected in zip(mentions, line["expect"], strict=True):
        check(m, expected)
        assert text[m.start:m.end] == m.text
        if m.exposure.cue is not None and " … " not in m.exposure.cue:
            assert m.exposure.cue in text
        if m.dose is not None:
            assert all(part in text for part in m.dose.text.split(" "))


def test_the_table_covers_the_languages_and_the_exposures() -> None:
    assert len(LINES) >= 200
    styles = Counter(line["style"].split("-")[0] for line in LINES)
    assert all(styles[lang] >= 20 for lang in ("en", "fr", "es", "ar")), styles
    regions = {line["style"] for line in LINES}
    assert {"en-US", "en-UK", "fr-FR", "fr-MA", "ar-IQ", "ar-Gulf", "en-Gulf"} <= regions
    seen = {e["exposure"] for line in LINES for e in line["expect"]}
    assert {"taken", "taken/stopped", "taken/no_response", "taken/side_effects",
            "not_taken/negated", "not_taken/refused", "not_taken/unavailable",
            "not_taken/not_approved", "not_taken/contraindicated", "planned/planned",
            "planned/considered", "allergy/allergy", "allergy/intolerance"} <= seen
