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
import subprocess
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


def _interleaved_rates(systems: dict, texts: list[str], rounds: int) -> dict[str, float]:
    """Notices/s of each system, best of ``rounds``; the systems take turns within each round so
    that a noisy neighbour slows them all alike."""
    best = {name: float("inf") for name in systems}
    for _ in range(rounds):
        for name, run in systems.items():
            start = time.perf_counter()
            run(texts)
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: len(texts) / seconds for name, seconds in best.items()}


def _component_times(nlp, texts: list[str]) -> dict[str, float]:
    """Milliseconds a notice spent in the tokenizer and in each pipeline component."""
    times = {}
    start = time.perf_counter()
    docs = [nlp.make_doc(text) for text in texts]
    times["tokenizer"] = (time.perf_counter() - start) * 1000 / len(texts)
    for name, component in nlp.pipeline:
        start = time.perf_counter()
        docs = list(component.pipe(docs)) if hasattr(component, "pipe") else [component(doc) for doc in docs]
        times[name] = (time.perf_counter() - start) * 1000 / len(texts)
    return times


def _folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


_COLD_LOAD = """
import sys, time
sys.path.insert(0, sys.argv[1])
import retraction_reasons as rr
import joblib, sklearn.feature_extraction.text, sklearn.linear_model, spacy.lang.en  # imports are not load
start = time.perf_counter()
nlp = rr.load(sys.argv[2])
loaded = time.perf_counter()
rr.classify("The authors retract this article because the data are unreliable.", model=nlp)
print(loaded - start, time.perf_counter() - loaded)
"""


def _cold_load(model_dir: Path) -> tuple[float, float]:
    """Seconds to load the model in a new interpreter, and to classify its first notice."""
    run = subprocess.run([sys.executable, "-c", _COLD_LOAD, str(HERE.parent / "src"), str(model_dir)],
                         capture_output=True, text=True, check=True)
    load, first = run.stdout.split()
    return float(load), float(first)


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

    # Cold: a fresh interpreter each time (imports done before the clock starts), as a user's
    # process sees it. Loading again in one process is faster (``re`` caches compiled patterns).
    cold = [_cold_load(Path(model_dir)) for _ in range(3)]
    loads = []
    for _ in range(3):
        _load_cached.cache_clear()
        start = time.perf_counter()
        nlp = rr.load(model_dir)
        loads.append(time.perf_counter() - start)

    blank = spacy.blank("en")
    start = time.perf_counter()
    rr.classify_many(texts[:1], model=nlp)
    first_call = time.perf_counter() - start  # builds the entity rules' RE2 prefilter (lazy)
    _load_cached.cache_clear()
    unfiltered = rr.load(model_dir)  # a separate copy whose entity rules skip the RE2 prefilter
    unfiltered.get_pipe("retraction_reasons_entities")._rules._prefilter = None
    no_classifier = ["retraction_reasons_classifier"]
    systems = {
        'spacy.blank("en") tokenizer only (yardstick)': lambda t: list(blank.pipe(t)),
        "rule pipeline (no classifier)": lambda t: list(nlp.pipe(t, disable=no_classifier)),
        "rule pipeline, RE2 prefilter off (for the ratio)": lambda t: list(unfiltered.pipe(t, disable=no_classifier)),
        "classify_many (full default model)": lambda t: rr.classify_many(t, model=nlp),
    }
    rates = _interleaved_rates(systems, texts, args.rounds)
    components = _component_times(nlp, texts)
    yardstick = next(iter(rates.values()))
    print(f"texts: {len(texts)} ({len(texts) // args.repeat} real notices x {args.repeat}); "
          f"mean length {sum(map(len, texts)) / len(texts):.0f} characters; one core")
    print(f"import spacy + retraction_reasons: {import_seconds:.2f} s (once per process)")
    print(f"model load in a fresh process (verify manifest + spacy.load), best of 3: {min(c[0] for c in cold):.3f} s; "
          f"its first notice: {min(c[1] for c in cold):.3f} s")
    print(f"model load again in the same process, best of 3: {min(loads):.3f} s")
    print(f"first classify_many call after that load (builds the RE2 prefilter): {first_call:.3f} s")
    print(f"model folder size: {_folder_size(Path(model_dir)) / 1e6:.2f} MB")
    print()
    print("| what | notices/s | x tokenizer-only time |")
    print("|---|---|---|")
    for name, rate in rates.items():
        print(f"| {name} | {rate:,.0f} | {yardstick / rate:.1f} |")
    print("\nper component, ms a notice (one pass, same texts): " + ", ".join(
        f"{name.replace('retraction_reasons_', '')} {ms:.3f}" for name, ms in components.items()))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (RSS): {peak:.0f} MB")


if __name__ == "__main__":
    main()
