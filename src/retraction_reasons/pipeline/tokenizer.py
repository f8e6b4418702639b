"""The tokenizer: spaCy's English tokenizer with two changes for notices.

- URLs are not kept whole, and ``doi:`` / ``doi.org/`` are split from a DOI, so a DOI is its own
  tokens and an entity span can start exactly at ``10.``.
- The input text is kept on the ``Doc`` (``text_of(doc)``): spaCy's ``doc.text`` joins every
  token again on each access, which costs more than all the rules together.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, registry

from .extensions import TEXT_KEY

__all__ = ["NoticeTokenizer", "create_notice_tokenizer"]

_DOI_INFIX = r"(?<=[A-Za-z])[:/](?=10\.\d)"


class NoticeTokenizer:
    """Wrap a spaCy :class:`~spacy.tokenizer.Tokenizer`; serialises as the wrapped one."""

    def __init__(self, inner: Tokenizer) -> None:
        self.inner = inner
        self.vocab = inner.vocab

    def __call__(self, text: str) -> Doc:
        doc = self.inner(text)
        doc.user_data[TEXT_KEY] = text
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def __getattr__(self, name: str) -> Any:  # rules, url_match, explain(), ...
        return getattr(self.inner, name)

    def to_disk(self, path, **kwargs) -> None:
        self.inner.to_disk(path, **kwargs)

    def from_disk(self, path, **kwargs) -> "NoticeTokenizer":
        self.inner.from_disk(path, **kwargs)
        return self

    def to_bytes(self, **kwargs) -> bytes:
        return self.inner.to_bytes(**kwargs)

    def from_bytes(self, data: bytes, **kwargs) -> "NoticeTokenizer":
        self.inner.from_bytes(data, **kwargs)
        return self


@registry.tokenizers("retraction_reasons.notice_tokenizer.v1")
def create_notice_tokenizer() -> Callable[[Language], NoticeTokenizer]:
    """Registered tokenizer factory (``[nlp.tokenizer] @tokenizers = ...`` in the config)."""
    default_factory = registry.tokenizers.get("spacy.Tokenizer.v1")()

    def make(nlp: Language) -> NoticeTokenizer:
        inner = default_factory(nlp)
        inner.url_match = None
        inner.infix_finditer = compile_infix_regex([*nlp.Defaults.infixes, _DOI_INFIX]).finditer
        return NoticeTokenizer(inner)

    return make
