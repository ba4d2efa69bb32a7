"""Rendering 1,000 public notices in civic's sandbox (limits, StrictUndefined, tidy text)
against the same template, filters and data in a plain Jinja2 Environment."""

from __future__ import annotations

import random
from pathlib import Path

import jinja2

from bench.harness import Figure, interleaved, median

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "建华明丽强伟芳军洋勇艳杰娟涛超秀英"


def contexts(count: int, seed: int = 2008) -> list[dict]:
    """Notices like the open round's result: a top-5 table per post, an intro, a period."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        rows = [[f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(GIVEN)}",
                 rng.choice("男女"), f"19{rng.randint(55, 75)}.{rng.randint(1, 12):02d}",
                 "市财政局副局长", str(rng.randint(20, 200))] for _ in range(5)]
        out.append({
            "intro": f"根据两轮推荐提名工作安排，现将第{i + 1}批职位海推得票前五名人选予以公示。",
            "table": {"columns": ["姓名", "性别", "出生年月", "现任职务", "得票"], "rows": rows},
            "body": None,
            "title": f"关于第{i + 1}批推荐人选的公示",
            "office": {"name": "中共昆明市委组织部", "address": "昆明市东风西路", "postcode":
                       "650031", "phone": "0871-12380", "mailbox": "", "website": "12380"},
            "notice": {"id": i + 1, "kind": "nomination.round1", "subject": f"round:{i}",
                       "status": "published", "published_on": "2008-07-10",
                       "ends_on": "2008-07-17", "period_days": 5, "chain_entry": 100 + i,
                       "chain_head": f"{i:064x}"},
        })
    return out


def plain_environment(civic_env: jinja2.Environment) -> jinja2.Environment:
    """The same loader, options, filters and globals, without the sandbox."""
    from civic.templating import core_template_dir

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(core_template_dir()),
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(civic_env.filters)
    env.globals.update(civic_env.globals)
    return env


def figures(work: Path, quick: bool) -> list[Figure]:
    from civic import templating
    from civic.pm import make_plugin_manager

    count, runs = 1000, 5 if quick else 9
    pm = make_plugin_manager()
    data = contexts(count)
    sandboxed = templating.environment(pm, "md")
    plain = plain_environment(sandboxed)

    def civic_render() -> None:
        for context in data:
            templating.render_document(pm, "notice", "zh_CN", "md", context)

    def plain_render() -> None:
        template = plain.get_template("notice.zh_CN.j2")
        for context in data:
            kit = plain.get_template("format/md.j2").make_module({"lang": "zh_CN", "fmt": "md"})
            template.render({**context, "lang": "zh_CN", "fmt": "md", "kit": kit})

    civic_render(), plain_render()  # compile both once, outside the timing
    times = interleaved(runs, baseline=plain_render, civic=civic_render)
    return [Figure(f"render {count:,} notices (sandboxed)", median(times["civic"]), "s", 2.5,
                   median(times["baseline"]), runs, samples=times)]
