"""The Kunming city office of 2008 as units and positions (with qualification conditions).

Titles follow the report and the usual forms (西山区委书记, 市财政局局长). Which posts fell
vacant in 2008 is the office's history (civic.demo.plan.VACATED); what a mechanism then does
with them (the July 2008 nomination's posts and conditions) is that plugin's demo data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

CITY = "KM"

# (code, name, admin division code, kind) for the 14 counties and districts of 2008.
COUNTIES: tuple[tuple[str, str, str, str], ...] = (
    ("KM-WH", "五华区", "530102", "district"), ("KM-PL", "盘龙区", "530103", "district"),
    ("KM-GD", "官渡区", "530111", "district"), ("KM-XS", "西山区", "530112", "district"),
    ("KM-DC", "东川区", "530113", "district"), ("KM-CG", "呈贡县", "530121", "county"),
    ("KM-JN", "晋宁县", "530122", "county"), ("KM-FM", "富民县", "530124", "county"),
    ("KM-YL", "宜良县", "530125", "county"), ("KM-SL", "石林彝族自治县", "530126", "county"),
    ("KM-SM", "嵩明县", "530127", "county"),
    ("KM-LQ", "禄劝彝族苗族自治县", "530128", "county"),
    ("KM-XD", "寻甸回族彝族自治县", "530129", "county"), ("KM-AN", "安宁市", "530181", "county"),
)

LEADER_RANKS = ("deputy_division", "division", "deputy_bureau", "bureau")
# Conditions for a new appointment, by the post's rank: (min rank, years at it, max age,
# min education). 选拔任用条例 art. 9: two years as deputy before a full post, three years
# as a lower full post before an upper deputy post; the age limits are the office's usual.
CONDITIONS: dict[str, tuple[str | None, float | None, int, str]] = {
    "bureau": ("deputy_bureau", 2, 58, "bachelor"),
    "deputy_bureau": ("division", 3, 55, "bachelor"),
    "division": ("deputy_division", 2, 52, "bachelor"),
    "deputy_division": ("section", 3, 45, "bachelor"),
    "section": ("deputy_section", 2, 45, "college"),
    "deputy_section": ("clerk", 3, 40, "college"),
    "clerk": (None, None, 35, "college"),
}
PARTY_UNITS = ("city", "party", "discipline", "district", "county")
# Autonomous counties: their head of government is of the peoples exercising autonomy.
AUTONOMOUS = {"KM-SL": ("彝族",), "KM-LQ": ("彝族", "苗族"), "KM-XD": ("回族", "彝族")}
AUTONOMOUS_NOTE = "由实行区域自治的民族的公民担任(民族区域自治法第十七条)"


@dataclass(frozen=True)
class Post:
    """A position in a unit: `key` names its role, `title` is appended to the unit's prefix."""

    key: str
    title: str
    rank: str
    headcount: int = 1
    party: bool | None = None  # None: decided by the rank and the unit's kind
    notes: str | None = None


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    parent: str | None
    kind: str
    prefix: str  # what position titles start with, e.g. 市财政局 or 西山区
    county: str | None  # the county or district it belongs to (None: city level)
    region: str  # admin division code, for resident ID numbers
    posts: tuple[Post, ...]


def _department(head: str, deputies: int = 3, sections: int = 3, clerks: int = 4,
                rank: str = "division") -> tuple[Post, ...]:
    """A city department: head, deputies, division chiefs (处长, 正科) and staff."""
    lower = {"division": "deputy_division", "deputy_division": "section"}[rank]
    return (Post("head", head, rank), Post("deputy", "副" + head, lower, deputies),
            Post("chief", "处长", "section", sections),
            Post("deputy_chief", "副处长", "deputy_section", sections),
            Post("clerk", "科员", "clerk", clerks))


CITY_PARTY_DEPTS = (
    ("SWB", "中共昆明市委办公厅", "市委办公厅", "主任"),
    ("ZZB", "中共昆明市委组织部", "市委组织部", "部长"),
    ("XCB", "中共昆明市委宣传部", "市委宣传部", "部长"),
    ("TZB", "中共昆明市委统战部", "市委统战部", "部长"),
    ("ZFW", "中共昆明市委政法委员会", "市委政法委", "书记"),
)
CITY_GOV_DEPTS = (
    ("ZFB", "昆明市人民政府办公厅", "市政府办公厅", "主任"),
    ("FGW", "昆明市发展和改革委员会", "市发展和改革委员会", "主任"),
    ("JYJ", "昆明市教育局", "市教育局", "局长"),
    ("CZJ", "昆明市财政局", "市财政局", "局长"),
    ("WSJ", "昆明市卫生局", "市卫生局", "局长"),
    ("GHJ", "昆明市规划局", "市规划局", "局长"),
    ("GZW", "昆明市人民政府国有资产监督管理委员会", "市国资委", "主任"),
    ("GAJ", "昆明市公安局", "市公安局", "局长"),
    ("MZJ", "昆明市民政局", "市民政局", "局长"),
    ("RSJ", "昆明市人事局", "市人事局", "局长"),
    ("LDJ", "昆明市劳动和社会保障局", "市劳动和社会保障局", "局长"),
    ("JSJ", "昆明市建设局", "市建设局", "局长"),
    ("JTJ", "昆明市交通局", "市交通局", "局长"),
    ("NYJ", "昆明市农业局", "市农业局", "局长"),
    ("SLJ", "昆明市水利局", "市水利局", "局长"),
    ("HBJ", "昆明市环境保护局", "市环保局", "局长"),
    ("SWJ", "昆明市商务局", "市商务局", "局长"),
    ("LYJ", "昆明市旅游局", "市旅游局", "局长"),
    ("TJJ", "昆明市统计局", "市统计局", "局长"),
    ("SJJ", "昆明市审计局", "市审计局", "局长"),
    ("DCJ", "昆明市滇池管理局", "市滇池管理局", "局长"),
    ("ZJJ", "昆明市宗教事务局", "市宗教局", "局长"),
)
# The 13 schools and kindergartens of the education bureau whose heads were elected in 2008.
CITY_SCHOOLS = ("昆明市第一中学", "昆明市第三中学", "昆明市第八中学", "昆明市第十中学",
                "昆明市第十二中学", "昆明市第十四中学", "昆明市第二十四中学", "昆明市第三十中学",
                "昆明市第一职业中等专业学校", "昆明市盲哑学校", "昆明市实验幼儿园",
                "昆明市第一幼儿园", "昆明市第二幼儿园")
CITY_HOSPITALS = ("昆明市第一人民医院", "昆明市中医医院", "昆明市儿童医院")
# The six state enterprises whose heads the city selected openly in 2008.
CITY_ENTERPRISES = ("昆明市自来水集团有限公司", "昆明公交集团有限责任公司",
                    "昆明城市建设投资开发有限责任公司", "昆明产业开发投资有限责任公司",
                    "昆明市交通投资有限责任公司", "昆明市土地开发投资经营有限责任公司")


def school_posts(name: str) -> tuple[Post, ...]:
    head = "园长" if name.endswith("幼儿园") else "校长"
    return (Post("head", head, "deputy_division", party=False),
            Post("secretary", "党组织书记", "deputy_division", party=True),
            Post("deputy", "副" + head, "section", 2))


HOSPITAL_POSTS = (Post("head", "院长", "deputy_division", party=False),
                  Post("secretary", "党委书记", "deputy_division", party=True),
                  Post("deputy", "副院长", "section", 2))
ENTERPRISE_POSTS = (Post("chair", "董事长", "division"),
                    Post("head", "总经理", "division", party=False),
                    Post("deputy", "副总经理", "deputy_division", 2, party=False),
                    Post("manager", "部门经理", "section", 2, party=False))


def city_units() -> list[Unit]:
    def unit(code, name, parent, kind, prefix, posts):
        return Unit(code, name, parent, kind, prefix, None, "530100", tuple(posts))

    out = [
        unit(CITY, "昆明市", None, "city", "昆明市", ()),
        unit("KM-SW", "中共昆明市委员会", CITY, "party", "市委", (
            Post("head", "书记", "bureau"), Post("deputy", "副书记", "deputy_bureau"),
            Post("member", "常委", "deputy_bureau", 4))),
        unit("KM-GOV", "昆明市人民政府", CITY, "government", "", (
            Post("head", "市长", "bureau"), Post("first_deputy", "常务副市长", "deputy_bureau"),
            Post("deputy", "副市长", "deputy_bureau", 5),
            Post("secretary_general", "市政府秘书长", "division"),
            Post("deputy_secretary_general", "市政府副秘书长", "deputy_division", 4))),
        unit("KM-RD", "昆明市人大常委会", CITY, "congress", "市人大常委会", (
            Post("head", "主任", "bureau"), Post("deputy", "副主任", "deputy_bureau", 5, False),
            Post("secretary_general", "秘书长", "division"),
            Post("chief", "工作机构负责人", "section", 3), Post("clerk", "科员", "clerk", 4))),
        unit("KM-ZX", "政协昆明市委员会", CITY, "cppcc", "市政协", (
            Post("head", "主席", "bureau"), Post("deputy", "副主席", "deputy_bureau", 5, False),
            Post("secretary_general", "秘书长", "division"),
            Post("chief", "工作机构负责人", "section", 3), Post("clerk", "科员", "clerk", 4))),
        unit("KM-JW", "中共昆明市纪律检查委员会", CITY, "discipline", "市纪委", (
            Post("head", "书记", "deputy_bureau"), Post("deputy", "副书记", "division", 3),
            Post("member", "常委", "deputy_division", 4),
            Post("chief", "室主任", "section", 6),
            Post("deputy_chief", "室副主任", "deputy_section", 6),
            Post("clerk", "科员", "clerk", 8))),
        unit("KM-TSW", "共青团昆明市委员会", CITY, "mass_org", "团市委", (
            Post("head", "书记", "division"), Post("deputy", "副书记", "deputy_division", 2),
            Post("clerk", "科员", "clerk", 3))),
    ]
    for suffix, name, prefix, head in CITY_PARTY_DEPTS:
        rank = "deputy_bureau" if suffix in ("ZZB", "XCB", "ZFW") else "division"
        posts = _department(head, rank="division") if rank == "division" else (
            Post("head", head, rank), Post("first_deputy", "常务副" + head, "division"),
            *_department(head)[1:])
        out.append(unit(f"KM-{suffix}", name, "KM-SW", "party", prefix, posts))
    for suffix, name, prefix, head in CITY_GOV_DEPTS:
        out.append(unit(f"KM-{suffix}", name, "KM-GOV", "department", prefix,
                        _department(head)))
    for i, name in enumerate(CITY_SCHOOLS, 1):
        out.append(unit(f"KM-JYJ-S{i:02d}", name, "KM-JYJ", "school", name,
                        school_posts(name)))
    for i, name in enumerate(CITY_HOSPITALS, 1):
        out.append(unit(f"KM-WSJ-H{i:02d}", name, "KM-WSJ", "hospital", name, HOSPITAL_POSTS))
    for i, name in enumerate(CITY_ENTERPRISES, 1):
        out.append(unit(f"KM-GZW-E{i:02d}", name, "KM-GZW", "enterprise", name,
                        ENTERPRISE_POSTS))
    return out


# County departments: (code suffix, name, head's rank). 公安 is led at 副县级.
COUNTY_DEPTS = (
    ("FGJ", "发展和改革局", "section"), ("CZJ", "财政局", "section"),
    ("JYJ", "教育局", "section"), ("WSJ", "卫生局", "section"), ("MZJ", "民政局", "section"),
    ("RSJ", "人事局", "section"), ("JSJ", "建设局", "section"), ("NYJ", "农业局", "section"),
    ("GAJ", "公安局", "deputy_division"), ("SJJ", "审计局", "section"),
)


def _office(head: str = "主任") -> tuple[Post, ...]:
    return (Post("head", head, "section"), Post("deputy", "副" + head, "deputy_section", 2),
            Post("clerk", "科员", "clerk", 3))


def county_units(code: str, name: str, region: str, kind: str) -> list[Unit]:
    level = name[-1]  # 区, 县 or 市: titles read 西山区委书记, 呈贡县县长, 安宁市市长
    short = name[:2] if name.endswith("自治县") else name[:-1]
    title = short + level

    def unit(suffix, unit_name, parent, unit_kind, prefix, posts):
        return Unit(f"{code}-{suffix}" if suffix else code, unit_name, parent, unit_kind,
                    prefix, code, region, tuple(posts))

    party = f"{code}-SW"
    gov = f"{code}-GOV"
    head_note = AUTONOMOUS_NOTE if code in AUTONOMOUS else None
    out = [
        unit("", name, CITY, kind, title, ()),
        unit("SW", f"中共{name}委员会", code, "party", title + "委", (
            Post("head", "书记", "division"), Post("deputy", "副书记", "deputy_division"),
            Post("member", "常委", "deputy_division", 2))),
        unit("SWB", f"中共{name}委办公室", party, "party", title + "委办公室", _office()),
        unit("ZZB", f"中共{name}委组织部", party, "party", title + "委组织部", (
            Post("head", "部长", "deputy_division"), Post("deputy", "副部长", "section", 2),
            Post("clerk", "科员", "clerk", 3))),
        unit("XCB", f"中共{name}委宣传部", party, "party", title + "委宣传部", (
            Post("head", "部长", "deputy_division"), Post("deputy", "副部长", "section"),
            Post("clerk", "科员", "clerk", 2))),
        unit("GOV", f"{name}人民政府", code, "government", title, (
            Post("head", level + "长", "division", notes=head_note),
            Post("first_deputy", f"常务副{level}长", "deputy_division"),
            Post("deputy", f"副{level}长", "deputy_division", 4))),
        unit("ZFB", f"{name}人民政府办公室", gov, "department", title + "政府办公室", _office()),
        unit("RD", f"{name}人大常委会", code, "congress", title + "人大常委会", (
            Post("head", "主任", "division"),
            Post("deputy", "副主任", "deputy_division", 3, False),
            Post("office", "办公室主任", "section"), Post("clerk", "科员", "clerk", 2))),
        unit("ZX", f"政协{name}委员会", code, "cppcc", title + "政协", (
            Post("head", "主席", "division"),
            Post("deputy", "副主席", "deputy_division", 3, False),
            Post("office", "办公室主任", "section"), Post("clerk", "科员", "clerk", 2))),
        unit("JW", f"中共{name}纪律检查委员会", code, "discipline", title + "纪委", (
            Post("head", "书记", "deputy_division"), Post("deputy", "副书记", "section", 2),
            Post("chief", "室主任", "deputy_section", 2), Post("clerk", "科员", "clerk", 3))),
    ]
    for suffix, dept, rank in COUNTY_DEPTS:
        lower = "section" if rank == "deputy_division" else "deputy_section"
        out.append(unit(suffix, title + dept, gov, "department", title + dept, (
            Post("head", "局长", rank, party=True), Post("deputy", "副局长", lower, 2),
            Post("clerk", "科员", "clerk", 4))))
    for i, school in enumerate((f"{title}第一中学", f"{title}第一小学"), 1):
        out.append(unit(f"S{i:02d}", school, f"{code}-JYJ", "school", school, (
            Post("head", "校长", "section", party=False),
            Post("deputy", "副校长", "deputy_section"))))
    return out


def all_units() -> list[Unit]:
    """Every unit, parents before children."""
    out = city_units()
    for code, name, region, kind in COUNTIES:
        out += county_units(code, name, region, kind)
    return out


@dataclass(frozen=True)
class Slot:
    """A position as generated: its unit, its template and its `positions` row."""

    unit: Unit
    post: Post
    row: dict


def post_code(unit: Unit, post: Post) -> str:
    """A post's position code: its unit's code and its place in the unit (KM-XS-SW-01)."""
    return f"{unit.code}-{unit.posts.index(post) + 1:02d}"


def slot_code(unit_code: str, role: str) -> str:
    """The position code of the post `role` (a Post key) in unit `unit_code`."""
    unit = _units_by_code()[unit_code]
    return post_code(unit, next(p for p in unit.posts if p.key == role))


@cache
def _units_by_code() -> dict[str, Unit]:
    # The plugins' demos name posts by unit and role two dozen times: the units are drawn
    # once (they are fixed: no seed), not once a name.
    return {u.code: u for u in all_units()}


def slots(units: list[Unit]) -> list[Slot]:
    """One slot per post, with the conditions of a new appointment at its rank."""
    out = []
    for unit in units:
        for post in unit.posts:
            min_rank, years, max_age, education = CONDITIONS[post.rank]
            party = post.party
            if party is None:
                party = post.rank in LEADER_RANKS or unit.kind in PARTY_UNITS
            code, title, notes = post_code(unit, post), unit.prefix + post.title, post.notes
            out.append(Slot(unit, post, {
                "code": code, "title": title, "unit": unit.code, "rank_level": post.rank,
                "headcount": post.headcount, "min_rank": min_rank,
                # REAL in the schema: a float here, so the import digest matches the table.
                "min_years_in_rank": None if years is None else float(years),
                "max_age": max_age, "min_education": education, "party_required": int(party),
                "notes": notes,
            }))
    return out
