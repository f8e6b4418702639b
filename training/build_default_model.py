"""Rebuild the shipped default model (model/) from the corpora, reproducibly.

    python training/build_default_model.py [--corpora ../shared/data] [--out model]

Reads training/default_model.toml, trains with grouped cross-validation against the baselines
(the figures go to model/metrics.json and model/MODEL_CARD.md) and writes the model folder with
its sha256 manifest. Takes about a minute on two cores. Seeded: the same corpora and config
give the same thresholds and the same probabilities (the joblib file's bytes may still differ).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))  # run from a checkout without installing

from retraction_reasons import _resources  # noqa: E402
from retraction_reasons.training import read_labelled, train_model  # noqa: E402


def build(corpora: Path, out: Path, config_path: Path = HERE / "default_model.toml") -> dict:
    config = tomllib.loads(config_path.read_text(encoding="utf-8"))
    data = config["data"]
    files = [corpora / name for name in data["files"]]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise SystemExit(f"corpora not found: {', '.join(missing)} (pass --corpora or set {_resources.CORPORA_ENV})")
    corpus = read_labelled(files, text_column=data["text_column"], labels_column=data["labels_column"],
                           id_column=data["id_column"])
    keys = []
    for source, extra in zip(corpus.sources, corpus.extra):
        row_keys = [str(extra.get(c)).lower() for c in ("retraction_doi", "original_doi") if extra.get(c)]
        row_keys += [str(d).lower() for d in (extra.get("dois") or [])]
        if source in data.get("group_by_publisher", []) and extra.get("publisher"):
            row_keys.append(f"publisher={source}:{extra['publisher']}")
        keys.append(row_keys)
    if out.exists():
        shutil.rmtree(out)
    cv, clf = config["cross_validation"], config["classifier"]
    metrics = train_model(corpus, out, group_keys=keys, n_splits=cv["n_splits"],
                       similarity_threshold=cv["similarity_threshold"], seed=clf["seed"], C=clf["C"],
                       rule_weight=clf["rule_weight"], own_cue_weight=clf["own_cue_weight"], model_name=config["model"]["name"],
                       model_version=config["model"]["version"], created=config["model"]["created"],
                       label_set="taxonomy")
    _add_entity_scores(out, corpora)
    return metrics


def _add_entity_scores(model_dir: Path, corpora: Path) -> None:
    """Score the new model's entities on the gold test split and add the table to its card."""
    from retraction_reasons.cli.evaluate_entities import format_table
    from retraction_reasons.gold import load_gold
    from retraction_reasons.model_io import load_model, write_manifest
    from retraction_reasons.training.entity_evaluation import evaluate_entities

    gold_path = HERE.parent / "data" / "gold" / "test.jsonl"
    report = evaluate_entities(load_model(model_dir), load_gold(gold_path, corpora))
    card = model_dir / "MODEL_CARD.md"
    section = ("\n## Entities (gold test split)\n\n"
               f"{report.get('n_notices', 75)} hand-annotated notices never read while writing the rules "
               "(`data/gold/`), scored by `retraction-reasons evaluate-entities --gold data/gold/test.jsonl`. "
               "Exact: same start and end; overlap: the spans share a token (each paired once).\n\n"
               + format_table(report, markdown=True) + "\n")
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("\n## Thresholds", section + "\n## Thresholds", 1), encoding="utf-8")
    write_manifest(model_dir)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=_resources.corpora_dir())
    parser.add_argument("--out", type=Path, default=HERE.parent / "model")
    args = parser.parse_args()
    metrics = build(args.corpora, args.out)
    headline = metrics["cross_validation"]["systems"].get("model", {}).get("all", {})
    print(json.dumps({"micro": headline.get("micro"), "macro_f1_support_ge_10": headline.get("macro_f1_support_ge_10")}))


if __name__ == "__main__":
    main()
