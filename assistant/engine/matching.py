"""Turn a free-text line of prior treatments into drug concepts, safely.

``match_drugs("pred 2mg/kg + MTX 15mg weekly, then Aredia")`` returns one
:class:`Mention` per drug named, in order of appearance.

How a line is read
  1. A line that only says "none" / "nil" / "no treatment (so far)" / "aucun" ... names
     no drug: ``[]``.
  2. The line is cut into segments at punctuation (``, ; + / & |`` parentheses ...) and at
     joining words in English, French, Spanish and Italian ("and", "then", "et", "puis",
     "y", "e", "with", "avec" ...).
  3. Inside a segment, the longest run of words whose compact key (accents folded, case
     and punctuation dropped: "Solu-Médrol" -> "solumedrol") is a known name is taken,
     left to right. Tiers, in order, and only the last is approximate:
       a. the calcinosis lexicon (``knowledge/drugs.yaml``): generic names, spellings,
          abbreviations, brands and class names ("bisphosphonates");
       b. other real drugs (``knowledge/other_drugs.txt``, loaded lazily the first time a
          word is not in the lexicon), so that "Flomax" is tamsulosin and "metformin"
          is metformin, never a look-alike of ours (a misspelt multi-word lexicon name,
          "H.P. Acthar Gle", is first tried whole, silently-safe fuzzy hits only);
       c. fuzzy matching (rapidfuzz ``fuzz.ratio`` on compact keys) of what is left
          over, the whole stretch first then word by word, against lexicon names and
          other drug names, never against abbreviations.
     Doses, units, frequencies, routes and counts ("2 mg/kg/day", "x3", "IV", "weekly",
     "pulses") are skipped; a route word refines the therapy ("topical STS").
  4. Words left over that are neither noise nor a drug are kept verbatim as ``unknown``.

Safety rules of the fuzzy tier (constants below)
  * Silent acceptance ("matched" with a score < 100) needs all of: typed key of at least
    ``MIN_SILENT_LEN`` characters; best concept from the curated lexicon (a fuzzy hit on
    the uncurated other-drug list always asks); score >= ``FLOOR``; a lead of at least
    ``MARGIN`` over the best *different* concept (salts, isomers, plurals of the same
    name do not count); and no declared look-alike (``look_alikes``, both directions,
    drug or brand names) scoring ``GUARD_LEVEL`` or more.
  * Otherwise the mention is ``confirm`` with its candidates when a lexicon concept scores
    >= ``CONFIRM_FLOOR`` (``SHORT_CONFIRM_FLOOR`` for keys of ``SHORT_KEY`` characters or
    fewer) or an other drug >= ``OTHER_CONFIRM_FLOOR``; below that it is ``unknown``.
  * A name listed under two drugs ("pred", "Dilacor", "CTX", "cyclo") always asks, with
    score 100.
  * An exact name always wins: fuzzy matching only sees words no exact tier recognised.

The module is pure (no I/O besides reading the knowledge files once) and keeps start-up
cheap: rapidfuzz and the other-drug list load only when a word is not in the lexicon.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .lexicon import Drug, Lexicon

Status = Literal["matched", "confirm", "unknown"]

# --- thresholds (scores are rapidfuzz fuzz.ratio, 0..100, on compact keys) -----------------
FLOOR = 88.0          # silent acceptance needs at least this score ...
MARGIN = 8.0          # ... and this lead over the best different drug
MIN_SILENT_LEN = 5    # shorter typed keys are never accepted silently (ISMP: >= 5 letters)
GUARD_LEVEL = 75.0    # a look-alike scoring this much forces a confirmation
CONFIRM_FLOOR = 80.0  # best score needed to ask "did you mean"; below: unknown
OTHER_CONFIRM_FLOOR = 86.0  # the same when the best is only an other (non-lexicon) drug
SHORT_KEY = 5         # typed keys this short (or shorter) ...
SHORT_CONFIRM_FLOOR = 85.0  # ... need this to ask: one letter added/dropped, not replaced
CANDIDATE_SPREAD = 15.0  # candidates listed: within this many points of the best
MAX_CANDIDATES = 5
MIN_FUZZY_LEN = 4     # shorter keys are never fuzzy-matched (abbreviations are exact only)
MIN_OTHER_FUZZY_LEN = 5  # keys this short are fuzzy-matched against the lexicon only


@dataclass(frozen=True)
class Candidate:
    """One possible drug for a mention."""

    drug: str
    score: float
    drug_class: str | None
    use: str | None
    therapy: str | None
    name: str | None = None       # the lexicon name that scored (brand, spelling ...)

    def to_json(self) -> dict:
        return {"drug": self.drug, "score": round(self.score, 1), "drug_class": self.drug_class,
                "use": self.use, "therapy": self.therapy, "name": self.name}


@dataclass(frozen=True)
class Mention:
    """A piece of the typed line and what it names."""

    text: str
    start: int
    end: int
    status: Status
    drug: str | None            # canonical generic (lower case) when matched
    drug_class: str | None      # class id: of the drug, or the class the mention names
    therapy: str | None         # knowledge therapy id of the drug, if any
    score: float
    candidates: tuple[Candidate, ...]
    name: str | None = None     # lexicon name matched ("Solu-Medrol"), when matched
    use: str | None = None      # what the drug is for, when matched

    def to_json(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end, "status": self.status,
                "drug": self.drug, "drug_class": self.drug_class, "therapy": self.therapy,
                "score": round(self.score, 1), "name": self.name, "use": self.use,
                "candidates": [c.to_json() for c in self.candidates]}


# --- normalisation -------------------------------------------------------------------------

_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d",
                          "µ": "u", "μ": "u", "’": "'", "‘": "'", "×": "x"})
_NON_KEY = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, accents removed ("Solumédrol" -> "solumedrol")."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_SPECIAL)


def key(text: str) -> str:
    """Compact key used for every lookup: folded, letters and digits only."""
    return _NON_KEY.sub("", fold(text))


# --- tokenising ------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"(?P<esc>\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])?)"  # ANSI
    r"|(?P<word>al\s*\(\s*oh\s*\)\s*[3₃]"                    # Al(OH)3 keeps its brackets
    r"|[^\W_](?:[\w'’]|[-.](?=[^\W_])"                      # inner hyphens and dots stay
    r"|/(?=(?:kg|m2|m²|j|d|day|jour|wk|week|sem|mo|month|mois)\b))*)"   # 2mg/kg/day is one
    r"|(?P<sep>[^\w\s.'’])",                                # '.' and quotes do not cut
    re.IGNORECASE,
)

_SEPARATOR_WORDS = frozenset("""
and then et puis y e with plus avec con or ou o followed by after before apres avant luego
despues poi quindi also aussi ensuite later vs versus switched switch to changed relayed
relais replaced add added addition associe associee associated combined combination along
together w ainsi que mais but then+ thereafter subsequently next finally puis+
""".split())

# doses, units, frequencies, routes, counts, forms and filler: skipped, never "unknown"
_NOISE_WORDS = frozenset("""
mg g gr gm mcg ug ml l kg m2 iu ui u unit units unite unites dose doses dosage mg/kg mg/m2
mg/kg/d mg/kg/day mg/kg/j mg/j mg/d mg/day mg/wk mg/week mg/sem g/kg g/kg/d g/kg/day
day days daily d jour jours j jr jrs dia dias giorno giorni week weeks weekly wk wks w
semaine semaines sem hebdomadaire hebdo hebdomadaires semana semanas semanal settimana
settimanale month months monthly mo mth mths mois mensuel mensuelle mensuelles mensuels mes
meses mensual mensile year years yr yrs an ans annee annees ano anos anno anni hour hours h
hr hrs heure heures min minute minutes night nightly morning evening
bid tid qid qd od bd tds qds prn stat nocte mane qhs qam qod eod qw qm qow biweekly
fortnightly alternate every each per a par al por toutes tous chaque cada ogni times fois
veces volte once twice thrice x quotidien quotidienne quotidiens diario diaria
iv ivd i.v i.v. ev im i.m sc s.c sq sub subcut subcutaneous po p.o oral orally orale oraux
per os topical topically topique topiques local locale locally cutane cutanee intralesional
intralesionally intralesion intralesionnel intralesionnelle intralesionale il intravenous
intravenously intraveineux intraveineuse intraveineuses endovenous endovena endovenosa
intramuscular intramusculaire inj injection injections injectable injected infusion infusions
perfusion perfusions bolus boluses pulse pulses pulsed pulsee pulsees flash flashs cure cures
course courses cycle cycles session sessions dose-dose cp cpr comprime comprimes tablet
tablets tab tabs capsule capsules gel cream creme pommade ointment solution sirop syrup drops
gouttes patch spray suspension powder poudre sachet sachets ampoule ampoules vial vials
high low haute hautes forte fortes faible faibles mini maxi max standard full half
taper tapering tapered tapers wean weaned weaning decroissance degressive degression stopped
stop started start since from until till for during pendant depuis durant hasta desde durante
of the de du des la le les el los las di del della dei d' l' at on sous under in en au aux
total cumulative cumulee maintenance induction entretien d'entretien prior previous
previously current currently ongoing now still trial tried given received took taking
treated treatment treatments therapy therapies traitement traitements tratamiento
tratamientos trattamento terapia therapie therapeutique regimen protocol protocole esquema
pauta short long term approx approximately about around environ ~ ca. c. mgs mcgs
depot retard lp sr xr xl cr er mr prolonged extended release liberation prolongee
patient pt pts was were is are has had have been be it its his her their sa son ses
initial initially first second third last premier premiere deuxieme 1st 2nd 3rd
one two three four five six seven eight nine ten twelve un une deux trois quatre cinq six
sept huit neuf dix douze uno dos tres cuatro cinco seis siete ocho nueve diez due tre
quattro cinque sei sette otto nove dieci
""".split())

_NONE_LINES = frozenset(key(s) for s in """
none|nil|no|nothing|no treatment|no treatment so far|no treatment yet|no treatments|
no drugs|no drug|no medication|no medications|no meds|no prior treatment|no previous treatment|
none so far|none yet|nil so far|na|n/a|not applicable|untreated|treatment naive|naive|
aucun|aucune|aucun traitement|pas de traitement|sans traitement|rien|neant|neant a ce jour|
aucun traitement a ce jour|jamais traite|ninguno|ninguna|nada|sin tratamiento|ningun tratamiento|
nessuno|nessuna|niente|nessun trattamento|-|--|0
""".replace("\n", "").split("|"))

_ROUTE_WORDS = {
    "iv": "iv", "ivd": "iv", "i.v": "iv", "i.v.": "iv", "ev": "iv", "intravenous": "iv",
    "intravenously": "iv", "intraveineux": "iv", "intraveineuse": "iv", "intraveineuses": "iv",
    "endovenous": "iv", "endovena": "iv", "endovenosa": "iv", "infusion": "iv",
    "infusions": "iv", "perfusion": "iv", "perfusions": "iv",
    "topical": "topical", "topically": "topical", "topique": "topical", "topiques": "topical",
    "cream": "topical", "creme": "topical", "pommade": "topical", "ointment": "topical",
    "local": "topical", "locale": "topical", "locally": "topical", "cutane": "topical",
    "cutanee": "topical",
    "intralesional": "intralesional", "intralesionally": "intralesional",
    "intralesion": "intralesional", "intralesionnel": "intralesional",
    "intralesionnelle": "intralesional", "intralesionale": "intralesional", "il": "intralesional",
    "im": "im", "i.m": "im", "intramuscular": "im", "intramusculaire": "im",
    "po": "oral", "p.o": "oral", "oral": "oral", "orally": "oral", "orale": "oral", "oraux": "oral",
    "tablet": "oral", "tablets": "oral", "cp": "oral", "comprime": "oral", "comprimes": "oral",
    "sc": "sc", "s.c": "sc", "sq": "sc", "subcut": "sc", "subcutaneous": "sc",
}

_NUMBERISH = re.compile(
    r"^(?:x?\d[\d.,]*(?:x|%|[a-z]{0,3})(?:/[a-z0-9²]+)*"     # 15mg, 2mg/kg/d, x3, 3x, 25%
    r"|[qdjws]\d+[a-z]?"                                     # q4w, d1, j15
    r"|\d+(?:st|nd|rd|th|e|er|eme))$")                       # 1st, 2e, 3eme


def _is_noise(folded: str) -> bool:
    return folded in _NOISE_WORDS or bool(_NUMBERISH.match(folded))


@dataclass
class _Token:
    text: str
    start: int
    end: int
    folded: str
    key: str
    noise: bool


def _segments(text: str) -> list[list[_Token]]:
    """Words of the line grouped into segments cut at punctuation and joining words."""
    segments: list[list[_Token]] = [[]]
    for m in _TOKEN.finditer(text):
        if m.group("sep") is not None or m.group("esc") is not None:
            if segments[-1]:
                segments.append([])
            continue
        word = m.group("word")
        folded = fold(word)
        if folded in _SEPARATOR_WORDS:
            if segments[-1]:
                segments.append([])
            continue
        segments[-1].append(_Token(word, m.start(), m.end(), folded, key(word),
                                   _is_noise(folded)))
    return [s for s in segments if s]


# --- the compiled lexicon ---------------------------------------------------------------------

@dataclass(frozen=True)
class _Entry:
    """What a key names: a lexicon drug, a class, or an other drug (canonical name)."""

    kind: Literal["drug", "class", "other"]
    target: str           # drug name, class id, or other canonical name
    name: str             # the name as written in the source
    exact_only: bool = False


@dataclass
class _Other:
    """Other real drugs (outside the calcinosis knowledge), loaded on first need."""

    index: dict[str, tuple[str, ...]] = field(default_factory=dict)   # key -> canonicals


class Matcher:
    """A lexicon compiled for matching; build once, use for many lines."""

    def __init__(self, lexicon: Lexicon, other_path: Path | None = None):
        self.lexicon = lexicon
        self.drugs: dict[str, Drug] = {d.name: d for d in lexicon.drugs}
        self.classes = {c.id: c for c in lexicon.classes}
        self.index: dict[str, list[_Entry]] = {}
        for d in lexicon.drugs:
            self._add(d.name, _Entry("drug", d.name, d.name))
            for s in d.spellings:
                self._add(s, _Entry("drug", d.name, s))
            for b in d.brands:
                self._add(b.name, _Entry("drug", d.name, b.name))
            for a in d.abbreviations:
                self._add(a, _Entry("drug", d.name, a, exact_only=True))
        for c in lexicon.classes:
            for a in (c.name, *c.aliases):
                self._add(a, _Entry("class", c.id, a, exact_only=len(key(a)) < MIN_FUZZY_LEN))
        # look-alike relation between keys (drug names and names listed), both directions
        self.lasa: dict[str, set[str]] = {}
        for d in lexicon.drugs:
            for other in d.look_alikes:
                ks = {key(other)} | {e.target for e in self.index.get(key(other), ())
                                     if e.kind == "drug"}
                for k in ks:
                    self.lasa.setdefault(d.name, set()).add(k)
                    self.lasa.setdefault(k, set()).add(d.name)
        self.max_words = max((len(n.split()) for k, es in self.index.items() for e in es
                              for n in [e.name]), default=1) + 2
        self._other_path = other_path
        self._other: _Other | None = None
        self._pool: tuple[list[str], list[tuple[_Entry, ...]]] | None = None
        self._lock = threading.Lock()

    def _add(self, name: str, entry: _Entry) -> None:
        k = key(name)
        if not k:
            return
        entries = self.index.setdefault(k, [])
        if all((e.kind, e.target) != (entry.kind, entry.target) for e in entries):
            entries.append(entry)
        elif not entry.exact_only:
            # the same key as a full name is fuzzy-able even if also an abbreviation
            for i, e in enumerate(entries):
                if (e.kind, e.target) == (entry.kind, entry.target) and e.exact_only:
                    entries[i] = entry

    # -- lazily loaded parts ------------------------------------------------------------------

    def other(self) -> _Other:
        if self._other is None:
            with self._lock:
                if self._other is None:
                    self._other = _load_other(self._other_path, self.index)
        return self._other

    def pool(self) -> tuple[list[str], list[tuple[_Entry, ...]]]:
        """Keys (and what they name) that the fuzzy tier compares against."""
        if self._pool is None:
            other = self.other()
            with self._lock:
                if self._pool is None:
                    keys: list[str] = []
                    entries: list[tuple[_Entry, ...]] = []
                    for k, es in self.index.items():
                        usable = tuple(e for e in es if not e.exact_only)
                        if usable and len(k) >= MIN_FUZZY_LEN:
                            keys.append(k)
                            entries.append(usable)
                    for k, canon in other.index.items():
                        if k not in self.index and len(k) >= MIN_FUZZY_LEN:
                            keys.append(k)
                            entries.append(tuple(_Entry("other", c, c) for c in canon))
                    self._pool = (keys, entries)
        return self._pool

    # -- lookups ----------------------------------------------------------------------------

    def candidate(self, entry: _Entry, score: float) -> Candidate:
        if entry.kind == "drug":
            d = self.drugs[entry.target]
            return Candidate(d.name, score, d.drug_class, d.use, d.therapy, entry.name)
        if entry.kind == "class":
            c = self.classes[entry.target]
            return Candidate(c.name, score, c.id, None, None, entry.name)
        return Candidate(entry.target, score, "other", None, None, entry.name)

    def exact(self, k: str, with_other: bool) -> list[_Entry] | None:
        entries = self.index.get(k)
        if entries:
            drugs = [e for e in entries if e.kind == "drug"]
            return drugs or entries   # a drug name beats a class alias of the same key
        if with_other:
            canon = self.other().index.get(k)
            if canon:
                return [_Entry("other", c, c) for c in canon]
        return None

    def fuzzy(self, k: str) -> list[tuple[Candidate, _Entry]]:
        """Best candidate per concept for a compact key, best first."""
        from rapidfuzz import fuzz, process  # imported on first fuzzy lookup only

        keys, entries = self.pool()
        hits = process.extract(k, keys, scorer=fuzz.ratio, limit=40,
                               score_cutoff=CONFIRM_FLOOR - 10)
        best: dict[tuple[str, str], tuple[Candidate, _Entry]] = {}
        for _, score, i in hits:
            for e in entries[i]:
                if e.kind == "other" and len(k) < MIN_OTHER_FUZZY_LEN:
                    continue
                ident = (e.kind, e.target)
                if ident not in best or score > best[ident][0].score:
                    best[ident] = (self.candidate(e, float(score)), e)
        return sorted(best.values(), key=lambda p: (-p[0].score, p[0].drug))

    def names_beginning(self, k: str) -> list[tuple[str, str]]:
        """(name, drug) for lexicon drug names whose key starts with ``k`` (and is longer):
        one per drug, its generic name when that fits, else its shortest; shortest first."""
        best: dict[str, str] = {}

        def rank(name: str, drug: str) -> tuple[bool, int, str]:
            return (key(name) != key(drug), len(name), name)

        for name_key, entries in self.index.items():
            if name_key.startswith(k) and name_key != k:
                for e in entries:
                    if e.kind != "drug" or e.exact_only:
                        continue
                    known = best.get(e.target)
                    if known is None or rank(e.name, e.target) < rank(known, e.target):
                        best[e.target] = e.name
        return sorted(((name, drug) for drug, name in best.items()),
                      key=lambda p: (len(p[0]), p[0].lower()))

    def look_alike(self, a: Candidate, b: Candidate) -> bool:
        names_a = {a.drug, key(a.name or a.drug)}
        names_b = {b.drug, key(b.name or b.drug)}
        return any(n in self.lasa and self.lasa[n] & names_b for n in names_a)


def _load_other(path: Path | None, lexicon_index: dict[str, list[_Entry]]) -> _Other:
    """Read ``other_drugs.txt``: ``canonical<TAB>key<TAB>key...`` per line, '#' comments."""
    other = _Other()
    if path is None:
        from .knowledge import default_root
        path = default_root() / "knowledge" / "other_drugs.txt"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return other
    index = other.index
    for line in text.splitlines():
        if not line or line[0] == "#":
            continue
        canonical, *keys = line.split("\t")
        for k in keys:
            if k in lexicon_index:
                continue
            prev = index.get(k)
            index[k] = (canonical,) if prev is None else prev + (canonical,)
    return other


# --- the default lexicon ------------------------------------------------------------------------

_default: Matcher | None = None
_default_lock = threading.Lock()


def default_matcher() -> Matcher:
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                from .knowledge import load_lexicon
                _default = Matcher(load_lexicon())
    return _default


# --- matching -----------------------------------------------------------------------------------

def match_drugs(text: str, matcher: Matcher | None = None) -> list[Mention]:
    """The drugs named in one free-text line, in order; ``[]`` for "none" or no drug
    (``matcher``: a library's, ``Library.matcher``; by default the built-in lexicon's)."""
    if not text or not text.strip():
        return []
    if key(text) in _NONE_LINES or _is_none_phrase(text):
        return []
    m = matcher or default_matcher()
    out: list[Mention] = []
    for seg in _segments(text):
        out.extend(_match_segment(m, text, seg))
    return out


def _is_none_phrase(text: str) -> bool:
    words = [fold(w) for w in re.findall(r"[^\W_]+", text)]
    return bool(words) and key(" ".join(words)) in _NONE_LINES


def _match_segment(m: Matcher, text: str, seg: list[_Token]) -> list[Mention]:
    for t in seg:
        if t.noise and t.key in m.index:   # "6-MP", "6MP": a lexicon name is never noise
            t.noise = False
    if all(t.noise for t in seg):
        return []
    if key(" ".join(t.text for t in seg)) in _NONE_LINES:
        return []
    routes = [_ROUTE_WORDS[t.folded] for t in seg if t.folded in _ROUTE_WORDS]
    covered = [False] * len(seg)
    mentions: list[tuple[int, Mention]] = []
    # tier a: lexicon names, longest first, over the whole segment
    for i, j, entries in _scan(m, seg, range(len(seg)), covered, with_other=False):
        mentions.append((i, _exact_mention(m, text, seg[i:j], entries, routes)))
    for stretch in _stretches(seg, covered):
        core = _trim(seg, stretch)
        if not core:
            continue
        # a misspelt multi-word lexicon name ("H.P. Acthar Gle", "co2 lasar") is tried
        # whole before its words are looked up one by one among other drugs
        if len([x for x in core if not seg[x].noise]) > 1 or core != stretch:
            whole = None
            for part in ([stretch, core] if core != stretch else [core]):
                whole = _fuzzy_mention(m, text, [seg[x] for x in part], routes, silent_only=True)
                if whole is not None:
                    break
            if whole is not None:
                mentions.append((stretch[0], whole))
                continue
        # tier b: other real drugs, exactly
        for i, j, entries in _scan(m, seg, core, covered, with_other=True):
            mentions.append((i, _exact_mention(m, text, seg[i:j], entries, routes)))
        # tier c: fuzzy for what is still left
        for rest in _stretches(seg, covered, within=core):
            rest = _trim(seg, rest)
            if rest:
                mentions.extend(_fuzzy_run(m, text, seg, rest, routes))
    mentions.sort(key=lambda p: p[0])
    return [mention for _, mention in mentions]


def _scan(m: Matcher, seg: list[_Token], idxs: Iterable[int], covered: list[bool],
          with_other: bool) -> list[tuple[int, int, list[_Entry]]]:
    """Exact names among the uncovered words ``idxs`` (contiguous), longest first."""
    idxs = list(idxs)
    if not idxs:
        return []
    lo, hi = idxs[0], idxs[-1] + 1
    found = []
    i = lo
    while i < hi:
        hit = None
        if not covered[i]:
            for j in range(min(hi, i + m.max_words), i, -1):
                if any(covered[i:j]) or all(t.noise for t in seg[i:j]):
                    continue
                if with_other and (seg[i].noise or seg[j - 1].noise):
                    continue
                k = "".join(t.key for t in seg[i:j])
                entries = m.exact(k, with_other) if k else None
                if entries:
                    hit = (i, j, entries)
                    break
        if hit:
            found.append(hit)
            for x in range(hit[0], hit[1]):
                covered[x] = True
            i = hit[1]
        else:
            i += 1
    return found


def _stretches(seg: list[_Token], covered: list[bool],
               within: list[int] | None = None) -> list[list[int]]:
    """Maximal runs of uncovered words (inside ``within`` when given)."""
    idxs = within if within is not None else range(len(seg))
    out: list[list[int]] = []
    for x in idxs:
        if covered[x]:
            continue
        if out and out[-1][-1] == x - 1:
            out[-1].append(x)
        else:
            out.append([x])
    return out


def _trim(seg: list[_Token], run: list[int]) -> list[int]:
    lo, hi = 0, len(run)
    while lo < hi and seg[run[lo]].noise:
        lo += 1
    while hi > lo and seg[run[hi - 1]].noise:
        hi -= 1
    return run[lo:hi]


def _therapy(drug: Drug, routes: Iterable[str]) -> str | None:
    for r in routes:
        if r in drug.route_therapies:
            return drug.route_therapies[r]
    return drug.therapy


def _span(text: str, toks: list[_Token]) -> tuple[str, int, int]:
    start, end = toks[0].start, toks[-1].end
    return text[start:end], start, end


def _exact_mention(m: Matcher, text: str, toks: list[_Token], entries: list[_Entry],
                   routes: list[str]) -> Mention:
    span, start, end = _span(text, toks)
    cands = tuple(_with_route(m, m.candidate(e, 100.0), routes) for e in entries)
    if len(entries) > 1:
        return Mention(span, start, end, "confirm", None, None, None, 100.0, cands)
    return _accepted(m, span, start, end, entries[0], cands[0], 100.0, cands)


def _with_route(m: Matcher, c: Candidate, routes: list[str]) -> Candidate:
    d = m.drugs.get(c.drug)
    if d is None or not routes:
        return c
    therapy = _therapy(d, routes)
    return c if therapy == c.therapy else Candidate(c.drug, c.score, c.drug_class, c.use,
                                                    therapy, c.name)


def _accepted(m: Matcher, span: str, start: int, end: int, entry: _Entry, cand: Candidate,
              score: float, cands: tuple[Candidate, ...]) -> Mention:
    if entry.kind == "class":
        return Mention(span, start, end, "matched", None, entry.target, None, score, cands,
                       name=cand.name)
    return Mention(span, start, end, "matched", cand.drug, cand.drug_class, cand.therapy, score,
                   cands, name=cand.name, use=cand.use)


def _fuzzy_run(m: Matcher, text: str, seg: list[_Token], run: list[int],
               routes: list[str]) -> list[tuple[int, Mention]]:
    """Mentions for words no exact tier recognised: the whole stretch first (noise words
    inside it included, "thiosulphte de sodium"), then word by word."""
    toks = [seg[x] for x in run]
    whole = _fuzzy_mention(m, text, toks, routes)
    if whole is not None:
        return [(run[0], whole)]
    out: list[tuple[int, Mention]] = []
    pending: list[_Token] = []
    first = run[0]

    def flush() -> None:
        if pending:
            out.append((first, _unknown(text, pending)))
            pending.clear()

    for x in run:
        t = seg[x]
        if t.noise:
            flush()
            continue
        single = _fuzzy_mention(m, text, [t], routes) if len(run) > 1 else None
        if single is None:
            if not pending:
                first = x
            pending.append(t)
            continue
        flush()
        out.append((x, single))
    flush()
    return out


def _unknown(text: str, toks: list[_Token]) -> Mention:
    span, start, end = _span(text, toks)
    return Mention(span, start, end, "unknown", None, None, None, 0.0, ())


def _fuzzy_mention(m: Matcher, text: str, toks: list[_Token], routes: list[str],
                   silent_only: bool = False) -> Mention | None:
    """A fuzzy mention for these words: silent when safe, else confirm, else None.

    Fuzzy hits onto other drugs (the uncurated list) always ask; ``silent_only`` returns
    only a silently accepted lexicon match."""
    k = "".join(t.key for t in toks)
    if len(k) < MIN_FUZZY_LEN:
        return None
    ranked = [(_with_route(m, c, routes), e) for c, e in m.fuzzy(k)]
    # worth asking about: lexicon concepts from CONFIRM_FLOOR, other drugs from a higher one
    lexicon_floor = SHORT_CONFIRM_FLOOR if len(k) <= SHORT_KEY else CONFIRM_FLOOR
    eligible = [c for c, e in ranked
                if c.score >= (max(OTHER_CONFIRM_FLOOR, lexicon_floor) if e.kind == "other"
                               else lexicon_floor)]
    if not eligible:
        return None
    span, start, end = _span(text, toks)
    top, entry = ranked[0]
    # the runner-up is the best *different* concept: a salt or isomer of the same drug
    # ("(r)-warfarin") or a plural of the same name ("immunoglobulins") does not count
    top_key = key(top.drug)
    runner = next((c.score for c, _ in ranked[1:]
                   if top_key not in key(c.drug) and key(c.drug) not in top_key), 0.0)
    guarded = any(m.look_alike(top, c) for c, _ in ranked[1:] if c.score >= GUARD_LEVEL)
    if (len(k) >= MIN_SILENT_LEN and top.score >= FLOOR and top.score - runner >= MARGIN
            and not guarded and entry.kind != "other"):
        return _accepted(m, span, start, end, entry, top, top.score, (top,))
    if silent_only:
        return None
    first = eligible[0]
    low = max(CONFIRM_FLOOR - 10, first.score - CANDIDATE_SPREAD)
    shown = tuple(c for c, _ in ranked
                  if c in eligible or c.score >= low
                  or (m.look_alike(first, c) and c.score >= GUARD_LEVEL))[:MAX_CANDIDATES]
    return Mention(span, start, end, "confirm", None, None, None, shown[0].score, shown)
