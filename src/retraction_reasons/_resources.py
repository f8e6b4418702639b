"""Where the files that ship with the package live.

In a wheel the default model and the taxonomy are copied inside the package
(``retraction_reasons/_model``, ``retraction_reasons/_data``); in a source checkout they stay at
the top of the repository (``model/``, ``data/``). Both layouts are looked up here, and only here.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent  # src/retraction_reasons -> repository root

#: Environment variable that points at the third-party corpora (training, evaluation, tests).
CORPORA_ENV = "RETRACTION_REASONS_CORPORA"


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.exists():
            return candidate
    return candidates[-1]


def default_model_dir() -> Path:
    """The folder of the shipped default model."""
    return _first_existing(_PACKAGE / "_model", _CHECKOUT / "model")


def data_dir() -> Path:
    """The folder with the taxonomy, the patterns and the example notices."""
    return _first_existing(_PACKAGE / "_data", _CHECKOUT / "data")


def taxonomy_path() -> Path:
    """The reason-group taxonomy (``taxonomy.tsv``)."""
    return data_dir() / "taxonomy.tsv"


def patterns_dir() -> Path:
    """The folder of the rule files (``entities.jsonl``, ``reason_cues.jsonl``, gazetteers)."""
    return data_dir() / "patterns"


def corpora_dir() -> Path:
    """The third-party corpora: ``$RETRACTION_REASONS_CORPORA`` or ``../shared/data``.

    The corpora are never shipped; this folder may not exist.
    """
    env = os.environ.get(CORPORA_ENV)
    if env:
        return Path(env)
    return _CHECKOUT.parent / "shared" / "data"
