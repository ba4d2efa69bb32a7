"""`civic people import` of 10,000 / 100,000 / 1,000,000 people, CSV and XLSX, as the whole
process an operator starts, against a bare process that parses the same file (csv, or
openpyxl read-only) and inserts it with one executemany into the same table and indexes,
in the same journal mode; peak memory of civic's process; growth from size to size.

Each run imports into a fresh copy of the same prepared office (one unit, one operator), so
every run writes the same rows. Rows are what an office sends: 17 columns, Chinese headers,
dates, valid resident ID numbers, ranks and education in words.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
from pathlib import Path

from bench.harness import CIVIC, PYTHON, Figure, env, median, run_child
from bench.scale import PASSWORD, _office

HEADER = ["编号", "姓名", "性别", "出生日期", "民族", "籍贯", "身份证号", "政治面貌", "入党时间",
          "学历", "参加工作时间", "职级", "任现职级时间", "单位", "职位", "状态", "标签"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红玉梅云飞鹏辉林波志斌宇浩凯俊峰帆旭晨阳"
BORN_FROM = dt.date(1960, 1, 1)


def _id_number(i: int, born: dt.date) -> str:
    body = f"530102{born:%Y%m%d}{i % 1000:03d}"
    checksum = (1 - 2 * int(body, 13)) % 11  # GB 11643-1999, as civic.registry computes it
    return body + ("X" if checksum == 10 else str(checksum))


def rows(count: int):
    rng = random.Random(count)
    for i in range(count):
        # (birth date, sequence) differs on every row, so no two people share an ID number.
        born = BORN_FROM + dt.timedelta(days=13 * (i // 1000) + i % 13)
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
        yield [f"C{i:07d}", name,
               rng.choice("男女"), born.isoformat(), "汉族", "云南昆明", _id_number(i, born),
               rng.choice(["中共党员", "群众"]), "", rng.choice(["大专", "本科", "硕士"]),
               f"{born.year + 22}-07-01", rng.choice(["正科", "副处", "正处"]),
               f"{rng.randint(2000, 2020)}-01-01", "KM", "",
               # Status as the table holds it and a tag on every row: the bare insert
               # meets the table's CHECK and NOT NULL too (an empty XLSX cell reads None).
               "serving", rng.choice(["选调生", "援藏干部", "年轻干部"])]


def people_file(work: Path, count: int, kind: str) -> Path:
    path = work / f"people-{count}.{kind}"
    if path.exists():
        return path
    if kind == "csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows(rows(count))
    else:
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(HEADER)
        for row in rows(count):
            sheet.append(row)
        book.save(path)
    return path


def empty_office(work: Path) -> Path:
    path = work / "import-office.db"
    if not path.exists():
        office = _office(path)
        office.db.execute("INSERT INTO units (code, name, kind) VALUES ('KM', '昆明市', 'city')")
        office.db.conn.commit()
        office.db.close()
    return path


# What every command that changes data must do first, civic or bare (issue 16's Enter baseline
# does the same): check the operator's password ($CIVIC_USER, $CIVIC_PASSWORD) against the
# scrypt hash the office stores, with its stored parameters. The check's own seconds are
# printed, so the bench also shows the ratio against the bare work without it.
PASSWORD_CHECK = r"""
import base64, hashlib, hmac, os, time
started = time.perf_counter()
stored = db.execute("SELECT password_hash FROM operators WHERE name = ? AND active = 1",
                    (os.environ["CIVIC_USER"],)).fetchone()[0]
scheme, n, r, p, salt, key = stored.split("$")
got = hashlib.scrypt(os.environ["CIVIC_PASSWORD"].encode(), salt=base64.b64decode(salt),
                     n=int(n), r=int(r), p=int(p))
assert scheme == "scrypt" and hmac.compare_digest(got, base64.b64decode(key))
print("password-check", time.perf_counter() - started)
"""


def checked_seconds(out: str) -> float:
    """The seconds a bare process's password check took, as it printed them."""
    for line in out.splitlines():
        if line.startswith("password-check "):
            return float(line.split()[1])
    raise ValueError("the bare process printed no password check")


# The same rows into the same table and indexes, in civic's journal mode (WAL, synchronous
# FULL), after the same password check, with nothing else: no cell checks, no audit entry, no
# search keys.
BARE_IMPORT = r"""
import csv, sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=FULL")
""" + PASSWORD_CHECK + r"""
columns = ("code, name, gender, birth_date, ethnicity, native_place, id_number, party,"
           " party_joined, education, work_start, rank, rank_since, unit, position, status, tags")
path = sys.argv[2]
if path.endswith(".xlsx"):
    import openpyxl
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = book.worksheets[0].iter_rows(values_only=True)
else:
    handle = open(path, encoding="utf-8", newline="")
    rows = csv.reader(handle)
next(rows)
db.execute("BEGIN")
db.executemany(f"INSERT INTO people ({columns}) VALUES ({', '.join('?' * 17)})", rows)
db.execute("COMMIT")
"""


PARSERS = {"csv": "csv", "xlsx": "openpyxl read-only"}


def figures(work: Path, quick: bool, xlsx_million: bool = False,
            csv_only: bool = False) -> list[Figure]:
    # A million-row XLSX takes openpyxl alone minutes to write and to read on each side:
    # left out of `python -m bench`; `python -m bench.people_import --xlsx-million` adds it.
    # `--csv` leaves XLSX out: the CSV figures, 1,000,000 included, in a few minutes.
    sizes = {"csv": (10_000, 100_000) if quick else (10_000, 100_000, 1_000_000),
             "xlsx": (10_000,) if quick else (10_000, 100_000) + (1_000_000,) * xlsx_million}
    if csv_only:
        del sizes["xlsx"]
    ready = empty_office(work)
    run_db = work / "import-run.db"
    environ = env(CIVIC_DB=str(run_db), CIVIC_USER="bench", CIVIC_PASSWORD=PASSWORD)

    def fresh() -> str:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{run_db}{suffix}").unlink(missing_ok=True)
        shutil.copy(ready, run_db)
        return str(run_db)

    out: list[Figure] = []
    for kind, counts in sizes.items():
        medians: dict[int, float] = {}
        for count in counts:
            path = people_file(work, count, kind)
            runs = 1 if count >= 1_000_000 else 3
            times: dict[str, list[float]] = {"civic": [], "baseline": []}
            unchecked: list[float] = []  # the baseline without its password check
            peaks = []
            # A first untimed round writes the bytecode cache (small files only: a
            # million rows are long enough for a cold start not to count).
            for n in range(runs + (count < 1_000_000)):
                fresh()
                wall, peak, _o = run_child([CIVIC, "people", "import", str(path), "--json"],
                                           environ)
                fresh()
                base, _p, said = run_child([PYTHON, "-c", BARE_IMPORT, str(run_db), str(path)],
                                           environ)
                if n or count >= 1_000_000:
                    times["civic"].append(wall)
                    times["baseline"].append(base)
                    unchecked.append(base - checked_seconds(said))
                    peaks.append(peak)
            name = f"civic people import, {kind.upper()}, {count:,} people"
            medians[count] = median(times["civic"])
            out.append(Figure(name, medians[count], "s", 2.0, median(times["baseline"]), runs,
                              note=f"baseline: a bare process, the operator's scrypt check,"
                              f" {PARSERS[kind]} + one executemany into the same table and"
                              f" indexes; {medians[count] / median(unchecked):.2f}x the bare"
                              " work without the password check", samples=times))
            out.append(Figure(name + ": peak memory", max(peaks), "MB", 300, runs=runs))
        out += growth(f"civic people import, {kind.upper()}", medians)
    return out


def growth(name: str, medians: dict[int, float]) -> list[Figure]:
    """Each size against the one before, scaled by the rows: 1.00x is linear growth. The
    target allows 1.25x (fixed start-up weighs less in the larger size; the B-tree deepens)."""
    sizes = sorted(medians)
    return [Figure(f"{name}: growth {small:,} -> {big:,}, per row", medians[big], "s", 1.25,
                   medians[small] * big / small,
                   note="baseline: the smaller size's time scaled by the rows (linear)")
            for small, big in zip(sizes, sizes[1:], strict=False)]


if __name__ == "__main__":
    import sys
    import tempfile

    from bench.harness import print_table

    with tempfile.TemporaryDirectory(prefix="civic-import-") as tmp:
        print_table(figures(Path(tmp), "--quick" in sys.argv, "--xlsx-million" in sys.argv,
                            "--csv" in sys.argv))
