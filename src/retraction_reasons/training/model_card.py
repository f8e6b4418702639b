"""The model card (``MODEL_CARD.md``), written from the metrics of a training run."""

from __future__ import annotations

from typing import Any

from .evaluate import MIN_SUPPORT_FOR_MACRO

__all__ = ["render_model_card", "systems_table", "per_label_table"]

_SYSTEM_NAMES = {
    "model": "**retraction-reasons** (rules + classifier)",
    "cue_rules": "reason cues alone (rules)",
    "tfidf_logreg": "TF-IDF + logistic regression",
    "keywords": "keyword baseline",
}
_SOURCE_NOTES = {
    "notices.jsonl": "Retraction Watch curator labels (use more than the text)",
    "modern_notices.jsonl": "labelled by reading the text",
}


def systems_table(systems: dict[str, Any], source: str | None = None) -> str:
    """Markdown table: one row a system, micro P/R/F1 and macro F1."""
    macro_key = f"macro_f1_support_ge_{MIN_SUPPORT_FOR_MACRO}"
    lines = [f"| system | micro P | micro R | micro F1 | macro F1 (labels >= {MIN_SUPPORT_FOR_MACRO}) | macro F1 (all labels) |",
             "|---|---|---|---|---|---|"]
    for name, report in systems.items():
        r = report["all"] if source is None else report["by_source"].get(source)
        if r is None:
            continue
        lines.append(f"| {_SYSTEM_NAMES.get(name, name)} | {r['micro']['precision']:.3f} | {r['micro']['recall']:.3f} | "
                     f"{r['micro']['f1']:.3f} | {r[macro_key]:.3f} | {r['macro_f1']:.3f} |")
    return "\n".join(lines)


def per_label_table(report: dict[str, Any], sources: dict[str, dict[str, Any]] | None = None) -> str:
    """Markdown table of per-label precision, recall, F1 and support (optionally F1 per source)."""
    sources = sources or {}
    head = "| label | precision | recall | F1 | support |" + "".join(f" F1 {s} (n) |" for s in sources)
    lines = [head, "|---|---|---|---|---|" + "---|" * len(sources)]
    for label, v in sorted(report["per_label"].items(), key=lambda kv: -kv[1]["support"]):
        cells = "".join(f" {sources[s]['per_label'][label]['f1']:.2f} ({sources[s]['per_label'][label]['support']}) |"
                        for s in sources)
        lines.append(f"| {label} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | {v['support']} |{cells}")
    return "\n".join(lines)


def render_model_card(metrics: dict[str, Any]) -> str:
    """The model card as Markdown."""
    model = metrics["model"]
    data = metrics["training_data"]
    cv = metrics["cross_validation"]
    systems = cv["systems"]
    out = [f"# Model card: {model['name']} {model['version']}", "",
           f"Created {model['created']} by `retraction-reasons train`. A spaCy pipeline of rule components "
           "(sentences, language check, entities, reason cues, notice type) and a scikit-learn reason "
           "classifier (one logistic regression a label over TF-IDF word n-grams and the rule features; "
           "per-label thresholds chosen by grouped cross-validation).", "",
           "## Intended use",
           "Reading retraction notices (and expressions of concern, corrections, withdrawals) in English: "
           "which reason groups the text states, with the sentence that supports each, and the notice's "
           "entities. It reads the text only: reasons a notice does not state cannot be found. Scores are "
           "model probabilities, calibrated only as far as logistic regression on a few hundred notices is.", "",
           "## Training data", "",
           "| file | rows | sha256 | labels column |", "|---|---|---|---|"]
    for f in data["files"]:
        out.append(f"| {f['file']} | {f['rows']} | `{f['sha256'][:16]}…` | {f['labels_column']} |")
    out += ["", f"{data['n_notices']} notices used (skipped: {data['skipped']}). Label counts: "
            + ", ".join(f"{k} {v}" for k, v in data["label_counts"].items()) + ".", ""]
    if systems:
        out += ["## Cross-validated accuracy", "",
                f"{cv['scheme']}; {cv['n_groups']} groups. Every system is scored on the same folds in the same "
                "run; a notice's prediction always comes from a model that did not see its group.", "",
                "### All notices", "", systems_table(systems), ""]
        for source in systems["model"]["by_source"]:
            note = _SOURCE_NOTES.get(source, "")
            out += [f"### {source}" + (f" ({note})" if note else ""), "", systems_table(systems, source), ""]
        out += ["### Per label (retraction-reasons)", "",
                per_label_table(systems["model"]["all"], systems["model"]["by_source"]), ""]
    out += ["## Thresholds", "", ", ".join(f"{k} {v:.2f}" for k, v in metrics["thresholds"].items()), "",
            "## Limits",
            "- Small training set: labels with fewer than ten examples (see support) are unreliable; "
            "their threshold stays at 0.5.",
            "- Retraction Watch labels describe the case, not only the notice text: a careful reader of the "
            "text alone agrees with them at about micro-F1 0.70, so scores on those notices mix label noise "
            "with model error.",
            "- The reason cues were written by reading notices of the same corpora (held-out gold-set notices "
            "excepted), so the cross-validated figures of the rules are optimistic for unseen publishers' wording.",
            "- English only: other languages are flagged `non_english` and get no reasons.",
            "- If no reason passes its threshold the answer is `no_reason_stated` (flagged `fallback`).", "",
            "## Environment", "", ", ".join(f"{k} {v}" for k, v in metrics["environment"].items()), ""]
    return "\n".join(out)
