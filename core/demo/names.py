"""Names, ethnicities and native places for the demo's people, with rough real frequencies.

Surname weights follow the 2007 national ranking (per mille, rounded) with Yunnan's own lead
of 李 and 杨; minority cadres draw from surnames common in their own group.
"""

from __future__ import annotations

import itertools
import random

# (surname, weight per mille): 李 and 杨 lead in Yunnan; the tail keeps rarer names present.
HAN_SURNAMES: tuple[tuple[str, int], ...] = (
    ("李", 90), ("王", 70), ("张", 66), ("杨", 55), ("刘", 50), ("陈", 45), ("赵", 25),
    ("黄", 21), ("周", 19), ("吴", 19), ("徐", 15), ("孙", 15), ("马", 14), ("朱", 13),
    ("胡", 13), ("郭", 11), ("何", 11), ("高", 11), ("林", 10), ("罗", 12), ("郑", 9),
    ("梁", 8), ("谢", 8), ("宋", 7), ("唐", 7), ("许", 7), ("韩", 6), ("冯", 6), ("邓", 6),
    ("曹", 6), ("彭", 6), ("曾", 6), ("肖", 6), ("田", 5), ("董", 5), ("袁", 5), ("潘", 5),
    ("于", 5), ("蒋", 5), ("蔡", 5), ("余", 5), ("杜", 5), ("叶", 5), ("程", 4), ("苏", 4),
    ("魏", 4), ("吕", 4), ("丁", 4), ("任", 4), ("沈", 4), ("姚", 4), ("卢", 4), ("姜", 4),
    ("崔", 3), ("钟", 3), ("谭", 3), ("陆", 3), ("汪", 3), ("范", 3), ("金", 3), ("石", 3),
    ("廖", 3), ("贾", 3), ("夏", 3), ("付", 3), ("方", 3), ("白", 3), ("邹", 3), ("孟", 3),
    ("熊", 3), ("秦", 3), ("邱", 3), ("江", 3), ("尹", 3), ("薛", 2), ("段", 3), ("雷", 2),
    ("侯", 2), ("龙", 2), ("史", 2), ("陶", 2), ("黎", 2), ("贺", 2), ("顾", 2), ("毛", 2),
    ("郝", 2), ("龚", 2), ("邵", 2), ("万", 2), ("钱", 2), ("严", 2), ("戴", 2), ("孔", 2),
    ("向", 2), ("汤", 2), ("普", 1), ("沐", 1), ("施", 1), ("保", 1), ("浦", 1), ("缪", 1),
)

MINORITY_SURNAMES: dict[str, tuple[str, ...]] = {
    "彝族": ("李", "普", "毕", "罗", "杨", "张", "王", "者", "鲁", "施"),
    "回族": ("马", "纳", "沙", "杨", "李", "丁", "保", "赛", "白", "撒"),
    "白族": ("段", "杨", "赵", "李", "张", "字", "尹", "董", "何", "王"),
    "苗族": ("王", "杨", "陶", "熊", "张", "李", "朱", "龙", "吴", "项"),
    "哈尼族": ("李", "白", "马", "陈", "杨", "张", "高", "卢"),
    "傣族": ("刀", "岩", "罕", "玉", "龚", "方", "李", "王"),
    "壮族": ("农", "黄", "陆", "韦", "李", "王", "沈", "岑"),
    "纳西族": ("和", "木", "杨", "李", "王", "赵"),
    "傈僳族": ("余", "李", "蜂", "杨", "和", "熊"),
}

# Kunming's ethnic mix, per mille: 汉族 about 86%, 彝族 the largest minority.
ETHNICITY_BASE: tuple[tuple[str, int], ...] = (
    ("汉族", 860), ("彝族", 55), ("回族", 30), ("白族", 18), ("苗族", 12), ("哈尼族", 7),
    ("傣族", 5), ("壮族", 5), ("纳西族", 4), ("傈僳族", 4),
)

# Autonomous counties have many more cadres of their own peoples.
ETHNICITY_LOCAL: dict[str, tuple[tuple[str, int], ...]] = {
    "KM-SL": (("汉族", 640), ("彝族", 320), ("回族", 20), ("白族", 10), ("苗族", 10)),
    "KM-LQ": (("汉族", 650), ("彝族", 250), ("苗族", 70), ("回族", 20), ("白族", 10)),
    "KM-XD": (("汉族", 660), ("回族", 170), ("彝族", 140), ("苗族", 20), ("白族", 10)),
}

MALE_FIRST = "建国志永晓文德海云俊明春振学立家红卫伟宏天正光兴忠自绍树开昌"
MALE_SECOND = "华明平强军伟林东忠勇斌刚峰涛辉波荣生成杰龙祥超鹏武彬松虎"
FEMALE_FIRST = "晓丽秀玉春桂红美雪海丹艳婷金淑静慧琼月翠凤永彩"
FEMALE_SECOND = "华芳英梅兰丽霞琴云燕萍娟玲红敏洁琳莉艳颖蓉仙芬珍"
MALE_SINGLE = "伟强军勇杰涛斌明华平刚辉林波峰磊鹏浩宇东亮云松文武荣彬毅坚"
FEMALE_SINGLE = "丽芳敏静燕艳娟霞玲萍红梅琳莉颖婷雪洁琼英慧兰虹倩娜蓉"

# Native places (籍贯) as forms write them: province and county or prefecture.
OTHER_YUNNAN = ("云南曲靖", "云南玉溪", "云南昭通", "云南大理", "云南楚雄", "云南红河",
                "云南文山", "云南保山", "云南丽江", "云南普洱", "云南临沧", "云南宣威",
                "云南陆良", "云南会泽", "云南通海", "云南建水", "云南弥勒", "云南祥云")
OTHER_PROVINCES = ("四川成都", "四川宜宾", "四川泸州", "贵州贵阳", "贵州遵义", "湖南长沙",
                   "湖南邵阳", "湖北武汉", "江苏南京", "江苏无锡", "浙江宁波", "山东济南",
                   "山东临沂", "河南洛阳", "河北保定", "安徽合肥", "江西南昌", "广西桂林",
                   "重庆", "上海", "北京", "辽宁沈阳")


def weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    # `rng.choices(values, weights)` draws from the running totals of the weights: the same
    # draw from totals added up once a table (ten thousand draws from a few tables).
    known = _TOTALS.get(id(table))
    if known is None or known[0] is not table:
        known = _TOTALS[id(table)] = (table, [v for v, _w in table],
                                      list(itertools.accumulate(w for _v, w in table)))
    return rng.choices(known[1], cum_weights=known[2])[0]


_TOTALS: dict[int, tuple[tuple, list[str], list[int]]] = {}


def ethnicity(rng: random.Random, county: str | None) -> str:
    return weighted(rng, ETHNICITY_LOCAL.get(county or "", ETHNICITY_BASE))


def full_name(rng: random.Random, gender: str, ethnic: str) -> str:
    pool = MINORITY_SURNAMES.get(ethnic)
    surname = rng.choice(pool) if pool else weighted(rng, HAN_SURNAMES)
    male = gender == "男"
    if rng.random() < 0.3:
        return surname + rng.choice(MALE_SINGLE if male else FEMALE_SINGLE)
    first, second = (MALE_FIRST, MALE_SECOND) if male else (FEMALE_FIRST, FEMALE_SECOND)
    return surname + rng.choice(first) + rng.choice(second)


def native_place(rng: random.Random, local: str | None, ethnic: str) -> str:
    """Mostly local; minorities nearly always from Yunnan."""
    roll = rng.random()
    if local and roll < 0.55:
        return local
    if roll < 0.82 or ethnic != "汉族":
        return rng.choice(OTHER_YUNNAN)
    return rng.choice(OTHER_PROVINCES)
