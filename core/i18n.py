"""Translation of user-visible text through gettext (msgids are English).

The language comes from `--lang`, else `CIVIC_LANG`, else the locale; Chinese when the locale
is Chinese, English otherwise. Catalogs live in civic/locale/<lang>/LC_MESSAGES/civic.mo.

A plugin ships its own catalog beside its module, `locale/<lang>/LC_MESSAGES/<domain>.mo`
(and the .po it is compiled from); `install_plugin_catalogs(pm)` (run by the plugin manager)
chains each one behind core's, so `_()` translates a plugin's texts (its event titles, mode
titles, labels) too: core's catalog answers first, then each plugin's in load order.
"""

from __future__ import annotations

import gettext
import os

DOMAIN = "civic"
# A plain string: importing pathlib costs the CLI a measurable share of its start-up.
LOCALE_DIR = os.path.join(os.path.dirname(__file__), "locale")
LANGUAGES = ("zh_CN", "en")

_current: gettext.NullTranslations = gettext.NullTranslations()
_lang = "en"
_plugin_catalogs: list[tuple[str, str]] = []  # (domain, locale folder), in the order found


def detect_language(explicit: str | None = None) -> str:
    """Pick zh_CN or en from an explicit choice, CIVIC_LANG, or the locale environment."""
    for value in (explicit, os.environ.get("CIVIC_LANG")):
        if value:
            return normalize(value)
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return normalize(value)
    import locale  # only when no variable says: a few ms of every start otherwise

    try:
        loc = locale.getlocale()[0]
    except ValueError:
        loc = None
    return normalize(loc or "en")


def normalize(value: str) -> str:
    return "zh_CN" if value.lower().replace("-", "_").startswith("zh") else "en"


def set_language(lang: str | None = None) -> str:
    """Install the catalog for `lang` (or the detected language) and return its code."""
    global _current, _lang
    _lang = detect_language(lang)
    _current = _translation(DOMAIN, LOCALE_DIR, _lang)
    for domain, folder in _plugin_catalogs:
        _chain(domain, folder)
    return _lang


# Parsed catalogs by file, as gettext.translation keeps them; each use gets its own copy so a
# fallback chained onto one never reaches another.
_parsed: dict[str, gettext.GNUTranslations] = {}


def _translation(domain: str, folder: str, lang: str) -> gettext.NullTranslations:
    """gettext.translation(domain, folder, [lang], fallback=True), read straight from
    `folder/lang/LC_MESSAGES/domain.mo` when that file exists. gettext's own search expands
    the language through `locale` (and copies through `copy`): imports that were a few ms of
    every `civic` start for a path known here. Any other layout (a plugin's `zh` folder) goes
    to gettext's search as before."""
    path = os.path.join(folder, lang, "LC_MESSAGES", domain + ".mo")
    found = _parsed.get(path)
    if found is None:
        try:
            with open(path, "rb") as fh:
                found = _parsed.setdefault(path, gettext.GNUTranslations(fh))
        except FileNotFoundError:
            return gettext.translation(domain, folder, languages=[lang], fallback=True)
    copied = gettext.GNUTranslations.__new__(gettext.GNUTranslations)
    # What copy.copy does (the catalog dict shared), with no fallback chained yet.
    copied.__dict__.update(found.__dict__, _fallback=None)
    return copied


def _chain(domain: str, folder: str) -> None:
    found = _translation(domain, folder, _lang)
    if type(found) is not gettext.NullTranslations:
        _current.add_fallback(found)


def add_catalog(domain: str, folder: str) -> None:
    """Chain a plugin's catalog `domain` (under `folder`/<lang>/LC_MESSAGES) behind core's,
    for the current language and every language chosen later."""
    key = (domain, os.path.abspath(folder))
    if key not in _plugin_catalogs:
        _plugin_catalogs.append(key)
        _chain(*key)


def plugin_locale_dirs(pm: object) -> dict[str, str]:
    """Each plugin's `locale/` folder beside its module, by the catalog domains it holds
    (the names of the .mo files in it)."""
    import sys
    from types import ModuleType

    found: dict[str, str] = {}
    for _name, plugin in pm.list_name_plugin():  # type: ignore[attr-defined]
        module = plugin if isinstance(plugin, ModuleType) else sys.modules.get(
            type(plugin).__module__)
        file = getattr(module, "__file__", None)
        folder = os.path.join(os.path.dirname(file), "locale") if file else ""
        if not folder or not os.path.isdir(folder):
            continue
        for lang in sorted(os.listdir(folder)):
            messages = os.path.join(folder, lang, "LC_MESSAGES")
            if os.path.isdir(messages):
                for entry in sorted(os.listdir(messages)):
                    if entry.endswith(".mo"):
                        found.setdefault(entry[:-3], folder)
    return found


def install_plugin_catalogs(pm: object) -> None:
    """Chain every loaded plugin's own catalog behind core's (see the module's notes)."""
    for domain, folder in plugin_locale_dirs(pm).items():
        if domain != DOMAIN:
            add_catalog(domain, folder)


def current_language() -> str:
    return _lang


def _(message: str) -> str:
    """Translate `message` into the current language."""
    return _current.gettext(message)


# The reverse of the loaded catalogs, for the catalog chain it was read from: the language's
# catalog and how many plugin catalogs were chained behind it then.
_english: tuple[object, int, dict[str, str]] | None = None


def english(text: str) -> str | None:
    """The English text (msgid) that the current catalogs translate as `text`, or None: what
    lets an operator working in Chinese find a command by its English name."""
    global _english
    if _english is None or _english[:2] != (_current, len(_plugin_catalogs)):
        found: dict[str, str] = {}
        catalog: object = _current
        while catalog is not None:  # core's catalog, then each plugin's chained behind it
            for msgid, msgstr in getattr(catalog, "_catalog", {}).items():
                if isinstance(msgid, str) and msgid and isinstance(msgstr, str):
                    found.setdefault(msgstr, msgid)
            catalog = getattr(catalog, "_fallback", None)
        _english = (_current, len(_plugin_catalogs), found)
    return _english[2].get(text)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark `message` for extraction without translating it now (translated where shown)."""
    return message
