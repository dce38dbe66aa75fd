"""Engine benchmark: load time, replay time, and what a replay process imports.

Targets (issue 2): whole knowledge base + dialog load < 50 ms; one full consult replayed
through the engine (after load) < 2 ms median; ``triage replay`` never imports Textual.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.engine.library import load  # noqa: E402
from assistant.engine.replay import replay_data  # noqa: E402


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    load(ROOT)  # warm the imports; each timed load below reads and validates every file again
    load_ms = median_ms(lambda: load(ROOT), 20)
    library = load(ROOT)
    cases = list(library.knowledge.cases.values())
    for case in cases:  # first match builds the drug index; time the steady state
        replay_data(case.answers, library=library)
    replay_ms = statistics.median(
        median_ms(lambda c=case: replay_data(c.answers, library=library), 50) for case in cases)
    probe = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "assistant", "replay",
         str(ROOT / "tests" / "replays" / "rh.yaml"), "--json"],
        capture_output=True, text=True, cwd=ROOT)
    textual = any(line.split("|")[-1].strip().startswith("textual") for line in probe.stderr.splitlines()
                  if line.startswith("import time:"))
    rows = [
        ("load knowledge + dialog (median)", f"{load_ms:.1f} ms", "< 50 ms", load_ms < 50),
        ("replay one seed consult (median)", f"{replay_ms:.2f} ms", "< 2 ms", replay_ms < 2),
        ("`triage replay` imports Textual", "yes" if textual else "no", "no", not textual),
    ]
    print(f"{'measure':40} {'result':>12} {'target':>10}")
    for name, value, target, ok in rows:
        print(f"{name:40} {value:>12} {target:>10}  {'ok' if ok else 'MISSED'}")
    return 0 if all(ok for *_, ok in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
