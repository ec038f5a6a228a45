"""The Vietnamese catalogue is complete and compiled: every message a user can see has a translation, none is
left fuzzy, and the committed .mo says what the .po says (a forgotten compilemessages shows English)."""

import ast
import gettext
from pathlib import Path

from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file as {msgctxt?, msgid, msgid_plural, msgstr: [..], fuzzy}; the header left out."""
    entries, entry, field = [], None, None

    def close():
        if entry is not None and entry["msgid"]:
            entries.append(entry)

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#,"):
            close()
            entry, field = {"msgid": "", "msgid_plural": "", "msgstr": [], "fuzzy": "fuzzy" in line}, None
        elif line.startswith("msgctxt "):
            if entry is None or field is not None:
                close()
                entry = {"msgid": "", "msgid_plural": "", "msgstr": [], "fuzzy": False}
            field, entry["msgctxt"] = "msgctxt", ast.literal_eval(line[8:])
        elif line.startswith("msgid "):
            if entry is None or field not in (None, "msgctxt"):
                close()
                entry = {"msgid": "", "msgid_plural": "", "msgstr": [], "fuzzy": False}
            field, entry["msgid"] = "msgid", ast.literal_eval(line[6:])
        elif line.startswith("msgid_plural "):
            field, entry["msgid_plural"] = "msgid_plural", ast.literal_eval(line[13:])
        elif line.startswith("msgstr"):
            field = "msgstr"
            entry["msgstr"].append(ast.literal_eval(line.split(" ", 1)[1]))
        elif line.startswith('"') and field:
            text = ast.literal_eval(line)
            if field == "msgstr":
                entry["msgstr"][-1] += text
            else:
                entry[field] += text
        elif line.startswith("#~"):
            field = None
    close()
    return entries


def test_every_message_has_a_vietnamese_translation():
    entries = read_po(LOCALE / "vi" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 500
    untranslated = [entry["msgid"] for entry in entries if not all(entry["msgstr"])]
    fuzzy = [entry["msgid"] for entry in entries if entry["fuzzy"]]
    assert not untranslated, f"untranslated: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"


def test_both_catalogues_hold_the_same_messages():
    vietnamese = {entry["msgid"] for entry in read_po(LOCALE / "vi" / "LC_MESSAGES" / "django.po")}
    english = {entry["msgid"] for entry in read_po(LOCALE / "en" / "LC_MESSAGES" / "django.po")}
    assert vietnamese - english == set() and english - vietnamese == set()


def translated(catalogue, entry) -> str:
    if "msgctxt" in entry:
        return catalogue.pgettext(entry["msgctxt"], entry["msgid"])
    return catalogue.gettext(entry["msgid"])


def test_the_compiled_catalogue_matches_the_source():
    with open(LOCALE / "vi" / "LC_MESSAGES" / "django.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = [
        entry["msgid"]
        for entry in read_po(LOCALE / "vi" / "LC_MESSAGES" / "django.po")
        if not entry["msgid_plural"] and translated(catalogue, entry) != entry["msgstr"][0]
    ]
    assert not stale, f"run compilemessages: {stale[:10]}"


def test_the_english_fixture_reaches_the_pages_the_client_asks_for(client, english, db):
    from django.urls import reverse
    from django.utils.translation import gettext

    page = client.get(reverse("login")).content.decode()
    assert "Portal of the community digital technology teams" in page
    assert gettext("Log in") == "Log in"  # and the test's own code


def test_without_the_english_fixture_the_pages_are_vietnamese(client, db):
    from django.urls import reverse

    page = client.get(reverse("login")).content.decode()
    assert "Cổng quản lý Tổ Công nghệ số cộng đồng" in page
