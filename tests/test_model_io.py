"""Model folders: save/load round trip, the sha256 manifest, damaged folders."""

from __future__ import annotations

import shutil

import pytest

import retraction_reasons as rr
from retraction_reasons import _resources
from retraction_reasons.model_io import save_model, verify_manifest


@pytest.fixture()
def model_copy(tmp_path):
    target = tmp_path / "model"
    shutil.copytree(_resources.default_model_dir(), target)
    return target


def test_shipped_model_is_small_and_verified():
    folder = _resources.default_model_dir()
    verify_manifest(folder)
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert size < 20 * 1024 * 1024
    assert (folder / "MODEL_CARD.md").is_file() and (folder / "metrics.json").is_file()


def test_round_trip(tmp_path, seed_text, modern_notices):
    nlp = rr.load()
    out = save_model(nlp, tmp_path / "copy")
    again = rr.load(out)
    assert again is not nlp
    texts = [seed_text] + [row["text"] for row in list(modern_notices.values())[:10]]
    for a, b in zip(nlp.pipe(texts), again.pipe(texts)):
        assert a.cats == b.cats
        assert [(s.start_char, s.end_char, s.label_) for s in a.ents] == [(s.start_char, s.end_char, s.label_) for s in b.ents]
        assert [r.id for r in a._.reasons] == [r.id for r in b._.reasons]


def test_tampered_estimator_is_refused(model_copy):
    estimator = model_copy / "retraction_reasons_classifier" / "estimator.joblib"
    estimator.write_bytes(estimator.read_bytes() + b"\x00")
    with pytest.raises(rr.ModelIntegrityError) as caught:
        rr.load(model_copy)
    assert "estimator.joblib" in str(caught.value) and "[RR202]" in str(caught.value)


def test_missing_manifest_is_refused(model_copy):
    (model_copy / "MANIFEST.sha256").unlink()
    with pytest.raises(rr.ModelIntegrityError):
        rr.load(model_copy)


def test_unlisted_pickle_is_refused(model_copy):
    (model_copy / "extra.joblib").write_bytes(b"not listed")
    with pytest.raises(rr.ModelIntegrityError) as caught:
        rr.load(model_copy)
    assert "extra.joblib" in str(caught.value)


def test_spacy_load_directly_still_checks_the_estimator(model_copy):
    import spacy

    estimator = model_copy / "retraction_reasons_classifier" / "estimator.joblib"
    estimator.write_bytes(estimator.read_bytes()[:-10])
    with pytest.raises(rr.ModelIntegrityError):
        spacy.load(model_copy)


def test_not_a_model_folder(tmp_path):
    (tmp_path / "config.cfg").write_text("[nlp]\nlang = \"en\"\n")
    with pytest.raises(rr.ModelError):
        rr.load(tmp_path)
