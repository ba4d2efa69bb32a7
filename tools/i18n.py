"""Keep the zh_CN and en catalogs in step with the code.

    python tools/i18n.py update    # extract msgids from core/ and plugins/, merge into both .po
    python tools/i18n.py compile   # write the .mo files the package ships
    python tools/i18n.py missing   # list msgids without a translation, per language

A plugin with a catalog of its own: name its folder (the one holding its modules and
`locale/`), and its catalog's domain unless the folder already has one:

    python tools/i18n.py update path/to/plugin [--domain commendations]
    python tools/i18n.py compile path/to/plugin
    python tools/i18n.py missing path/to/plugin

msgids are English. The en catalog maps each to itself unless a better English text is set.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "core" / "locale"
LANGS = ("zh_CN", "en")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def extract(*folders: Path) -> dict[str | tuple[str, str], list[str]]:
    """msgid (a pair for plurals) -> places (file:line) found in the given folders."""
    found: dict[str | tuple[str, str], list[str]] = {}
    for folder in folders:
        for filename, lineno, message, _comments, _ctx in extract_from_dir(
            str(folder), method_map=[("**.py", "python")], keywords=KEYWORDS,
        ):
            if isinstance(message, tuple):
                message = tuple(message[:2])
            if message:
                found.setdefault(message, []).append(f"{folder.name}/{filename}:{lineno}")
    return found


@dataclass(frozen=True)
class Target:
    """One catalog: where its messages come from, its locale folder and its domain."""

    sources: tuple[Path, ...]
    locale: Path
    domain: str

    def po_path(self, lang: str) -> Path:
        return self.locale / lang / "LC_MESSAGES" / f"{self.domain}.po"


CORE = Target((ROOT / "core", ROOT / "plugins"), LOCALE, "civic")


def plugin_target(folder: str | Path, domain: str | None = None) -> Target:
    """A plugin's own catalog: messages from its folder, kept in its `locale/`; the domain is
    the one its folder already has, else `domain`, else the folder's name."""
    folder = Path(folder).resolve()
    if domain is None:
        found = sorted({p.stem for p in (folder / "locale").glob("*/LC_MESSAGES/*.po")})
        domain = found[0] if found else folder.name
    return Target((folder,), folder / "locale", domain)


def po_path(lang: str, target: Target = CORE) -> Path:
    return target.po_path(lang)


def load(lang: str, target: Target = CORE) -> Catalog:
    path = target.po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, domain=target.domain, project=target.domain)
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def update(target: Target = CORE) -> None:
    found = extract(*target.sources)
    for lang in LANGS:
        old = load(lang, target)
        new = Catalog(locale=lang, domain=target.domain, project=target.domain, fuzzy=False)
        for msgid in sorted(found, key=lambda m: m if isinstance(m, str) else m[0]):
            key = msgid if isinstance(msgid, str) else msgid[0]
            prev = old.get(key)
            text = prev.string if prev is not None and prev.string else None
            plural = isinstance(msgid, tuple)
            if isinstance(text, tuple) != plural:
                text = None  # the message became (or stopped being) a plural
            if lang == "en" and not _filled(text):
                text = msgid
            if text is None:
                text = ("", "") if plural else ""
            new.add(msgid, text)
        path = target.po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            write_po(fh, new, width=100, omit_header=False, sort_output=True,
                     no_location=True)
    print(f"{len(found)} messages")


def _filled(text: str | tuple | None) -> bool:
    if isinstance(text, tuple):
        return all(text)
    return bool(text)


def compile_all(target: Target = CORE) -> None:
    for lang in LANGS:
        catalog = load(lang, target)
        if lang == "en":
            # msgids are English: an entry that maps a msgid to itself changes nothing
            # (gettext falls back to the msgid, and English plurals are gettext's default),
            # and parsing ~1,000 of them cost every English start a few milliseconds.
            for message in list(catalog):
                if message.id and message.string == message.id:
                    catalog.delete(message.id)
        with (target.po_path(lang).with_suffix(".mo")).open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)


def missing(target: Target = CORE) -> int:
    count = 0
    for lang in LANGS:
        for message in load(lang, target):
            if message.id and not _filled(message.string):
                print(f"{lang}: {message.id}")
                count += 1
    return count


def _target(args: list[str]) -> Target:
    if not args:
        return CORE
    domain = None
    if "--domain" in args:
        i = args.index("--domain")
        domain = args[i + 1]
        args = args[:i] + args[i + 2:]
    return plugin_target(args[0], domain)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "update"
    chosen = _target(sys.argv[2:])
    if command == "update":
        update(chosen)
    elif command == "compile":
        compile_all(chosen)
    elif command == "missing":
        sys.exit(1 if missing(chosen) else 0)
    else:
        sys.exit(__doc__)
