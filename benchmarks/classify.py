"""Speed of the default model: model load, folder size, and notices/s of ``classify_many``
on the real notices, on one core, with ``spacy.blank("en")``'s tokenizer as the yardstick.

    python benchmarks/classify.py [--corpora ../shared/data] [--repeat 8]

Machines are shared and noisy: compare the ratios printed in one run, not absolute figures
across runs. Each throughput is the best of ``--rounds`` passes over the same texts.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core

import argparse
import json
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))


def _texts(corpora: Path, repeat: int) -> list[str]:
    texts = []
    for name in ("notices.jsonl", "modern_notices.jsonl", "notices_unlabelled.jsonl"):
        with open(corpora / name, encoding="utf-8") as handle:
            texts.extend(json.loads(line)["text"] for line in handle)
    return texts * repeat


def _rate(fn, texts: list[str], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn(texts)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def _folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=8, help="passes over the 556 real notices per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args()

    started = time.perf_counter()
    import spacy
    import retraction_reasons as rr
    from retraction_reasons import _resources
    from retraction_reasons.model_io import _load_cached

    import_seconds = time.perf_counter() - started
    corpora = args.corpora or _resources.corpora_dir()
    texts = _texts(corpora, args.repeat)
    model_dir = args.model or _resources.default_model_dir()

    loads = []
    for _ in range(3):
        _load_cached.cache_clear()
        start = time.perf_counter()
        nlp = rr.load(model_dir)
        loads.append(time.perf_counter() - start)

    blank = spacy.blank("en")
    rules = rr.load(model_dir)
    rates = {
        'spacy.blank("en") tokenizer only (yardstick)': _rate(lambda t: list(blank.pipe(t)), texts, args.rounds),
        "rule pipeline (no classifier)": _rate(
            lambda t: list(rules.pipe(t, disable=["retraction_reasons_classifier"])), texts, args.rounds),
        "classify_many (full default model)": _rate(lambda t: rr.classify_many(t, model=nlp), texts, args.rounds),
    }
    yardstick = next(iter(rates.values()))
    print(f"texts: {len(texts)} ({len(texts) // args.repeat} real notices x {args.repeat}); "
          f"mean length {sum(map(len, texts)) / len(texts):.0f} characters; one core")
    print(f"import spacy + retraction_reasons: {import_seconds:.2f} s (once per process)")
    print(f"model load (verify manifest + spacy.load), best of 3: {min(loads):.3f} s")
    print(f"model folder size: {_folder_size(Path(model_dir)) / 1e6:.2f} MB")
    print()
    print("| what | notices/s | x tokenizer-only time |")
    print("|---|---|---|")
    for name, rate in rates.items():
        print(f"| {name} | {rate:,.0f} | {yardstick / rate:.1f} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (RSS): {peak:.0f} MB")


if __name__ == "__main__":
    main()
