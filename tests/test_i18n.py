"""Both catalogs are complete: every message in the code has a zh_CN and an en translation.

Run `python tools/i18n.py update`, translate, then `python tools/i18n.py compile`.
"""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest

import civic
import civic.plugins
from civic.i18n import LOCALE_DIR, _, detect_language, set_language

babel_extract = pytest.importorskip("babel.messages.extract")
PACKAGE = Path(civic.__file__).parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def _messages() -> set[str]:
    found = set()
    for _file, _line, message, _c, _x in babel_extract.extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return {m for m in found if m}


MESSAGES = sorted(_messages())


def test_every_message_is_translated_into_chinese():
    catalog = gettext.translation("civic", LOCALE_DIR, languages=["zh_CN"])
    known = catalog._catalog  # type: ignore[attr-defined]
    singular = {k if isinstance(k, str) else k[0] for k in known}
    missing = [m for m in MESSAGES if m not in singular or not _translated(known, m)]
    assert not missing, f"zh_CN: {len(missing)} untranslated, e.g. {missing[:5]}"


def test_every_message_has_its_english_text():
    """The en catalog is complete in its .po; the compiled .mo leaves out the entries that map
    a msgid to itself (tools/i18n.py compile), so the .po is what is checked here."""
    pofile = pytest.importorskip("babel.messages.pofile")
    with open(Path(LOCALE_DIR) / "en" / "LC_MESSAGES" / "civic.po", "rb") as handle:
        catalog = pofile.read_po(handle, locale="en")
    known = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in catalog if m.id}
    missing = [m for m in MESSAGES if m not in known or not _filled(known[m])]
    assert not missing, f"en: {len(missing)} without text, e.g. {missing[:5]}"


def test_english_catalog_changes_what_it_compiles():
    """Only English texts that differ from their msgid are compiled: gettext falls back to the
    msgid for the rest, so English output is the .po's, without parsing ~1,000 identities."""
    catalog = gettext.translation("civic", LOCALE_DIR, languages=["en"])
    known = catalog._catalog  # type: ignore[attr-defined]
    assert all(key != value for key, value in known.items() if key), "identity entries compiled"
    set_language("en")
    try:
        assert _("Refused") == "Refused"
    finally:
        set_language("en")


def _filled(text: str | tuple) -> bool:
    return all(text) if isinstance(text, tuple) else bool(text)


def _translated(known: dict, message: str) -> bool:
    if message in known:
        return bool(known[message])
    return bool(known.get((message, 0)))


def test_chinese_really_is_chinese():
    set_language("zh_CN")
    try:
        assert _("Password for {name}") != "Password for {name}"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in _("Chain verified: {n} entries, head {head}."))
    finally:
        set_language("en")


@pytest.mark.parametrize(("explicit", "env", "expected"), [
    ("en", {"CIVIC_LANG": "zh_CN"}, "en"),
    (None, {"CIVIC_LANG": "zh_CN"}, "zh_CN"),
    (None, {"LANG": "zh_CN.UTF-8"}, "zh_CN"),
    (None, {"LANG": "en_US.UTF-8"}, "en"),
    (None, {"LC_ALL": "zh_TW.UTF-8"}, "zh_CN"),
])
def test_language_choice(monkeypatch, explicit, env, expected):
    for var in ("CIVIC_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert detect_language(explicit) == expected


# A plugin with a catalog of its own: every folder beside core's with a locale/ of its own.
# Built-in plugins through the installed package (CI also runs these tests on the wheel).
ROOT = Path(__file__).resolve().parent.parent
PLUGIN_FOLDERS = sorted(p.parent for p in [*Path(civic.plugins.__file__).parent.glob("*/locale"),
                                           *ROOT.glob("tests/*/locale")] if p.is_dir())


def _folder_messages(folder: Path) -> set[str]:
    found = set()
    for _file, _line, message, _c, _x in babel_extract.extract_from_dir(
        str(folder), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return {m for m in found if m}


def test_the_example_plugin_has_a_catalog_of_its_own():
    assert ROOT / "tests" / "plugin_example" in PLUGIN_FOLDERS


@pytest.mark.parametrize("folder", PLUGIN_FOLDERS, ids=lambda p: p.name)
def test_every_plugin_catalog_is_complete(folder):
    """Each plugin's own catalog holds every message of its code, in zh_CN (compiled) and en
    (.po); `python tools/i18n.py update|compile|missing <folder>` keeps it so."""
    pofile = pytest.importorskip("babel.messages.pofile")
    messages = _folder_messages(folder)
    [domain] = {p.stem for p in (folder / "locale").glob("*/LC_MESSAGES/*.po")}
    zh = gettext.translation(domain, folder / "locale", languages=["zh_CN"])
    known = zh._catalog  # type: ignore[attr-defined]
    missing = [m for m in sorted(messages) if not _translated(known, m)]
    assert not missing, f"{folder.name} zh_CN: {len(missing)} untranslated, e.g. {missing[:5]}"
    with open(folder / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po", "rb") as handle:
        en = {m.id if isinstance(m.id, str) else m.id[0]: m.string
              for m in pofile.read_po(handle, locale="en") if m.id}
    missing = [m for m in sorted(messages) if not _filled(en.get(m) or "")]
    assert not missing, f"{folder.name} en: {len(missing)} without text, e.g. {missing[:5]}"
