"""Helpers of the extraction's tests: a text analysed once per test module and text."""

from functools import cache

from releases.extraction.nlp import analysed


@cache
def analyse_once(text: str):
    """The analysed text; the models load once per process and a text is tagged once."""
    return analysed(text)
