"""Choose the notices of the entity gold set and split them once into dev and test.

Run once (seeded, so it is reproducible):
    python training/select_gold_notices.py --corpora ../shared/data --out data/gold/split.json

The notices come from all three text corpora and are spread over publishers and years
(round-robin over publishers). The split is by (source file, publisher) group, so that no
publisher's template is on both sides: `dev` is for writing rules, `test` is never read while
writing rules. Only ids are written; the texts stay in the corpora folder.

Later sides are added without touching dev and test, from groups with no test notice:
    python training/select_gold_notices.py --corpora ../shared/data --extend dev2 --n 60
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from collections import defaultdict
from pathlib import Path

SOURCES = {"notices_unlabelled.jsonl": 70, "notices.jsonl": 45, "modern_notices.jsonl": 45}
TEST_SHARE = 0.45
SEED = 20261125


def _publisher_key(publisher: str | None) -> str:
    text = (publisher or "unknown").lower()
    for short in ("medknow", "biomed central", "bmc", "springer", "hindawi", "frontiers", "mdpi",
                  "spandidos", "wiley", "plos", "public library of science", "dove", "portland"):
        if short in text:
            return "bmc" if short == "biomed central" else ("plos" if short.startswith("public") else short)
    return text


def select(corpora: Path) -> dict[str, list[dict[str, str]]]:
    rng = random.Random(SEED)
    chosen: list[dict[str, str]] = []
    for source, n in SOURCES.items():
        by_publisher: dict[str, list[dict[str, str]]] = defaultdict(list)
        for line in open(corpora / source, encoding="utf-8"):
            row = json.loads(line)
            key = _publisher_key(row.get("publisher"))
            by_publisher[key].append({"id": row["id"], "source": source, "group": f"{source}:{key}"})
        chosen.extend(_round_robin(by_publisher, n, rng))
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for item in chosen:
        groups[item["group"]].append(item)
    # Deterministic order of groups by a hash, then fill test up to its share.
    names = sorted(groups, key=lambda g: hashlib.sha256(f"{SEED}{g}".encode()).hexdigest())
    split: dict[str, list[dict[str, str]]] = {"dev": [], "test": []}
    target = TEST_SHARE * len(chosen)
    for name in names:
        side = "test" if len(split["test"]) + len(groups[name]) <= target + 3 else "dev"
        split[side].extend(groups[name])
    return split


def extend(split: dict[str, list[dict[str, str]]], corpora: Path, side: str, n: int) -> list[dict[str, str]]:
    """Add ``n`` more notices under ``side`` (e.g. ``dev2``): not yet in the split, and only from
    groups that have no notice in ``test`` (so the test publishers' templates stay unread),
    round-robin over those groups. Seeded by the side's name; the existing sides are unchanged."""
    if side in split:
        raise SystemExit(f"split already has a side {side!r}")
    used = {item["id"] for items in split.values() for item in items}
    test_groups = {item["group"] for item in split.get("test", [])}
    rng = random.Random(f"{SEED}:{side}")
    by_group: dict[str, list[dict[str, str]]] = defaultdict(list)
    for source in SOURCES:
        for line in open(corpora / source, encoding="utf-8"):
            row = json.loads(line)
            group = f"{source}:{_publisher_key(row.get('publisher'))}"
            if row["id"] not in used and group not in test_groups:
                by_group[group].append({"id": row["id"], "source": source, "group": group})
    chosen = _round_robin(by_group, n, rng)
    split[side] = chosen
    return chosen


def _round_robin(buckets: dict[str, list[dict[str, str]]], n: int, rng: random.Random) -> list[dict[str, str]]:
    """Up to ``n`` items, one bucket at a time (largest buckets first), each bucket shuffled by
    ``rng``: spread over publishers rather than drawn from the biggest."""
    for bucket in buckets.values():
        rng.shuffle(bucket)
    order = sorted(buckets, key=lambda key: (-len(buckets[key]), key))
    chosen: list[dict[str, str]] = []
    while len(chosen) < n and any(buckets.values()):
        for key in order:
            if buckets[key] and len(chosen) < n:
                chosen.append(buckets[key].pop())
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("data/gold/split.json"))
    parser.add_argument("--extend", metavar="SIDE", help="add a new side (e.g. dev2) to an existing split")
    parser.add_argument("--n", type=int, default=60, help="notices to add with --extend")
    args = parser.parse_args()
    if args.extend:
        split = json.loads(args.out.read_text(encoding="utf-8"))
        extend(split, args.corpora, args.extend, args.n)
    else:
        split = select(args.corpora)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(split, indent=1) + "\n", encoding="utf-8")
    for side, items in split.items():
        print(side, len(items), "notices,", len({i["group"] for i in items}), "groups")


if __name__ == "__main__":
    main()
