"""Shared fixtures: the corpora folder (third-party texts, never committed) and real notices.

Tests that need the corpora skip with a clear message where ``../shared/data`` (or
``$RETRACTION_REASONS_CORPORA``) is absent; CI has it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from retraction_reasons import _resources  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"


def _corpora() -> Path:
    return _resources.corpora_dir()


@pytest.fixture(scope="session")
def corpora_dir() -> Path:
    """The corpora folder; skips the test where it is absent."""
    path = _corpora()
    if not (path / "notices.jsonl").is_file():
        pytest.skip(f"corpora not found at {path}: set {_resources.CORPORA_ENV} to the folder holding "
                    "notices.jsonl (the third-party corpora are not shipped with the project)")
    return path


@pytest.fixture(scope="session")
def seed_text(corpora_dir: Path) -> str:
    """The user's example notice (Frontiers, 2024)."""
    return (corpora_dir / "seed_notice.txt").read_text(encoding="utf-8")


def read_corpus(corpora_dir: Path, name: str) -> dict[str, dict]:
    """Rows of one corpus file by id."""
    rows = {}
    with open(corpora_dir / name, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            rows[row["id"]] = row
    return rows


@pytest.fixture(scope="session")
def notices(corpora_dir: Path) -> dict[str, dict]:
    """notices.jsonl (Retraction Watch labels) by id."""
    return read_corpus(corpora_dir, "notices.jsonl")


@pytest.fixture(scope="session")
def modern_notices(corpora_dir: Path) -> dict[str, dict]:
    """modern_notices.jsonl (labelled by reading) by id."""
    return read_corpus(corpora_dir, "modern_notices.jsonl")


@pytest.fixture(scope="session")
def unlabelled_notices(corpora_dir: Path) -> dict[str, dict]:
    """notices_unlabelled.jsonl by id."""
    return read_corpus(corpora_dir, "notices_unlabelled.jsonl")


@pytest.fixture(scope="session")
def nlp():
    """The shipped default model (loaded once)."""
    import retraction_reasons as rr

    return rr.load()


@pytest.fixture(scope="session")
def rules():
    """The rule components (no classifier) built from data/patterns: no model rebuild needed
    to test a changed rule."""
    from retraction_reasons.pipeline import build_rule_pipeline

    return build_rule_pipeline()


@pytest.fixture(scope="session")
def cue_nlp():
    """Only the reason-cue component, loaded from data/patterns."""
    import spacy

    from retraction_reasons import _resources

    nlp = spacy.blank("en")
    nlp.add_pipe("retraction_reasons_cues", config={"update_ents": False})
    nlp.get_pipe("retraction_reasons_cues").initialize(patterns_dir=_resources.patterns_dir())
    return nlp


@pytest.fixture(scope="session")
def cue_records() -> list:
    """The reason-cue records of data/patterns/reason_cues.jsonl, in file order."""
    from retraction_reasons import _resources
    from retraction_reasons.pipeline.rules import read_jsonl

    return read_jsonl(_resources.patterns_dir() / "reason_cues.jsonl")


@pytest.fixture(scope="session")
def cues_in(cue_nlp):
    """``cues_in(text)``: (group, cue id, span text) of every cue found in ``text``."""
    from retraction_reasons.pipeline.extensions import CUE_SPANS_KEY

    def find(text: str) -> list[tuple[str, str, str]]:
        doc = cue_nlp(text)  # held here: a span group does not outlive its Doc
        return [(s._.reason_group, s._.cue_id, s.text) for s in doc.spans[CUE_SPANS_KEY]]

    return find


@pytest.fixture(scope="session")
def cue_ids_in(cues_in):
    """``cue_ids_in(text)``: the set of (group, cue id) of the cues found in ``text``."""
    return lambda text: {(group, cue_id) for group, cue_id, _ in cues_in(text)}


@pytest.fixture(scope="session")
def found():
    """``found(doc, label)``: the texts of the entity spans of ``label`` in ``doc``, in order."""
    from retraction_reasons.pipeline import ENTITY_SPANS_KEY

    return lambda doc, label: [s.text for s in doc.spans[ENTITY_SPANS_KEY] if s.label_ == label]
