"""Natasha's models, loaded once per process on first use, and the analysed document.

The web and the worker processes share this loader; nothing is downloaded: the embeddings, the NER
and morphology models ship inside the `navec`/`slovnet`/`natasha` packages.
"""

import threading
from dataclasses import dataclass
from functools import cached_property

from natasha import Doc, MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

_lock = threading.Lock()
_models = None


@dataclass(frozen=True)
class Models:
    segmenter: Segmenter
    morph_vocab: MorphVocab
    morph_tagger: NewsMorphTagger
    ner_tagger: NewsNERTagger


def models() -> Models:
    """The loaded models (about a second the first time in a process, then free)."""
    global _models
    if _models is None:
        with _lock:
            if _models is None:
                embedding = NewsEmbedding()
                _models = Models(
                    segmenter=Segmenter(),
                    morph_vocab=MorphVocab(),
                    morph_tagger=NewsMorphTagger(embedding),
                    ner_tagger=NewsNERTagger(embedding),
                )
    return _models


class Analysed:
    """A release's text segmented into sentences and tokens, morphologically tagged, with NER spans."""

    def __init__(self, text: str):
        m = models()
        self.text = text
        self.doc = Doc(text)
        self.doc.segment(m.segmenter)
        self.doc.tag_morph(m.morph_tagger)
        self.doc.tag_ner(m.ner_tagger)
        for token in self.doc.tokens:
            token.lemmatize(m.morph_vocab)
        for span in self.doc.spans:
            span.normalize(m.morph_vocab)

    @cached_property
    def sentences(self):
        return self.doc.sents

    def spans_of(self, kind: str):
        """NER spans of one type: "PER", "LOC" or "ORG"."""
        return [span for span in self.doc.spans if span.type == kind]


def analysed(text: str) -> Analysed:
    return Analysed(text)
