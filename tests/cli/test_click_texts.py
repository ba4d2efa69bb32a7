"""Click's own texts (usage, help headings, usage errors) read in the operator's language.

`civic` runs in a child process, as a user runs it: main() points click's texts at civic's
catalog and its help formatter at civic's, for the process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from civic.cli import click_texts
from civic.cli.click_texts import chinese_punctuation
from civic.i18n import set_language
from civic.textwidth import NOT_AT_START, width

RUN = "import sys; sys.argv = ['civic', *sys.argv[1:]]; from civic.cli.main import main; main()"


def _civic(*args: str, lang: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVIC_")}
    env |= {"CIVIC_LANG": lang, "CIVIC_DB": str(db), "COLUMNS": "80"}
    return subprocess.run([sys.executable, "-c", RUN, *args], capture_output=True, text=True,
                          env=env, timeout=60)


# (arguments, the lines on stderr in zh_CN, in en): a wrong option, a missing argument, a bad
# integer, an unknown command with its suggestion, an extra argument.
USAGE_ERRORS = [
    (("people", "list", "--bogus"),
     ["用法：civic people list [选项]", "运行 'civic people list --help' 查看帮助。", "",
      "错误：没有此选项：'--bogus'。"],
     ["Usage: civic people list [OPTIONS]", "Try 'civic people list --help' for help.", "",
      "Error: No such option '--bogus'."]),
    (("election", "count"),
     ["用法：civic election count [选项] 编号",
      "运行 'civic election count --help' 查看帮助。", "",
      "错误：缺少参数 '编号'。"],
     ["Usage: civic election count [OPTIONS] NUMBER",
      "Try 'civic election count --help' for help.", "",
      "Error: Missing argument 'NUMBER'."]),
    (("people", "list", "--limit", "x"),
     ["用法：civic people list [选项]", "运行 'civic people list --help' 查看帮助。", "",
      "错误：'--limit' 的值无效：'x' 不是有效的整数。"],
     ["Usage: civic people list [OPTIONS]", "Try 'civic people list --help' for help.", "",
      "Error: Invalid value for '--limit': 'x' is not a valid integer."]),
    (("people", "lis"),
     ["用法：civic people [选项] 命令 [参数]...", "运行 'civic people --help' 查看帮助。", "",
      "错误：没有此命令：'lis'。是否要输入 'list'？"],
     ["Usage: civic people [OPTIONS] COMMAND [ARGS]...", "Try 'civic people --help' for help.",
      "", "Error: No such command 'lis'. Did you mean 'list'?"]),
    (("people", "list", "extra"),
     ["用法：civic people list [选项]", "运行 'civic people list --help' 查看帮助。", "",
      "错误：多出了参数（extra）"],
     ["Usage: civic people list [OPTIONS]", "Try 'civic people list --help' for help.", "",
      "Error: Got unexpected extra argument (extra)"]),
]


@pytest.mark.parametrize(("args", "zh", "en"), USAGE_ERRORS, ids=lambda v: " ".join(v)
                         if isinstance(v, tuple) else None)
def test_a_usage_error_is_worded_in_one_language(tmp_path, args, zh, en):
    for lang, expected in (("zh_CN", zh), ("en", en)):
        done = _civic(*args, lang=lang, db=tmp_path / "none.db")
        assert done.returncode == 2, done.stderr
        assert done.stderr.splitlines() == expected


def test_help_in_chinese_has_no_english_word_of_clicks(tmp_path):
    out = _civic("--help", lang="zh_CN", db=tmp_path / "none.db").stdout.splitlines()
    assert out[0] == "用法：civic [选项] 命令 [参数]..."
    assert "选项：" in out and "命令：" in out
    assert "  -h, --help   显示此帮助并退出。" in out
    assert "  --version    显示版本号并退出。" in out
    assert "  --db 文本    数据库文件（未指定时用 $CIVIC_DB，再无则用 ./civic.db）。" in out
    out = _civic("people", "list", "--help", lang="zh_CN", db=tmp_path / "none.db").stdout
    assert "  --limit 整数   [默认：100]" in out.splitlines()
    for english in ("Usage", "Options", "Commands", "Show this message", "default:", "TEXT",
                    "INTEGER"):
        assert english not in out


def test_chinese_help_fits_80_columns(tmp_path):
    # click measures characters: a Chinese command help ran to ~100 cells, and the terminal
    # broke it at column 0, the next line beginning with "行），". Now wrapped in cells, and
    # continued under its column.
    out = _civic("--help", lang="zh_CN", db=tmp_path / "none.db").stdout.splitlines()
    assert all(width(line) <= 78 for line in out)
    at = out.index("  backup          通过 SQLite 备份接口将数据库复制到目标文件（他人写入时也可安")
    assert out[at + 1] == "                  全进行），并校验副本。"
    assert not any(line.strip()[:1] in NOT_AT_START for line in out)
    # click's "[必填]" after an option's help is kept whole: on the help's line if it fits,
    # else on its own under the help
    out = _civic("notice", "draft", "--help", lang="zh_CN", db=tmp_path / "none.db").stdout
    lines = out.splitlines()
    at = lines.index("  --body-file 文件名      公示正文（Markdown）；“-”表示从标准输入读取。")
    assert lines[at + 1] == "                          [必填]"
    assert "  --subject 文本          公示对象，如 appointment:12。  [必填]" in lines


def test_help_in_english_stays_clicks(tmp_path):
    out = _civic("--help", lang="en", db=tmp_path / "none.db").stdout.splitlines()
    assert out[0] == "Usage: civic [OPTIONS] COMMAND [ARGS]..."
    assert "Options:" in out and "Commands:" in out
    assert "  -h, --help   Show this message and exit." in out
    assert "  --db TEXT    Database file (else $CIVIC_DB, else ./civic.db)." in out


# Click's error words that a civic command can reach, in Chinese; a number type's name, which
# click fills in untranslated, is put through the catalog too.
@pytest.mark.parametrize(("message", "kwargs", "expected"), [
    ("{value!r} is not a valid {number_type}.", {"value": "x", "number_type": "float"},
     "'x' 不是有效的小数。"),
    ("{value} is not in the range {range}.", {"value": 0, "range": "x>=1"},
     "0 不在范围 x>=1 之内。"),
    ("Repeat for confirmation", {}, "请再输入一次以确认"),
    ("Error: The two entered values do not match.", {}, "错误：两次输入不一致。"),
    ("Aborted!", {}, "已中止。"),
    ("Show the version and exit.", {}, "显示版本号并退出。"),
])
def test_clicks_texts_in_chinese(message, kwargs, expected):
    set_language("zh_CN")
    try:
        assert click_texts.click_gettext(message).format(**kwargs) == expected
    finally:
        set_language("en")


@pytest.mark.parametrize(("message", "expected"), [
    ("缺少参数 'NUMBER'.", "缺少参数 'NUMBER'。"),
    ("没有此命令：'lis'。 是否要输入 'list'？", "没有此命令：'lis'。是否要输入 'list'？"),
    ("Missing argument 'NUMBER'.", "Missing argument 'NUMBER'."),  # English is left alone
    ("值无效：...", "值无效：..."),  # an ellipsis is not a full stop
])
def test_chinese_punctuation(message, expected):
    assert chinese_punctuation(message) == expected


def _clicks_msgids() -> set[str]:
    extract = pytest.importorskip("babel.messages.extract")
    found = set()
    for _f, _l, message, _c, _x in extract.extract_from_dir(
        str(Path(click.__file__).parent), method_map=[("**.py", "python")],
        keywords={"_": None, "ngettext": (1, 2)},
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


# Click's texts no civic user can reach (see civic.cli.click_texts): Windows, the editor, the
# pager, colours, streams, shell completion, and a plugin author's mistakes in declaring.
UNREACHABLE = {
    "d", "{editor}: Editing failed", "{editor}: Editing failed: {e}", "Windows error: {error}",
    "Name '{name}' defined twice",
    "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Could not determine name for option with declarations {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument "
    "instead? Did you mean to pass '--{name}'?",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Shell completion is not supported for Bash versions older than 4.4.",
    "Couldn't detect Bash version, shell completion is not supported.",
    "Unknown color {colour!r}", "Press any key to continue...", "Unknown standard stream '{name}'",
}


def test_every_text_click_can_show_is_named():
    """A click upgrade that adds or rewords a text fails here, not in front of a user."""
    named = {*click_texts.HELP, *click_texts.ERRORS, *click_texts.TYPES, *click_texts.PROMPTS,
             *(singular for singular, _plural in click_texts.PLURALS)}
    # (and the words click writes without gettext: USAGE, METAVARS, put through the catalog by
    # civic's formatter)
    assert _clicks_msgids() - UNREACHABLE - named == set()


def _arguments(command: click.Command, path: str = "civic"):
    for param in command.params:
        if isinstance(param, click.Argument):
            yield path, param
    for name, sub in getattr(command, "commands", {}).items():
        yield from _arguments(sub, f"{path} {name}")


def test_every_arguments_placeholder_is_named_for_the_catalog():
    """A command's argument shows its word in the usage line and in "Missing argument": a new
    argument whose word civic.cli.click_texts does not name would show English in Chinese."""
    from civic.cli.main import build_cli

    ctx = click.Context(click.Command("civic"))
    unnamed = set()
    for path, param in _arguments(build_cli()):
        if param.type.get_metavar(param=param, ctx=ctx):
            continue  # a choice's values: the type writes the placeholder
        word = param.metavar if param.metavar is not None else (param.name or "").upper()
        if word not in click_texts.ARGUMENTS:
            unnamed.add(f"{path}: {word}")
    assert unnamed == set()


@pytest.mark.parametrize(("args", "zh", "en"), [
    (("placement", "draw", "--help"), "用法：civic placement draw [选项] 批次编号 [编号=抽签号]...",
     "Usage: civic placement draw [OPTIONS] BATCH_ID [OFFICER=NUMBER]..."),
    (("backup", "--help"), "用法：civic backup [选项] 目标文件",
     "Usage: civic backup [OPTIONS] DEST"),
    (("nomination", "revote", "--help"), "用法：civic nomination revote [选项] 编号 编号=票数...",
     "Usage: civic nomination revote [OPTIONS] ID CODE=VOTES..."),
])
def test_argument_placeholders_in_the_readers_language(tmp_path, args, zh, en):
    for lang, expected in (("zh_CN", zh), ("en", en)):
        assert _civic(*args, lang=lang, db=tmp_path / "none.db").stdout.splitlines()[0] \
            == expected
