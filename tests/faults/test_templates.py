"""User templates, tested from the outside: no way into Python, no runaway, clean failures.

An office edits its notice templates (CIVIC_TEMPLATES / --templates). Whatever they write,
rendering must either produce the notice or fail with a NoticeTemplateError (a CivicError the
CLI prints in one line): never reach Python internals, never run for minutes or fill memory,
never end in a traceback. The runaway cases run in a child process with a memory cap and a
timeout, so a regression fails its test instead of taking the test run down with it.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from civic.templating import NoticeTemplateError, render_string

ESCAPES = {
    "class": "{{ ''.__class__ }}",
    "attr-filter": "{{ ''|attr('__class__') }}",
    "mro": "{{ (''|attr('__class__'))|attr('__mro__') }}",
    "subclasses": "{{ {}.__class__.__subclasses__() }}",
    "cycler-globals": "{{ cycler.__init__.__globals__ }}",
    "lipsum-globals": "{{ lipsum.__globals__ }}",
    "namespace-init": "{{ namespace.__init__.__globals__ }}",
    "format-attr": "{{ '{0.__class__}'.format('') }}",
    "format-map": "{{ '{x.__class__}'.format_map({'x': ''}) }}",
    "self-context": "{{ self._TemplateReference__context }}",
    "loop-internals": "{% for x in [1] %}{{ loop.__class__ }}{% endfor %}",
    "func-code": "{{ range.__code__ }}",
    "getattr-dunder": "{{ ''['__class__'] }}",
    "mutate-list": "{% set l = [1] %}{{ l.append(2) }}",
    "mutate-dict": "{% set d = {} %}{{ d.update({'a': 1}) }}",
}


@pytest.mark.parametrize("source", ESCAPES.values(), ids=ESCAPES.keys())
def test_no_way_into_python(source):
    with pytest.raises(NoticeTemplateError):
        render_string(None, source, {})


RUNAWAY = {
    "repeat": "{{ 'a'*10**8 }}",
    "repeat-list": "{{ ([1]*10**8)|length }}",
    "power": "{{ 10**(10**8) }}",
    "range": "{% for i in range(10**8) %}x{% endfor %}",
    "nested-loops": "{% for i in range(10000) %}{% for j in range(10000) %}x{% endfor %}"
                    "{% endfor %}",
    "center": "{{ 'a'|center(10**9) }}",
    "indent": "{{ ('a\n'*1000)|indent(10**6) }}",
    "percent-width": "{{ '%999999999s' % 'a' }}",
    "brace-width": "{{ '{:>999999999}'.format('a') }}",
    "str-method": "{{ 'a'.ljust(10**9) }}",
    "replace-blowup": "{{ ('a'*10000).replace('a', 'a'*10000) }}",
    "output": "{% for i in range(10000) %}{{ 'x'*100000 }}{% endfor %}",
    # Joining: `~` and `+` on strings, join's separator (100,000,000 characters each).
    "concat-tilde": "{% set a = 'a'*100000 %}{% set b = a~a~a~a~a~a~a~a~a~a %}"
                    "{% set c = b~b~b~b~b~b~b~b~b~b %}{% set d = c~c~c~c~c~c~c~c~c~c %}"
                    "{{ d|length }}",
    "concat-plus": "{% set ns = namespace(s='a'*100000) %}{% for i in range(30) %}"
                   "{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}",
    "list-plus": "{% set ns = namespace(l=[1]*100000) %}{% for i in range(30) %}"
                 "{% set ns.l = ns.l + ns.l %}{% endfor %}{{ ns.l|length }}",
    "join-separator": "{{ range(10000)|map('string')|join('b'*9999)|length }}",
    "join-method": "{{ ('b'*9999).join(range(10000)|map('string'))|length }}",
    "sum-lists": "{{ ([[1]*100000]*100000)|sum(start=[])|length }}",
    "translate": "{{ ('a'*100000).translate({97: 'b'*100000})|length }}",
    # Numbers squared again and again double in size like strings.
    "square": "{% set ns = namespace(x=2**60) %}{% for i in range(40) %}"
              "{% set ns.x = ns.x * ns.x %}{% endfor %}{{ ns.x > 0 }}",
    # Filters and globals whose arguments multiply what they build.
    "wordwrap": "{{ ('a '*50000)|wordwrap(1, wrapstring='b'*50000)|length }}",
    "batch-fill": "{{ [1]|batch(10**8, 'x')|list|length }}",
    "slice": "{{ [1]|slice(10**8)|list|length }}",
    "urlize-target": "{{ ('http://a.co '*8000)|urlize(target='x'*50000)|length }}",
    "tojson-indent": "{{ ([1]*1000)|tojson(indent=10**8)|length }}",
    "forceescape-chain": "{% set s = '&'*100000 %}"
                         "{{ s|forceescape|forceescape|forceescape|forceescape|length }}",
    "lipsum": "{{ lipsum(10**6)|length }}",
    # A filter that takes seconds on a big list, in a silent loop too short to be charged
    # before it ends: no check of the clock runs inside a filter, so only a hard deadline (a
    # process killed at it) stops this (it ran for most of an hour).
    "filter-in-loop": "{% set l = [1]*100000 %}{% for i in range(1000) %}"
                      "{% set x = l|groupby('real')|list %}{% endfor %}done",
    # Loops that print nothing and call nothing: counted all the same.
    "silent-loops": "{% set s = 'x'*100000 %}{% for a in s %}{% for b in s %}{% endfor %}"
                    "{% endfor %}done",
}

# Python's own errors inside a template (they reached the CLI as tracebacks): a refusal that
# names the template and the line, as (source, line).
PYTHON_ERRORS = {
    "recursive-macro": ("{% macro f(n) %}\n{{ f(n) }}{% endmacro %}{{ f(1) }}", 2),
    "type-error": ("\n\n{{ 1|join('') }}", 3),
    "zero-division": ("\n{{ 1 / 0 }}", 2),
    "bad-index": ("{{ [1][5] }}", 1),
}

CHILD = r"""
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GB: a runaway dies here
from civic.templating import NoticeTemplateError, render_string
try:
    out = render_string(None, sys.argv[1], {})
    print(json.dumps({"result": "rendered", "size": len(out)}))
except NoticeTemplateError as exc:
    print(json.dumps({"result": "refused", "message": str(exc)}))
except BaseException as exc:
    print(json.dumps({"result": "escaped", "error": type(exc).__name__}))
"""


def _render_in_child(source: str) -> dict:
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, source], capture_output=True,
                              text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return {"result": "timeout"}
    lines = done.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {"result": "crashed", "stderr": done.stderr[-300:]}


@pytest.mark.parametrize("source", RUNAWAY.values(), ids=RUNAWAY.keys())
def test_runaway_is_refused(source):
    outcome = _render_in_child(source)
    assert outcome["result"] == "refused", outcome
    assert "Template" in outcome["message"]


@pytest.mark.parametrize(("source", "line"), PYTHON_ERRORS.values(), ids=PYTHON_ERRORS.keys())
def test_python_errors_are_refused_with_the_line(source, line):
    outcome = _render_in_child(source)
    assert outcome["result"] == "refused", outcome
    assert f"Template <string>, line {line}:" in outcome["message"], outcome


def _draft_notice(run_cli, tmp_path) -> None:
    """Notice 1, drafted from a one-line body, for the CLI tests to render."""
    body = tmp_path / "body.md"
    body.write_text("正文\n", encoding="utf-8")
    made = run_cli("notice", "draft", "--subject", "person:X", "--title", "T",
                   "--body-file", str(body))
    assert made.exit_code == 0, made.output


def test_a_bad_override_template_fails_cleanly_at_the_cli(run_cli, tmp_path, monkeypatch):
    """An office's override of the notice template that reaches for internals: the CLI says
    which template and why, exits 1, prints no traceback."""
    _draft_notice(run_cli, tmp_path)
    folder = tmp_path / "templates"
    folder.mkdir()
    for lang in ("zh_CN", "en"):
        (folder / f"notice.{lang}.j2").write_text("{{ ''.__class__.__mro__ }}\n",
                                                   encoding="utf-8")
    result = run_cli("notice", "render", "1", "--templates", str(folder))
    assert result.exit_code == 1, result.output
    assert "unsafe" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("source", ["{% macro f(n) %}\n{{ f(n) }}{% endmacro %}{{ f(1) }}\n",
                                    "\n{{ 1|join('') }}\n"], ids=["recursion", "type-error"])
def test_a_python_error_in_an_override_fails_cleanly_at_the_cli(run_cli, tmp_path, source):
    """Python's own errors in an office's template: the file and line, exit 1, no traceback."""
    _draft_notice(run_cli, tmp_path)
    folder = tmp_path / "templates"
    folder.mkdir()
    for lang in ("zh_CN", "en"):
        (folder / f"notice.{lang}.j2").write_text(source, encoding="utf-8")
    result = run_cli("notice", "render", "1", "--templates", str(folder))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert f"{folder / 'notice.'}" in result.output and ", line 2:" in result.output


def test_a_runaway_filter_in_an_override_is_stopped_at_the_deadline(run_cli, tmp_path):
    """The office's override folder is rendered where the deadline is hard: a filter that
    runs on and on inside a silent loop is stopped, and the CLI says so in one line."""
    _draft_notice(run_cli, tmp_path)
    folder = tmp_path / "templates"
    folder.mkdir()
    for lang in ("zh_CN", "en"):
        (folder / f"notice.{lang}.j2").write_text(RUNAWAY["filter-in-loop"] + "\n",
                                                   encoding="utf-8")
    result = run_cli("notice", "render", "1", "--templates", str(folder))
    assert result.exit_code == 1, result.output
    assert "ran longer than" in result.output and "Traceback" not in result.output
    assert result.output.count("Error:") == 1


def test_a_shipped_template_renders_in_process(run_cli, tmp_path, monkeypatch):
    """civic's own templates keep the fast path: no child process per notice."""
    import os

    def no_fork():
        raise AssertionError("a shipped template was rendered in a child process")

    _draft_notice(run_cli, tmp_path)
    monkeypatch.setattr(os, "fork", no_fork)
    result = run_cli("notice", "render", "1")
    assert result.exit_code == 0, result.output
    assert "正文" in result.output
