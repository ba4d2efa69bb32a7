"""Click's own texts (its help headings, usage errors, type errors, prompts), named for civic's
catalog so that `tools/i18n.py update` keeps them and a civic user reads them in zh_CN too.

Click passes each of these to gettext; `civic.cli.main` points click's modules at civic's
catalog (`click_gettext` below). The msgids are click's exactly (click 8.5, taken from its
source with babel): a text whose msgid drifts in a new click stays English, and
tests/cli/test_click_texts.py names it. Texts a civic user cannot reach are left out: the
Windows console, the editor, the pager, colours, standard streams, and the errors click
raises at a plugin author while a command is being built, not at a user.
"""

from __future__ import annotations

import re
from typing import Any

import click

from civic.i18n import N_, _


def _wide(text: str) -> bool:
    """Whether `text` holds a character two cells wide (only help pages ask: the module and
    unicodedata are not loaded for a command's start)."""
    from civic.textwidth import width

    return width(text) != len(text)

# Help pages.
HELP = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Positional arguments"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("%(prog)s, version %(version)s"),
    N_("deprecated"),
    N_("env var: {var}"),
    N_("default: {default}"),
    N_("required"),
    N_("(dynamic)"),
    N_("Do you want to continue?"),
    N_("Confirm the action without prompting."),
)

# Usage errors: the words around them, and each error.
ERRORS = (
    N_("Error"),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Aborted!"),
    N_("Missing command."),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"),
    N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Value must be an iterable."),
    N_("Invalid start character for option ({option})"),
    N_("Argument {name!r} takes {nargs} values."),
    N_("Option {name!r} does not take a value."),
    N_("DeprecationWarning: The command {name!r} is deprecated.{extra_message}"),
    N_("DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}"),
    N_("unknown error"),
    N_("Could not open file {filename!r}: {message}"),
)

# A value of the wrong type, and the names of click's number types the first one names.
TYPES = (
    N_("{value!r} is not a valid {number_type}."),
    N_("integer"),
    N_("float"),
    N_("integer range"),
    N_("float range"),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("{value!r} is not a valid UUID."),
    N_("Choose from:\n\t{choices}"),
    N_("Choice({choices})"),
    N_("file"),
    N_("directory"),
    N_("path"),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("{name} {filename!r} is not executable."),
)

# Prompts (a new password typed twice, a yes/no question).
PROMPTS = (
    N_("Repeat for confirmation"),
    N_("Error: The two entered values do not match."),
    N_("Error: invalid input"),
)

# Plurals: (singular, plural), as click passes them to ngettext. Listed through a function
# named ngettext so that the extractor keeps both forms; it is never called at run time.
def _plurals(ngettext: Any) -> tuple[Any, ...]:
    return (
        ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 1),
        ngettext("Got unexpected extra argument ({args})",
                 "Got unexpected extra arguments ({args})", 1),
        ngettext("Takes {nargs} values but 1 was given.",
                 "Takes {nargs} values but {len} were given.", 1),
        ngettext("Option {name!r} requires an argument.",
                 "Option {name!r} requires {nargs} arguments.", 1),
        ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 1),
        ngettext("{value!r} does not match the format {format}.",
                 "{value!r} does not match the formats {formats}.", 1),
        ngettext("{len_type} values are required, but {len_value} was given.",
                 "{len_type} values are required, but {len_value} were given.", 1),
    )


PLURALS: tuple[tuple[str, str], ...] = tuple(
    _plurals(lambda singular, plural, _n: (singular, plural)))

# Words of click's usage line (`civic people [OPTIONS] COMMAND [ARGS]...`), and its headings'
# colon ("Options:"), which Chinese writes full-width.
USAGE = (N_("[OPTIONS]"), N_("COMMAND"), N_("[ARGS]..."), N_("{heading}:"))

# The metavars click writes after an option for its types ("--limit INTEGER"): click's type
# names, upper-cased. (A Path's, "FILE", "DIRECTORY", "PATH", comes through `_` already.)
METAVARS = (N_("INTEGER RANGE"), N_("FLOAT RANGE"), N_("TEXT"), N_("INTEGER"), N_("FLOAT"),
            N_("BOOLEAN"), N_("FILENAME"), N_("UUID"))
_METAVAR = re.compile(r"(?<= )(" + "|".join(METAVARS) + r")(?=$|\.\.\.| )")

# The placeholders click writes for a command's arguments ("civic election count NUMBER", and
# "Missing argument 'NUMBER'"): each argument's name upper-cased, or the metavar it was given.
# tests/cli/test_click_texts.py checks that every argument of every command is named here.
ARGUMENTS = (
    N_("NUMBER"), N_("BATCH_ID"), N_("FILE"), N_("PATH"), N_("NAME"), N_("NOTICE_ID"),
    N_("TITLE"), N_("TERM"), N_("PROGRAMME"), N_("POSITION"), N_("PERSON"), N_("KEY"),
    N_("VALUE"), N_("CODE"), N_("CODES"), N_("TEXT"), N_("ACTION"), N_("ROLES"),
    N_("UNIT"), N_("SOURCE"), N_("CATEGORY"), N_("PROPOSAL"), N_("OFFICER"),
    N_("OBJECTION_ID"), N_("ENTRY"), N_("ELECTIONS"), N_("TALLIES"), N_("DEST"),
    N_("CASE"), N_("TASK"), N_("ID"), N_("FRAMEWORK"), N_("[POST]"),
    N_("[OFFICER=NUMBER]..."), N_("CODE=VOTES..."),
)
_click_argument_metavar = click.Argument.make_metavar


def argument_metavar(self: click.Argument, ctx: click.Context) -> str:
    """An argument's placeholder in the reader's language: click's own, with the argument's
    word (the metavar it was given, or its name upper-cased) put through the catalog. An
    argument whose type writes its own placeholder (a choice's values) is left as it is."""
    shown = _click_argument_metavar(self, ctx)
    word = self.metavar if self.metavar is not None else (self.name or "").upper()
    return shown.replace(word, _(word), 1) if word else shown


def _help_lines(text: str, cells: int) -> list[str]:
    """An option's help wrapped in `cells`, click's "[默认：md]" or "[必填]" after it kept whole:
    on the help's last line if it fits there, else on a line of its own."""
    from civic.textwidth import width, wrap

    at = text.rfind("  [") if text.endswith("]") else -1
    if at < 0:
        return wrap(text, cells)
    help_text, extra = text[:at], text[at + 2:]
    lines = wrap(help_text, cells)
    if lines and width(lines[-1]) + 2 + width(extra) <= cells:
        lines[-1] += "  " + extra
        return lines
    return lines + wrap(extra, cells)


def _option_spec(first: str) -> str:
    """An option's spec in a help page ("--limit INTEGER") with click's metavar translated."""
    return _METAVAR.sub(lambda found: _(found.group(1)), first) if first[:1] == "-" else first


# Texts click fills with a word of its own, untranslated: the number type's name ("integer")
# in '{value!r} is not a valid {number_type}.'. The word is put through the catalog too.
_NAMED_BY_CLICK = {"{value!r} is not a valid {number_type}.": ("number_type",)}
# Click ends some errors with its own "." after the translated words ("Missing argument" +
# " 'NUMBER'" + "."), and joins an error and its suggestion with a space.
_ERROR = "Error: {message}"


class _Filled(str):
    """A translated text whose `format` also translates the named arguments' values, and, for
    an error in Chinese, ends it with Chinese punctuation."""

    keys: tuple[str, ...] = ()
    error = False

    def format(self, *args: Any, **kwargs: Any) -> str:  # noqa: A003 - str's own name
        for key in self.keys:
            if isinstance(kwargs.get(key), str):
                kwargs[key] = _(kwargs[key])
        if self.error and isinstance(kwargs.get("message"), str):
            kwargs["message"] = chinese_punctuation(kwargs["message"])
        return str.format(self, *args, **kwargs)


def chinese_punctuation(message: str) -> str:
    """A Chinese message as click assembles it, with click's ASCII full stop made "。" and the
    space click puts after a "。" dropped. Text in other languages is returned as it is."""
    if not any("\u4e00" <= ch <= "\u9fff" for ch in message):
        return message
    message = message.replace("。 ", "。")
    if message.endswith(".") and not message.endswith(".."):
        message = message[:-1] + "。"
    return message


def click_gettext(message: str) -> str:
    """What click's `_` is in civic: civic's catalog, and click's own words put through it."""
    text = _(message)
    keys = _NAMED_BY_CLICK.get(message)
    if keys is None and message != _ERROR:
        return text
    found = _Filled(text)
    found.keys = keys or ()
    found.error = message == _ERROR
    return found


class CivicHelpFormatter(click.HelpFormatter):
    """Click's help formatter with its usage line's words and its headings' colon translated."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            usage = _("Usage:")
            # "Usage: civic", but "用法：civic": a full-width colon holds its own space.
            prefix = usage if usage.endswith("：") else usage + " "
        words = {word: _(word) for word in USAGE[:3]}
        args = " ".join(words.get(word, word) for word in args.split(" "))
        super().write_usage(prog, args, prefix)

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        """Click's definition list (options, commands), measured in cells when a row holds
        Chinese: click counts characters, so a Chinese help ran past the terminal's edge and
        the terminal broke it at column 0, "，" first as often as not."""
        rows = [(_option_spec(first), second) for first, second in rows]
        if not any(_wide(first) or _wide(second) for first, second in rows):
            super().write_dl(rows, col_max, col_spacing)
            return
        from civic.textwidth import width

        first_col = min(max(width(first) for first, _second in rows), col_max) + col_spacing
        indent = " " * (first_col + self.current_indent)
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - width(first)))
            else:
                self.write("\n" + indent)
            lines = _help_lines(second, max(self.width - first_col - self.current_indent, 10))
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(indent + line + "\n")

    def write_text(self, text: str) -> None:
        """A help paragraph, wrapped in cells when it holds Chinese (see write_dl)."""
        if not _wide(text):
            super().write_text(text)
            return
        from civic.textwidth import wrap

        indent = " " * self.current_indent
        for line in wrap(text, max(self.width - self.current_indent, 11)):
            self.write(f"{indent}{line}\n" if line else "\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_('{heading}:').format(heading=heading)}\n")
