"""Checks on a notice before it is classified: text, not empty, not too long.

Kept apart from the pipeline so that the Python API, the command line, the bulk annotator and
the HTTP service all refuse the same inputs with the same messages.
"""

from __future__ import annotations

import re

from .errors import EmptyNoticeError, NoticeTooLongError, NotTextError

__all__ = ["MAX_NOTICE_CHARS", "check_notice", "decode_notice"]

#: The longest text accepted as one notice (characters). Real notices are a few thousand.
MAX_NOTICE_CHARS = 1_000_000

# Control characters other than \n \r \t \f \v: many of them mean binary data.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")


def decode_notice(data: bytes, where: str = "the notice") -> str:
    """Decode bytes as UTF-8 (with or without BOM), refusing binary data."""
    if b"\x00" in data[:65536]:
        raise NotTextError(where, "it contains NUL bytes, so it is binary")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise NotTextError(where, f"it is not valid UTF-8 at byte {err.start}") from err


def check_notice(text: object, where: str = "the notice", max_chars: int = MAX_NOTICE_CHARS) -> str:
    """Return ``text`` as a string if it can be classified; raise a :class:`NoticeError` if not.

    Bytes are decoded as UTF-8. Refused: non-text objects, binary data, empty or white-space
    text, texts over ``max_chars`` characters.
    """
    if isinstance(text, (bytes, bytearray, memoryview)):
        text = decode_notice(bytes(text), where)
    if not isinstance(text, str):
        raise NotTextError(where, f"got {type(text).__name__}")
    if len(text) > max_chars:
        raise NoticeTooLongError(len(text), max_chars, where)
    if not text.strip():
        raise EmptyNoticeError(where)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:  # lone surrogates, e.g. from a JSON "\ud800" escape
        raise NotTextError(where, f"it has an unpaired surrogate at character {err.start}") from err
    sample = text[:20000]
    control = len(_CONTROL.findall(sample))
    if "\x00" in sample or control > max(8, len(sample) // 50):
        raise NotTextError(where, "it is mostly control characters, so it looks binary")
    return text
