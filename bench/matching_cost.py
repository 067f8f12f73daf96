"""python -m bench.matching_cost [SUBJECTS ...]: milliseconds to match one district message (the
breach corpus of tests/breach_corpus.py) against a directory of that many synthetic subjects,
best of 3 runs; and how long the directory takes to build."""

from __future__ import annotations

import random
import sys
import time

from lom_bot.config import Matching
from lom_bot.demo.synthetic_rows import FAMILY_ALL, GIVEN_ALL
from lom_bot.services.matching import Directory, Known, match_sighting
from tests.breach_corpus import CASES


def people(n: int, seed: int = 1) -> list[Known]:
    """n subjects named as the national-scale demo names them, a third with an alias."""
    rng = random.Random(seed)
    out = []
    for i in range(1, n + 1):
        given, family = rng.choice(GIVEN_ALL), rng.choice(FAMILY_ALL)
        alias: tuple[str, ...] = ()
        if rng.random() < 0.33:
            alias = (f"'{family[:4]}y'",) if rng.random() < 0.5 else (f"Big {given}",)
        pnc = f"{90 + i % 10:02d}/{100000 + i * 37:07d}A"
        out.append(Known(i, f"LOM-{i:04d}", pnc, given, family, "Leeds", alias))
    return out


def measure(n: int, runs: int = 3) -> tuple[float, float]:
    """(ms per message, ms to build the directory), each the best of `runs`."""
    rules, texts = Matching(), [c.text for c in CASES]
    subjects = people(n)
    per_message, build = [], []
    for _ in range(runs):
        started = time.perf_counter()
        directory = Directory(subjects)
        build.append((time.perf_counter() - started) * 1000)
        for text in texts:  # warm: the word list, the compiled patterns
            match_sighting(text, directory, rules, district="Leeds")
        reps = max(1, 20_000 // (n + 100))
        started = time.perf_counter()
        for _ in range(reps):
            for text in texts:
                match_sighting(text, directory, rules, district="Leeds")
        per_message.append((time.perf_counter() - started) * 1000 / (reps * len(texts)))
    return min(per_message), min(build)


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [40, 8000]
    for n in sizes:
        ms, build = measure(n)
        print(f"{n:6d} subjects: {ms:.3f} ms per message; directory built in {build:.0f} ms")


if __name__ == "__main__":
    main()
