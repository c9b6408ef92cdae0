"""Regions (origin and destination) and cities named in a release, resolved to the region directory."""

from releases.draft import CityItem, RegionItem
from releases.extraction.nlp import Analysed


def find_regions(analysed: Analysed) -> tuple[list[RegionItem], list[RegionItem]]:
    """(origin regions, destination regions) of the mission the release is about."""
    return [], []


def find_cities(analysed: Analysed) -> list[CityItem]:
    return []
