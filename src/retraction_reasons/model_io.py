"""Writing and loading model folders: the spaCy pipeline, its manifest and its card.

A model folder is a spaCy pipeline folder plus ``MANIFEST.sha256`` (the sha256 of every file),
``metrics.json`` (cross-validated figures) and ``MODEL_CARD.md``. :func:`load_model` verifies
every file against the manifest before spaCy reads anything: the classifier is a joblib file,
and joblib files run code when loaded.
"""

from __future__ import annotations

import json
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from . import _resources
from .errors import ModelError, ModelIntegrityError, ModelNotFoundError
from .pipeline import classifier_component  # noqa: F401  (registers the factories)
from .pipeline.classifier_component import MANIFEST_NAME, read_manifest, sha256_of

__all__ = ["load_model", "save_model", "write_manifest", "verify_manifest", "model_info", "model_stamp", "CLASSIFIER_PIPE"]

CLASSIFIER_PIPE = "retraction_reasons_classifier"
_NOT_IN_MANIFEST = {MANIFEST_NAME}


def write_manifest(model_dir: str | Path) -> Path:
    """Write ``MANIFEST.sha256`` listing every file of the folder (sorted, relative paths)."""
    model_dir = Path(model_dir)
    lines = []
    for path in sorted(p for p in model_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(model_dir).as_posix()
        if relative in _NOT_IN_MANIFEST or "__pycache__" in relative:
            continue
        lines.append(f"{sha256_of(path)}  {relative}")
    manifest = model_dir / MANIFEST_NAME
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


def verify_manifest(model_dir: str | Path) -> None:
    """Raise :class:`ModelIntegrityError` unless every file listed matches its sha256 and
    no pickle or joblib file is left out of the manifest."""
    model_dir = Path(model_dir)
    entries = read_manifest(model_dir)
    for relative, digest in entries.items():
        path = model_dir / relative
        if not path.is_file():
            raise ModelIntegrityError(model_dir, f"{relative} is listed in {MANIFEST_NAME} but missing")
        if sha256_of(path) != digest:
            raise ModelIntegrityError(model_dir, f"sha256 of {relative} does not match {MANIFEST_NAME}")
    for path in model_dir.rglob("*"):
        if path.suffix in (".joblib", ".pkl", ".pickle") and path.relative_to(model_dir).as_posix() not in entries:
            raise ModelIntegrityError(model_dir, f"{path.relative_to(model_dir)} is not in {MANIFEST_NAME}")


def save_model(nlp: Language, out_dir: str | Path, *, metrics: dict[str, Any] | None = None,
               card: str | None = None) -> Path:
    """Write the pipeline, ``metrics.json``, ``MODEL_CARD.md`` and the manifest to ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in (out_dir / MANIFEST_NAME,):
        stale.unlink(missing_ok=True)
    nlp.to_disk(out_dir)
    if metrics is not None:
        (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if card is not None:
        (out_dir / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    write_manifest(out_dir)
    return out_dir


def load_model(path: str | Path | None = None) -> Language:
    """Load a model folder (default: the shipped model), verified against its manifest.

    Cached: loading the same folder again returns the same ``Language``.
    """
    model_dir = Path(path) if path is not None else _resources.default_model_dir()
    return _load_cached(str(model_dir.resolve()))


@lru_cache(maxsize=8)
def _load_cached(model_dir: str) -> Language:
    path = Path(model_dir)
    if not path.is_dir() or not (path / "config.cfg").is_file():
        raise ModelNotFoundError(path)
    verify_manifest(path)
    try:
        nlp = spacy.load(path)
    except ModelError:
        raise
    except Exception as err:  # corrupt config or component files
        raise ModelError(f"the model at {path} could not be loaded ({type(err).__name__}: {err}). "
                         "Retrain it with `retraction-reasons train` or restore the folder.") from err
    if CLASSIFIER_PIPE not in nlp.pipe_names:
        raise ModelError(f"the pipeline at {path} has no {CLASSIFIER_PIPE} component: it is not a retraction-reasons model.")
    return nlp


def model_stamp(nlp: Language) -> dict[str, str]:
    """The model's name and version, as every result carries them."""
    return {"name": str(nlp.meta.get("name", "unknown")), "version": str(nlp.meta.get("version", "0.0.0"))}


def model_info(nlp: Language) -> dict[str, Any]:
    """Name, version, labels, thresholds and cross-validated metrics of a loaded model."""
    component = nlp.get_pipe(CLASSIFIER_PIPE)
    return {
        "name": nlp.meta.get("name", "unknown"),
        "version": nlp.meta.get("version", "0.0.0"),
        "labels": component.labels,
        "label_names": component.label_names,
        "thresholds": component.thresholds,
        "metrics": component.info.get("metrics", {}),
        "trained_on": component.info.get("trained_on", []),
        "created": component.info.get("created"),
    }
