"""Bad input gets a clear error that says what to do; non-English notices are flagged."""

from __future__ import annotations

import pytest

import retraction_reasons as rr
from retraction_reasons.validation import MAX_NOTICE_CHARS


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_text(text):
    with pytest.raises(rr.EmptyNoticeError) as caught:
        rr.classify(text)
    assert "[RR101]" in str(caught.value) and "give the text" in str(caught.value)


@pytest.mark.parametrize("data", [b"\x00\x01\x02PK\x03\x04" * 50, b"\xff\xfe\xfa invalid utf8 \xc3\x28"])
def test_bytes_that_are_not_text(data):
    with pytest.raises(rr.NotTextError) as caught:
        rr.classify(data)
    assert "UTF-8" in str(caught.value)


def test_control_characters_look_binary():
    with pytest.raises(rr.NotTextError):
        rr.classify("".join(chr(i % 31 + 1) for i in range(4000)))


def test_utf8_bytes_are_decoded(seed_text):
    assert rr.classify(seed_text.encode("utf-8")).reason_ids == rr.classify(seed_text).reason_ids


def test_text_over_one_megabyte():
    with pytest.raises(rr.NoticeTooLongError) as caught:
        rr.classify("The article is retracted. " * (MAX_NOTICE_CHARS // 20))
    assert "annotate" in str(caught.value)


def test_unpaired_surrogate_is_not_text():
    with pytest.raises(rr.NotTextError, match="surrogate"):
        rr.classify("The article is retracted \ud800 because of errors.")


def test_wrong_type():
    with pytest.raises(rr.NotTextError):
        rr.classify(12345)  # type: ignore[arg-type]


def test_french_notice_is_flagged_not_given_reasons(unlabelled_notices):
    french = unlabelled_notices["pmc4561163"]["text"]
    assert "Rétraction" in french
    result = rr.classify(french)
    assert "non_english" in result.flags
    assert result.language == "non-en"
    assert result.reasons == ()
    assert result.notice_type == "retraction"  # the rules know the word


def test_german_notice_is_flagged():
    text = ("Die Schriftleitung zieht den Artikel auf Grundlage einer Untersuchung der Universität zurück, "
            "da die Daten nicht verifiziert werden konnten und die Autoren nicht geantwortet haben.")
    result = rr.classify(text)
    assert "non_english" in result.flags and result.reasons == ()


def test_missing_model_folder(tmp_path):
    with pytest.raises(rr.ModelNotFoundError) as caught:
        rr.load(tmp_path / "nowhere")
    assert "retraction-reasons train" in str(caught.value)
