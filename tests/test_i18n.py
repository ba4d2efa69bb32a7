"""Both catalogs are complete: every message in the code has a zh_CN and an en translation.

Run `python tools/i18n.py update`, translate, then `python tools/i18n.py compile`.
"""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest

import civic
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


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_message_is_translated(lang):
    catalog = gettext.translation("civic", LOCALE_DIR, languages=[lang])
    known = catalog._catalog  # type: ignore[attr-defined]
    singular = {k if isinstance(k, str) else k[0] for k in known}
    missing = [m for m in MESSAGES if m not in singular or not _translated(known, m)]
    assert not missing, f"{lang}: {len(missing)} untranslated, e.g. {missing[:5]}"


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
