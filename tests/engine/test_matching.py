"""Drug-name matcher: table of typed strings (tests/matching_cases.yaml), every lexicon name,
generated typos of every drug (never a silent wrong match), look-alike guard, CLI."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from assistant.engine.knowledge import load_lexicon
from assistant.engine.matching import (
    FLOOR,
    MARGIN,
    Matcher,
    Mention,
    default_matcher,
    key,
    match_drugs,
)
from tests.support.files import ROOT

CASES = yaml.safe_load((ROOT / "tests" / "matching_cases.yaml").read_text(encoding="utf-8"))["cases"]
LEXICON = load_lexicon()
THERAPIES = {
    "acth", "aluminium_hydroxide", "surgical_excision", "probenecid", "colchicine", "diltiazem",
    "pamidronate", "alendronate", "infliximab", "rituximab", "intralesional_corticosteroid",
    "ivig", "sodium_thiosulfate_topical", "sodium_thiosulfate_intralesional",
    "sodium_thiosulfate_iv", "warfarin", "minocycline", "ceftriaxone", "co2_laser",
    "lithotripsy", "systemic_corticosteroid", "methotrexate", "mycophenolate", "jak_inhibitor",
    "abatacept",
}


def describe(m: Mention) -> str:
    cands = ",".join(f"{c.drug}:{c.score:.0f}" for c in m.candidates)
    return f"{m.text!r} {m.status} drug={m.drug} class={m.drug_class} " \
           f"therapy={m.therapy} score={m.score:.0f} [{cands}]"


def check(m: Mention, expected: str) -> None:
    shown = describe(m)
    if expected.startswith("class:"):
        assert (m.status, m.drug, m.drug_class) == ("matched", None, expected[6:]), shown
    elif expected.startswith("confirm:"):
        wanted = expected[8:].split(",")
        assert m.status == "confirm" and m.drug is None, shown
        names = [c.drug for c in m.candidates]
        assert names and names[0] in wanted, shown
        assert all(w in names for w in wanted), shown
    elif expected.startswith("unknown"):
        assert m.status == "unknown" and m.drug is None and not m.candidates, shown
        if ":" in expected:
            assert m.text == expected.split(":", 1)[1], shown
    else:
        drug, _, therapy = expected.partition("@")
        assert (m.status, m.drug) == ("matched", drug), shown
        if therapy:
            assert m.therapy == therapy, shown


# --- the table ---------------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] or "<empty>" for c in CASES])
def test_table(case: dict) -> None:
    mentions = match_drugs(case["text"])
    got = [describe(m) for m in mentions]
    assert len(mentions) == len(case["expect"]), got
    for m, expected in zip(mentions, case["expect"], strict=True):
        check(m, expected)
        assert case["text"][m.start:m.end] == m.text


def test_table_covers_every_therapy_and_lookalike_pair() -> None:
    texts = " ".join(c["text"] for c in CASES).lower()
    expects = [e for c in CASES for e in c["expect"]]
    therapies = {e.partition("@")[2] for e in expects if "@" in e}
    assert THERAPIES <= therapies | {"co2_laser", "lithotripsy", "surgical_excision"}
    for a, b in [("prednisone", "prednisolone"), ("rituximab", "infliximab"),
                 ("ciclosporin", "cycloserine"), ("hydroxychloroquine", "hydroxyzine"),
                 ("hydroxychloroquine", "hydrochlorothiazide"), ("fosamax", "flomax"),
                 ("azathioprine", "azacitidine"), ("solu-medrol", "solu-cortef"),
                 ("solu-medrol", "depo-medrol"), ("cardizem", "cardene")]:
        assert a in texts and b in texts, (a, b)


# --- every name of the lexicon, exactly ---------------------------------------------------------

def _names() -> list[tuple[str, str, str]]:
    out = []
    for d in LEXICON.drugs:
        for n in (d.name, *d.spellings, *d.abbreviations, *(b.name for b in d.brands)):
            out.append((n, "drug", d.name))
    for c in LEXICON.classes:
        for n in c.aliases:
            out.append((n, "class", c.id))
    return out


NAMES = _names()


@pytest.mark.parametrize("name,kind,target", NAMES, ids=[n for n, _, _ in NAMES])
def test_every_lexicon_name_matches_exactly(name: str, kind: str, target: str) -> None:
    mentions = match_drugs(name)
    assert len(mentions) == 1, [describe(m) for m in mentions]
    m = mentions[0]
    assert m.score == 100 and m.text == name, describe(m)
    if kind == "class":
        if m.drug is None:
            assert m.drug_class == target, describe(m)
        return   # a drug name that is also a class alias: the drug wins
    if m.status == "confirm":   # a name shared by several drugs always asks
        assert target in [c.drug for c in m.candidates], describe(m)
        assert len(m.candidates) > 1
    else:
        assert (m.status, m.drug) == ("matched", target), describe(m)


# --- generated typos of every drug: never a silent wrong match ----------------------------------

def _typos(word: str) -> set[str]:
    w = word.lower()
    out: set[str] = set()
    for i in range(1, len(w) - 1):
        out.add(w[:i] + w[i + 1:])                            # deletion
        out.add(w[:i] + w[i] + w[i:])                         # doubling
        if w[i] != w[i + 1]:
            out.add(w[:i] + w[i + 1] + w[i] + w[i + 2:])      # transposition
        out.add(w[:i] + {"a": "e", "e": "a", "i": "y", "y": "i", "o": "u", "u": "o",
                         "c": "k", "k": "c", "s": "z", "z": "s"}.get(w[i], "e") + w[i + 1:])
    return out


def _typo_cases() -> list[tuple[str, str]]:
    m = default_matcher()
    known = set(m.index) | set(m.other().index)
    cases = []
    for d in LEXICON.drugs:
        for n in (d.name, *(b.name for b in d.brands)):
            if len(key(n)) < 6:
                continue
            for t in sorted(_typos(n)):
                if key(t) not in known:
                    cases.append((t, d.name))
    return cases


TYPOS = _typo_cases()


def test_typos_of_every_drug_are_never_silently_wrong() -> None:
    wrong, recovered, asked, lost = [], 0, 0, 0
    for typed, drug in TYPOS:
        mentions = match_drugs(typed)
        silent = [m for m in mentions if m.status == "matched"]
        if any(m.drug != drug for m in silent):
            wrong.append((typed, drug, [describe(m) for m in mentions]))
        elif silent:
            recovered += 1
        elif any(drug in [c.drug for c in m.candidates] for m in mentions):
            asked += 1
        else:
            lost += 1
    assert not wrong, wrong[:20]
    total = len(TYPOS)
    # the fuzzy tier must be useful too: most single-edit typos resolve or ask
    assert (recovered + asked) / total > 0.97, (recovered, asked, lost, total)
    assert recovered / total > 0.6, (recovered, asked, lost, total)


def test_every_drug_has_typo_cases() -> None:
    covered = {drug for _, drug in TYPOS}
    long_named = {d.name for d in LEXICON.drugs
                  if any(len(key(n)) >= 6 for n in (d.name, *(b.name for b in d.brands)))}
    assert covered == long_named


# --- safety rules -------------------------------------------------------------------------------

def test_fuzzy_acceptance_respects_floor_and_margin() -> None:
    for typed, _ in TYPOS[::7]:
        for m in match_drugs(typed):
            if m.status == "matched" and m.score < 100:
                assert m.score >= FLOOR
                runner = default_matcher().fuzzy(key(m.text))
                others = [c.score for c, _ in runner
                          if key(m.drug) not in key(c.drug) and key(c.drug) not in key(m.drug)]
                assert not others or m.score - others[0] >= MARGIN


def test_lookalike_pairs_are_declared_both_ways() -> None:
    m = default_matcher()
    for a, b in [("prednisone", "prednisolone"), ("rituximab", "infliximab"),
                 ("ciclosporin", "cycloserine"), ("hydroxychloroquine", "hydroxyzine"),
                 ("hydroxychloroquine", "hydrochlorothiazide"), ("alendronate", "tamsulosin"),
                 ("azathioprine", "azacitidine"), ("diltiazem", "nicardipine"),
                 ("methylprednisolone", "solucortef")]:
        assert b in m.lasa[a] and a in m.lasa.get(b, set()) | m.lasa[a], (a, b)


def test_exact_name_always_wins_over_its_lookalike() -> None:
    for name, drug in [("prednisone", "prednisone"), ("prednisolone", "prednisolone"),
                       ("Flomax", "tamsulosin"), ("Fosamax", "alendronate"),
                       ("cycloserine", "cycloserine"), ("Cardene", "nicardipine")]:
        [m] = match_drugs(name)
        assert (m.status, m.drug, m.score) == ("matched", drug, 100)


# --- interface ----------------------------------------------------------------------------------

def test_mention_json_shape() -> None:
    [m] = match_drugs("Solupred")
    j = m.to_json()
    assert {"text", "status", "drug", "score", "candidates"} <= set(j)
    assert j["drug"] == "prednisolone" and j["candidates"][0]["drug"] == "prednisolone"
    assert {"drug", "score"} <= set(j["candidates"][0])
    json.dumps(j)


def test_candidates_carry_class_and_use_for_the_question() -> None:
    [m] = match_drugs("predniselone")
    assert m.status == "confirm"
    for c in m.candidates[:2]:
        assert c.use and c.drug_class == "corticosteroids"
        assert c.therapy == "systemic_corticosteroid"


def test_lexicon_is_consistent() -> None:
    drugs = {d.name for d in LEXICON.drugs}
    classes = {c.id: c for c in LEXICON.classes}
    for d in LEXICON.drugs:
        assert d.name == d.name.lower().strip()
        assert d.drug_class in classes, d.name
        assert d.therapy is None or d.therapy in THERAPIES, d.name
        assert set(d.route_therapies.values()) - {None} <= THERAPIES, d.name   # None: no therapy
        if d.drug_class != "other":
            assert d.name in classes[d.drug_class].members, d.name
    for c in classes.values():
        assert set(c.members) <= drugs, c.id
    m = default_matcher()
    known = set(m.index) | set(m.other().index)
    for d in LEXICON.drugs:
        for n in d.look_alikes:
            assert key(n) in known, (d.name, n)


def test_custom_lexicon_is_used() -> None:
    from assistant.engine.lexicon import Lexicon
    lex = Lexicon(drugs=tuple(d for d in LEXICON.drugs if d.name == "methotrexate"))
    [m] = match_drugs("Novatrex", Matcher(lex))
    assert m.drug == "methotrexate"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=80))
def test_any_text_is_safe(text: str) -> None:
    mentions = match_drugs(text)
    end = 0
    for m in mentions:
        assert m.status in ("matched", "confirm", "unknown")
        assert text[m.start:m.end] == m.text and m.start >= end
        end = m.end
        if m.status == "matched":
            assert m.drug is not None or m.drug_class is not None
        if m.status == "unknown":
            assert m.drug is None and m.text.strip()
        json.dumps(m.to_json())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["MTX", "Solupred", "Aredia", "HCQ", "IVIG", "Cardene",
                                 "2 mg/kg", "weekly", "x3", "asdf"]), min_size=1, max_size=6),
       st.sampled_from([", ", " + ", " then ", " et ", "; ", " / ", " puis "]))
def test_joined_lines_keep_every_drug(parts: list[str], sep: str) -> None:
    text = sep.join(parts)
    got = [m.text for m in match_drugs(text)]
    assert got == [p for p in parts if p not in ("2 mg/kg", "weekly", "x3")]


# --- CLI ----------------------------------------------------------------------------------------

# --- property: a look-alike is never matched silently, whatever surrounds it -------------------

def _look_alike_names(drug: str) -> set[str]:
    """Every name (key) of the drugs declared look-alikes of ``drug``, both directions."""
    m = default_matcher()
    out: set[str] = set()
    for target in m.lasa.get(drug, set()):
        out.add(target if target not in m.drugs else key(target))
        d = m.drugs.get(target)
        if d is not None:
            out |= {key(n) for n in (d.name, *d.spellings, *(b.name for b in d.brands))}
        out |= set(m.other().keys_of.get(target, ()))
    return out


SOURCES = [(n, d.name) for d in LEXICON.drugs if d.look_alikes
           for n in (d.name, *(b.name for b in d.brands)) if len(key(n)) >= 6]
CONTEXTS = ["{}", "no {}", "{} 15 mg weekly", "stopped {}", "pas de {}", "{} x3",
            "لم يتلق {}", "{} not approved", "MTX, {} 2 mg/kg/d then IVIG", "allergic to {}"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SOURCES), st.integers(0, 10_000), st.sampled_from(CONTEXTS))
def test_no_look_alike_is_ever_matched_silently(source, edit, context):
    from rapidfuzz import fuzz

    from assistant.engine.matching import GUARD_LEVEL

    name, drug = source
    typos = sorted(_typos(name))
    typed = typos[edit % len(typos)]
    m = default_matcher()
    assume(key(typed) not in m.index and key(typed) not in m.other().index)
    for mention in match_drugs(context.format(typed)):
        if mention.status != "matched" or mention.drug is None or mention.score == 100:
            continue
        # the typo of a drug never lands silently on one of its declared look-alikes ...
        assert mention.drug not in m.lasa.get(drug, set()), (typed, mention)
        # ... and a silent fuzzy match has no look-alike of its own within reach, whatever
        # the fuzzy tier's prefilter skipped
        k = key(mention.text)
        near = [n for n in _look_alike_names(mention.drug) if fuzz.ratio(k, n) >= GUARD_LEVEL]
        assert not near, (typed, mention.drug, near)


GLUED = st.sampled_from(["IVCYC", "IVMPx3", "10mgMTX", "والميثوتريكسات", "MTX15mg", "no", "none",
                         "nil", "n/a", "aucun", "لا يوجد", "treatment", " ", "-", "\u200b"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(GLUED, st.text(max_size=8)), max_size=8).map("".join))
def test_a_line_is_none_whether_or_not_glued_names_are_cut(text: str) -> None:
    # match() tests "none" on the pieces cut with the lexicon (IV | CYC), says_none() on
    # the pieces cut without it (IVCYC): the keys joined are the same, so they agree
    from assistant.engine.line_pieces import Piece, split

    m = default_matcher()
    def joined(items: list) -> str:
        return "".join(p.key for p in items if isinstance(p, Piece))
    assert joined(split(text, m.known)) == joined(split(text))
    if m.says_none(text):
        assert m.match(text) == []


@pytest.mark.parametrize("typed", ["Solupred 20 mg/24h", "Solupred 1 cp/24h", "colchicine 1 cp/24 h",
                                   "Solupred 20 mg/24\th", "Solupred 1 cp/dia", "Solupred 20 mg/dia"])
def test_a_slash_then_a_time_word_is_once_per_that_time(typed: str) -> None:
    # "/24 h" without an amount was not read, and "24<tab>h" after one raised a KeyError
    [m] = match_drugs(typed)
    assert m.dose is not None and m.dose.interval is not None, describe(m)
    assert m.dose.interval.text() == "1×/day"
