"""Speed of the rule engine alone: the entity and reason-cue patterns matched over the real
notices by plain ``re``, by the literal filter (Aho-Corasick), and by the literal filter plus
the RE2 prefilter. For rule writers: run it before and after changing ``data/patterns/``.

    python benchmarks/rules.py [--corpora ../shared/data] [--patterns data/patterns] [--rounds 5]

The three ways take turns within each round (best of ``--rounds``), so a noisy neighbour slows
them alike: compare the ratios printed in one run. It also checks that all three give the same
matches.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=None)
    parser.add_argument("--patterns", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from retraction_reasons import _resources
    from retraction_reasons.pipeline.rules import RuleSet, compile_patterns, read_jsonl

    corpora = args.corpora or _resources.corpora_dir()
    patterns_dir = args.patterns or _resources.patterns_dir()
    texts = []
    for name in ("notices.jsonl", "modern_notices.jsonl", "notices_unlabelled.jsonl"):
        with open(corpora / name, encoding="utf-8") as handle:
            texts.extend(json.loads(line)["text"] for line in handle)

    print(f"{len(texts)} real notices, mean {sum(map(len, texts)) / len(texts):.0f} characters; "
          f"patterns from {patterns_dir}")
    print("| patterns | count | plain re (ms a notice) | literal filter | literal + RE2 filter | "
          "speed-up of both filters |")
    print("|---|---|---|---|---|---|")
    for file_name in ("entities.jsonl", "reason_cues.jsonl"):
        patterns = compile_patterns(read_jsonl(patterns_dir / file_name), default_label="REASON_CUE")
        literal, both = RuleSet(patterns, prefilter=False), RuleSet(patterns, prefilter=True)
        ways = {
            "plain": lambda text: [m for p in patterns for m in p.finditer(text)],
            "literal": literal.matches,
            "both": both.matches,
        }
        for text in texts:  # warm-up: RE2 builds its automata lazily
            both.matches(text)
        best = {name: float("inf") for name in ways}
        for _ in range(args.rounds):
            for name, run in ways.items():
                start = time.perf_counter()
                for text in texts:
                    run(text)
                best[name] = min(best[name], time.perf_counter() - start)
        same = all(sorted((m.start, m.end, m.pattern.id) for m in ways["plain"](text))
                   == sorted((m.start, m.end, m.pattern.id) for m in both.matches(text)) for text in texts)
        ms = {name: seconds * 1000 / len(texts) for name, seconds in best.items()}
        print(f"| {file_name} | {len(patterns)} | {ms['plain']:.3f} | {ms['literal']:.3f} | {ms['both']:.3f} | "
              f"{ms['plain'] / ms['both']:.1f}x |" + ("" if same else " MATCHES DIFFER"))


if __name__ == "__main__":
    main()
