"""The demo's evaluation (Kunming, 2008), from the report (DOMAIN.md):

- the 14 counties (县/市/区) of 2008 under the county framework, 4 categories weighted
  35/25/20/20; their indicator values drawn around a fixed standing per county, one county
  missing one indicator (its siblings' weights rescaled);
- an opinion survey of 3,019 people whose index is each county's public-evaluation indicator;
- 4,820 democratic rating forms (民主测评) grading the 14 county teams, by rater category, on
  the core ballot model;
- one veto gate fired (a major safety accident: no top grade), and the 2007 edition's 15% quota
  applied to the top grade (2 of 14 by 四舍五入);
- the four pilot units (石林县, 市级机关工委, 市农业局, 市规划局) under the city framework, their
  teams rated on forms with a grade for each of 德、能、勤、绩、廉 (per-dimension rates).

The data go in as files through the same imports an office uses; every figure shown is counted
from them (`civic evaluation run`, `grades`), never written down. The values are the demo's
own: the report gives the method, not the counties' statistics.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
from pathlib import Path
from typing import Any

# (code, name, standing 0..1): the order a plausible 2008 ranking might take; demo values.
COUNTIES = (
    ("KM-GD", "官渡区", 0.97), ("KM-WH", "五华区", 0.92), ("KM-PL", "盘龙区", 0.90),
    ("KM-XS", "西山区", 0.93), ("KM-AN", "安宁市", 0.80), ("KM-CG", "呈贡县", 0.70),
    ("KM-YL", "宜良县", 0.60), ("KM-JN", "晋宁县", 0.58), ("KM-SM", "嵩明县", 0.55),
    ("KM-SL", "石林县", 0.52), ("KM-FM", "富民县", 0.45), ("KM-DC", "东川区", 0.35),
    ("KM-XD", "寻甸县", 0.30), ("KM-LQ", "禄劝县", 0.25),
)
PILOTS = (("P-SL", "石林县", 0.7), ("P-JGGW", "市级机关工委", 0.8), ("P-NYJ", "市农业局", 0.6),
          ("P-GHJ", "市规划局", 0.75))
SURVEYED = 3019  # the report: polls of 3,019 people
# The report's 4,820 democratic rating forms, by rater category (the split is the demo's).
FORMS = {"leaders": 820, "cadres": 2000, "public": 2000}
TOP_PER_FORM = 3  # 15% of 14 ratees, rounded up: the rating pack's limit per form
ALIKE_FORMS = 4  # per rater category, forms grading every team alike (invalid)
# The pilot units' rating forms by rater category (the demo's numbers), graded per dimension.
PILOT_FORMS = {"leaders": 30, "cadres": 90, "public": 90}
PILOT_ALIKE = 2  # per rater category, forms grading all four teams alike in one dimension
PILOT_UNKEYED = 5  # per rater category, forms returned but left to key at the terminal
# How each dimension leans from a pilot team's standing (the demo's), so the rates differ.
DIMENSION_LEAN = {"de": 0.10, "neng": 0.0, "qin": 0.05, "ji": -0.05, "lian": 0.08}
CHANNELS = ("座谈会", "入户调查", "问卷调查", "政府网站评议")
GATE_FIRED = ("KM-XS", "SAFETY", "年内发生重大安全生产责任事故（演示数据）")
MISSING = ("KM-DC", "RES5")  # one value not reported: the rest of RES rescaled
# A plausible range for each indicator's raw values (the demo's, not the report's).
RANGE = (10.0, 100.0)
DUE = dt.date(2009, 1, 31)  # results due by the end of January (the demo's choice)
LEAN = 0.3  # how far a county's standing in one category may differ from its overall one


def _value(rng: random.Random, standing: float, direction: str) -> float:
    level = min(1.0, max(0.0, standing + rng.uniform(-0.12, 0.12)))
    if direction == "lower":
        level = 1 - level
    low, high = RANGE
    return round(low + (high - low) * level, 2)


def _write(folder: Path, name: str, header: list[str], rows: list[list[Any]]) -> Path:
    path = folder / name
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def add_demo_data(office, rng: random.Random) -> None:
    from civic.plugins.evaluation import actions, rules

    county = rules.pack("kunming-county-2008")
    city = rules.pack("kunming-city-2008")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        actions.import_framework(office, "kunming-county-2008")
        actions.import_framework(office, "kunming-city-2008")
        number = actions.create(office, "kunming-county-2008", 2008,
                                "2008年度县（市）区领导班子综合考核评价", edition="2007",
                                due=DUE)
        public = "LIV5"  # fed by the survey below
        codes = [i.code for i in county.indicators if i.code != public]
        rows = []
        for code, name, standing in COUNTIES:
            row: list[Any] = [code, name]
            # Each county's strengths differ by category (an industrial district strong on the
            # economy, weak on the environment), so the weights matter to its rank.
            lean = {c.code: rng.uniform(-LEAN, LEAN) for c in county.categories}
            for cat in county.categories:
                for ind in cat.indicators:
                    if ind.code == public:
                        continue
                    missing = (code, ind.code) == MISSING
                    row.append("" if missing else _value(rng, standing + lean[cat.code],
                                                         ind.direction))
            row += [GATE_FIRED[2] if (code, g.code) == GATE_FIRED[:2] else ""
                    for g in county.gates]
            rows.append(row)
        actions.import_data(office, number, _write(
            folder, "2008年县区考核数据.csv",
            ["单位编码", "单位名称", *codes, *(g.code for g in county.gates)], rows))
        # The survey: 3,019 respondents spread over the counties and the four channels, each
        # answering the three questions 1..5 around the county's standing.
        responses = []
        for n in range(SURVEYED):
            code, _name, standing = COUNTIES[n % len(COUNTIES)]
            channel = CHANNELS[rng.randrange(len(CHANNELS))]
            answers = [min(5, max(1, round(1 + 4 * standing + rng.uniform(-1.2, 1.2))))
                       for _q in rules.SURVEY_INDICES]
            responses.append([code, channel, *answers])
        actions.import_survey(office, number, _write(
            folder, "2008年民意调查.csv", ["单位编码", "渠道", "幸福感", "满意度", "安全感"],
            responses), public)
        actions.run(office, number)
        _rating_forms(office, rng, number, folder)

        pilot = actions.create(office, "kunming-city-2008", 2008,
                               "2008年试点单位科学发展综合考核评价", edition="2007", due=DUE)
        rows = [[code, name, *(_value(rng, standing, i.direction) for i in city.indicators)]
                for code, name, standing in PILOTS]
        actions.import_data(office, pilot, _write(
            folder, "2008年试点单位考核数据.csv",
            ["单位编码", "单位名称", *(i.code for i in city.indicators)], rows))
        actions.run(office, pilot)
        _pilot_rating_forms(office, rng, pilot, folder)


def _rating_forms(office, rng: random.Random, number: int, folder: Path) -> None:
    """Every form grades each county team on the one dimension, around its standing, within
    the form's limit of top grades; a few forms grade everyone alike and are invalid."""
    from civic.plugins.evaluation import actions
    from civic.tally import ANNUAL_GRADES

    actions.declare_rating(office, number, dict(FORMS))
    rows = []
    form = 0
    # 67,480 grades: the draws as `rng.uniform(-1.0, 1.0)` makes them (-1.0 + 2.0 * random()),
    # around each team's centre worked out once.
    random_ = rng.random
    centres = [3 * (1 - standing) for _code, _name, standing in COUNTIES]
    codes = [code for code, _name, _s in COUNTIES]
    by_standing = sorted(range(len(COUNTIES)), key=lambda i: -COUNTIES[i][2])
    for category, count in FORMS.items():
        for n in range(count):
            form += 1
            picks = [min(3, max(0, round(centre + (-1.0 + 2.0 * random_()))))
                     for centre in centres]
            if picks.count(0) > TOP_PER_FORM:
                for i in [i for i in by_standing if picks[i] == 0][TOP_PER_FORM:]:
                    picks[i] = 1  # the rater keeps to the form's limit
            if n < ALIKE_FORMS:
                picks = [1] * len(COUNTIES)  # everyone 称职: invalid
            rows += [[form, category, "overall", code, ANNUAL_GRADES[p]]
                     for code, p in zip(codes, picks, strict=True)]
        actions.rating_figures(office, number, category, count, count, count)
    actions.import_forms(office, number, _write(
        folder, "2008年民主测评表.csv", ["表号", "测评类别", "测评项目", "被测评人", "等次"], rows))


def _pilot_rating_forms(office, rng: random.Random, number: int, folder: Path) -> None:
    """The pilot teams rated per dimension (德、能、勤、绩、廉): each form grades the four teams in
    every dimension around the team's standing and the dimension's lean, one 优秀 at most (the
    form's limit: 15% of 4, rounded up); a few forms grade all four alike in 绩 (invalid). A
    few forms per category are returned but not entered: left for keying at the terminal."""
    from civic.plugins.evaluation import actions
    from civic.tally import ANNUAL_GRADES

    pack = "rating-2008-dimensions"
    actions.declare_rating(office, number, {c: n + PILOT_UNKEYED
                                            for c, n in PILOT_FORMS.items()}, pack)
    rows = []
    form = 0
    for category, count in PILOT_FORMS.items():
        for n in range(count):
            form += 1
            for dimension, lean in DIMENSION_LEAN.items():
                picks = [min(3, max(0, round(3 * (1 - standing - lean)
                                             + rng.uniform(-1.0, 1.0))))
                         for _code, _name, standing in PILOTS]
                best = sorted((i for i, p in enumerate(picks) if p == 0),
                              key=lambda i: -PILOTS[i][2])
                for i in best[1:]:
                    picks[i] = 1  # the rater keeps to the form's limit
                if n < PILOT_ALIKE and dimension == "ji":
                    picks = [1] * len(PILOTS)  # all four 称职: invalid
                elif len(set(picks)) == 1:
                    low = min(range(len(PILOTS)), key=lambda i: PILOTS[i][2])
                    picks[low] = picks[low] + 1 if picks[low] < 3 else 2
                rows += [[form, category, dimension, code, ANNUAL_GRADES[p]]
                         for (code, _name, _s), p in zip(PILOTS, picks, strict=True)]
        returned = count + PILOT_UNKEYED  # a few paper forms still to key (k at the terminal)
        actions.rating_figures(office, number, category, returned, returned, returned)
    actions.import_forms(office, number, _write(
        folder, "2008年试点单位民主测评表.csv", ["表号", "测评类别", "测评项目", "被测评人", "等次"],
        rows))
