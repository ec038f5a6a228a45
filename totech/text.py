"""Text people type or paste: one cleaning for every name and free text, in forms, the admin and imports.

`clean_input_text` stores text in one form (NFC: a name typed on a phone that sends decomposed accents
matches the same name typed elsewhere), drops the invisible characters a copy from a chat or a web page
leaves at the edges, and refuses what no name or note needs and what can disguise one: control characters,
the Unicode direction overrides (U+202A-202E, U+2066-2069, "Trojan source"), and text made only of
invisible characters. `normalize_text` is its normalising half, for spreadsheet cells read for matching.
`fold` is the key names are matched and searched by (no accents, lower case).
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Control characters (Unicode category Cc) except tab, line feed and carriage return, which are whitespace.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
BIDI_OVERRIDES = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
FORBIDDEN = re.compile(f"{CONTROL.pattern}|{BIDI_OVERRIDES.pattern}")
# Characters that show nothing: zero-width spaces and joiners, direction marks, the byte order mark, the soft
# hyphen, and the "filler" letters that pass for a blank name.
INVISIBLE = "".join(
    chr(code)
    for first, last in [
        (0x00AD, 0x00AD),
        (0x034F, 0x034F),
        (0x061C, 0x061C),
        (0x115F, 0x1160),
        (0x17B4, 0x17B5),
        (0x180E, 0x180E),
        (0x200B, 0x200F),
        (0x2060, 0x2064),
        (0x206A, 0x206F),
        (0x2800, 0x2800),
        (0x3164, 0x3164),
        (0xFEFF, 0xFEFF),
        (0xFFA0, 0xFFA0),
    ]
    for code in range(first, last + 1)
)
WHITESPACE = "".join(char for char in map(chr, range(0x3000 + 1)) if char.isspace())
EDGES = INVISIBLE + WHITESPACE
INVISIBLE_ONLY = re.compile(f"[{re.escape(EDGES)}\u0300-\u036f]*")
LINE_BREAKS = re.compile(r"\r\n?")


def normalize_text(value, *, multiline: bool = False) -> str:
    """NFC, no whitespace or invisible characters at the edges; a single line gets single spaces, a multi-line
    text keeps its lines and spacing (line breaks as \\n). Never refuses anything (see `clean_input_text`)."""
    if value is None:
        return ""
    text = str(value)
    if text.isascii():
        return LINE_BREAKS.sub("\n", text).strip() if multiline else " ".join(text.split())
    text = unicodedata.normalize("NFC", text)
    text = LINE_BREAKS.sub("\n", text) if multiline else " ".join(text.split())
    return text.strip(EDGES)


def clean_input_text(value, *, label, multiline: bool = False) -> str:
    """`value` normalised (see `normalize_text`), or ValidationError naming the field `label` when it holds a
    control character or a direction override, or only invisible characters."""
    text = "" if value is None else str(value)
    if text.isascii() and text.isprintable():
        return text.strip() if multiline else " ".join(text.split())
    if forbidden := FORBIDDEN.search(text):
        if BIDI_OVERRIDES.match(forbidden.group()):
            message, code = (
                _("%(field)s contains a character that reverses the direction of the text: type it again."),
                "bidi_override",
            )
        else:
            message, code = (
                _("%(field)s contains a control character (a hidden code pasted with the text): type it again."),
                "control_character",
            )
        raise ValidationError(message % {"field": label}, code=code)
    cleaned = normalize_text(text, multiline=multiline)
    if (not cleaned and not text.isspace()) or (
        cleaned and unicodedata.combining(cleaned[0]) and INVISIBLE_ONLY.fullmatch(cleaned)
    ):
        raise ValidationError(
            _("%(field)s holds only invisible characters: type the text.") % {"field": label}, code="invisible"
        )
    return cleaned


# --- folding: the key names are matched by -------------------------------------------------------------


def _accent_table() -> dict[int, str | None]:
    """Vietnamese (and other Latin) letters → their bare ASCII letter; combining accents (NFD text) → nothing."""
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for code in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        bare = "".join(char for char in unicodedata.normalize("NFD", chr(code)) if not unicodedata.combining(char))
        if bare != chr(code) and bare.isascii():
            table[code] = bare
    for code in range(0x300, 0x370):
        table[code] = None
    return table


ACCENTS = _accent_table()
NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text) -> str:
    """A matching key: no accents, đ → d, lower case, single spaces, letters and digits only."""
    return NOT_ALNUM.sub(" ", str(text).translate(ACCENTS).casefold()).strip()
