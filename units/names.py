"""Place names as communes type them: the official prefixes ("Thôn", "Xã" …), and finding a village by its name
in a list, with accents or without, with its prefix or without, "01" or "1"."""

import difflib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from totech.text import fold

from .models import Unit

# Folded prefixes of village names as communes write them (longest first), stripped when matching names.
VILLAGE_PREFIXES = ["to dan pho", "khoi pho", "khu pho", "thon", "ban", "lang", "xom", "ap", "tdp", "khu", "to"]
COMMUNE_PREFIXES = ["thi tran", "phuong", "xa", "dac khu"]


def strip_prefix(folded: str, prefixes: list[str]) -> str:
    for prefix in prefixes:
        if folded.startswith(prefix + " "):
            return folded[len(prefix) + 1 :]
    return folded


def _place_keys(name: str, prefixes: list[str]) -> tuple[set[str], set[str]]:
    """Keys a place name is known by: with accents and without, each with and without its prefix
    ('Thôn 01' → 'thôn 01', '1', 'thon 1', '1')."""

    def numbers_plain(text):
        return " ".join(str(int(word)) if word.isdecimal() else word for word in text.split())  # not "²"

    accented = numbers_plain(
        " ".join("".join(c if c.isalnum() else " " for c in unicodedata.normalize("NFC", name).casefold()).split())
    )
    plain = numbers_plain(fold(name))
    accented_keys = {accented, _strip_accented_prefix(accented, prefixes)}
    plain_keys = {plain, strip_prefix(plain, prefixes)}
    return accented_keys, plain_keys


def _strip_accented_prefix(accented: str, prefixes: list[str]) -> str:
    """Strip a prefix from an accented key by comparing its folded form."""
    folded = fold(accented)
    stripped = strip_prefix(folded, prefixes)
    if stripped == folded:
        return accented
    dropped_words = len(folded.split()) - len(stripped.split())
    return " ".join(accented.split()[dropped_words:])


class PlaceMatcher:
    """Finds a village (or the commune itself) by name as communes type it; suggests close names otherwise."""

    def __init__(self, commune: Unit, villages: Iterable[Unit]):
        self.commune = commune
        self.units = list(villages)
        self.accented, self.plain = defaultdict(set), defaultdict(set)
        self.found = {}  # a file names the same villages over and over
        for unit in [*self.units, commune]:
            prefixes = COMMUNE_PREFIXES if unit is commune else VILLAGE_PREFIXES
            accented_keys, plain_keys = _place_keys(unit.name, prefixes)
            for key in accented_keys:
                self.accented[key].add(unit)
            for key in plain_keys:
                self.plain[key].add(unit)

    def find(self, text: str) -> Unit | None:
        if text not in self.found:
            self.found[text] = self._find(text)
        return self.found[text]

    def _find(self, text: str) -> Unit | None:
        accented_keys, plain_keys = _place_keys(text, VILLAGE_PREFIXES)
        for keys, index in ((accented_keys, self.accented), (plain_keys, self.plain)):
            found = set().union(*(index.get(key, set()) for key in keys))
            if len(found) == 1:
                return found.pop()
        return None

    def suggestions(self, text: str) -> list[str]:
        names = {strip_prefix(fold(unit.name), VILLAGE_PREFIXES): unit.name for unit in self.units}
        close = difflib.get_close_matches(strip_prefix(fold(text), VILLAGE_PREFIXES), list(names), n=3, cutoff=0.5)
        return [names[key] for key in close]
