"""Translation of user-visible text through gettext (msgids are English).

The language comes from `--lang`, else `CIVIC_LANG`, else the locale; Chinese when the locale
is Chinese, English otherwise. Catalogs live in civic/locale/<lang>/LC_MESSAGES/civic.mo.
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
    _current = gettext.translation(DOMAIN, LOCALE_DIR, languages=[_lang], fallback=True)
    return _lang


def current_language() -> str:
    return _lang


def _(message: str) -> str:
    """Translate `message` into the current language."""
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark `message` for extraction without translating it now (translated where shown)."""
    return message
