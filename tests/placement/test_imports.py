"""The three files: checked whole, every problem as file:row:column, nothing written."""

from __future__ import annotations

import pytest

from civic.db import table_checksums
from civic.errors import CivicError, InputError, PermissionDenied
from civic.office import Operator
from civic.plugins.placement import actions, store


def problems(excinfo) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def test_officers_enter_the_people_registry_tagged(batch, registry):
    person = registry.db["people"].get("J005")
    assert person["status"] == "serving" and person["tags"] == "军转干部"
    # 副团 counts as 副处 for the core conditions once the minimum years in grade are served
    # (placement.min_years_in_grade, 3); J005 reached 副团 on 2005-07-01, one day short of 3
    # years on the cut-off (2008-06-30), so counts one grade down: 正科. rank_date becomes
    # rank_since.
    assert person["rank"] == "section" and person["rank_since"] == "2005-07-01"
    assert registry.db["people"].get("J001")["rank"] == "division"  # 正团 since 2003
    assert person["education"] == "master" and person["gender"] == "女"
    assert set(store.officers(registry.db, batch)) == {f"J00{i}" for i in range(1, 9)}


def test_reimport_updates_people_and_drops_stale_lists(batch, registry, tmp_path, helpers):
    header, rows = helpers.read_csv(helpers.PLACEMENT / "officers.csv")
    rows = [r for r in rows if r[0] != "J008"]
    rows[0][4] = "硕士"  # J001's education
    path = helpers.write_csv(tmp_path / "officers.csv", header, rows)
    result = actions.import_officers(registry, batch, path)
    assert result["people_added"] == [] and result["people_updated"] == {"J001": ["education"]}
    assert result["dropped"] == {"preferences": 2}
    assert "J008" not in store.preferences(registry.db, batch)


def test_an_existing_person_keeps_their_tags(registry, helpers, tmp_path):
    registry.db["people"].insert({"code": "J001", "name": "王建军", "tags": "转业"})
    helpers.make_batch(registry)
    assert registry.db["people"].get("J001")["tags"] == "转业;军转干部"


@pytest.mark.parametrize(("row", "expected"), [
    # (officers.csv row 2 replaced by this, the problem reported)
    (["J001", "王建军", "1964-05-12", "男", "本科", "中共党员", "财务", "上校", "1982.10",
      "2003-07-01", "", "88.5", "79"], "officers.csv:2:职务等级: '上校' is not in the points table"),
    (["J001", "王建军", "1964-05-12", "男", "本科", "中共党员", "财务", "正团", "1982.10",
      "2003-07-01", "二等功", "", "79"], "officers.csv:2:考核: a value is required"),
    (["J001", "王建军", "1964-05-12", "男", "本科", "中共党员", "财务", "正团", "2009.01",
      "2003-07-01", "", "88", "79"], "officers.csv:2:入伍时间: 2009-01-01 is after the cut-off"),
    (["J002", "王建军", "1964-05-12", "男", "本科", "中共党员", "财务", "正团", "1982.10",
      "2003-07-01", "", "88", "79"], "officers.csv:3:编号: code J002 already on row 2"),
    (["J001", "王建军", "1964-05-12", "X", "本科", "中共党员", "财务", "正团", "1982.10",
      "2003-07-01", "", "88", "七十"], "officers.csv:2:性别: gender must be"),
])
def test_bad_officer_rows_write_nothing(registry, helpers, tmp_path, row, expected):
    batch = actions.new_batch(registry, "b", helpers.CUTOFF, "sealed", 1)
    actions.set_scheme(registry, batch, helpers.SCHEME)
    header, rows = helpers.read_csv(helpers.PLACEMENT / "officers.csv")
    path = helpers.write_csv(tmp_path / "officers.csv", header, [row, *rows[1:]])
    before = table_checksums(registry.db)
    with pytest.raises(InputError) as excinfo:
        actions.import_officers(registry, batch, path)
    assert any(p.startswith(expected) for p in problems(excinfo)), problems(excinfo)
    assert table_checksums(registry.db) == before


def test_a_missing_award_column_is_refused(registry, helpers, tmp_path):
    batch = actions.new_batch(registry, "b", helpers.CUTOFF, "sealed", 1)
    actions.set_scheme(registry, batch, helpers.SCHEME)
    header, rows = helpers.read_csv(helpers.PLACEMENT / "officers.csv")
    cut = header.index("立功受奖")
    path = helpers.write_csv(tmp_path / "o.csv", header[:cut] + header[cut + 1:],
                             [r[:cut] + r[cut + 1:] for r in rows])
    with pytest.raises(InputError, match="missing required column awards"):
        actions.import_officers(registry, batch, path)


def test_gbk_officers_file(registry, helpers, tmp_path):
    header, rows = helpers.read_csv(helpers.PLACEMENT / "officers.csv")
    path = helpers.write_csv(tmp_path / "gbk.csv", header, rows, encoding="gbk")
    batch = helpers.make_batch(registry, officers=path, preferences=None)
    assert store.officers(registry.db, batch)["J003"]["name"] == "张国庆"


def test_xlsx_files(registry, helpers, tmp_path):
    from civic.tabular import write_table

    out = {}
    for name in ("officers", "posts", "preferences"):
        header, rows = helpers.read_csv(helpers.PLACEMENT / f"{name}.csv")
        out[name] = tmp_path / f"{name}.xlsx"
        write_table(out[name], header, rows)
    batch = helpers.make_batch(registry, officers=out["officers"], posts=out["posts"],
                               preferences=out["preferences"])
    assert store.preferences(registry.db, batch)["J001"] == ["JZ-01", "JZ-02"]


@pytest.mark.parametrize(("rows", "expected"), [
    ([["JZ-99", "1", ""]], "posts.csv:2:职位: unknown positions code JZ-99"),
    ([["JZ-01", "2", ""]], "posts.csv:2:名额: 2 seats offered but position JZ-01 has 1 vacant"),
    ([["JZ-01", "0", ""]], "posts.csv:2:名额: must be a whole number of at least 1"),
    ([["JZ-01", "1", "军衔=大校"]],
     "posts.csv:2:资格条件: '军衔' is not a column of the officers file"),
    ([["JZ-01", "1", ""], ["JZ-01", "1", ""]],
     "posts.csv:3:职位: position JZ-01 already on row 2"),
])
def test_bad_posts_write_nothing(batch, registry, helpers, tmp_path, rows, expected):
    path = helpers.write_csv(tmp_path / "posts.csv", ["职位", "名额", "资格条件"], rows)
    before = table_checksums(registry.db)
    with pytest.raises(InputError) as excinfo:
        actions.import_posts(registry, batch, path)
    assert expected in problems(excinfo)
    assert table_checksums(registry.db) == before


@pytest.mark.parametrize(("rows", "expected"), [
    ([["J009", "1", "JZ-01"]], "preferences.csv:2:编号: officer J009 is not in this batch"),
    ([["J001", "1", "P-MSZ"]], "preferences.csv:2:职位: position P-MSZ is not offered in this "
                               "batch"),
    ([["J001", "1", "JZ-01"], ["J001", "1", "JZ-02"]],
     "preferences.csv:3:志愿: J001 has a choice 1 already on row 2"),
    ([["J001", "1", "JZ-01"], ["J001", "2", "JZ-01"]],
     "preferences.csv:3:职位: J001 lists JZ-01 already on row 2"),
    ([["J001", "1", "JZ-01"], ["J001", "3", "JZ-02"]],
     "preferences.csv:3:志愿: choices of J001 skip 2"),
    ([["J001", "0", "JZ-01"]], "preferences.csv:2:志愿: must be a whole number of at least 1"),
])
def test_bad_preferences_write_nothing(batch, registry, helpers, tmp_path, rows, expected):
    path = helpers.write_csv(tmp_path / "preferences.csv", ["编号", "志愿", "职位"], rows)
    before = table_checksums(registry.db)
    with pytest.raises(InputError) as excinfo:
        actions.import_preferences(registry, batch, path)
    assert expected in problems(excinfo)
    assert table_checksums(registry.db) == before


def test_preferences_replace_only_the_lists_of_officers_named(batch, registry, helpers,
                                                             tmp_path):
    path = helpers.write_csv(tmp_path / "p.csv", ["officer", "choice", "position"],
                             [["J001", "1", "JZ-06"]])
    actions.import_preferences(registry, batch, path)
    prefs = store.preferences(registry.db, batch)
    assert prefs["J001"] == ["JZ-06"] and prefs["J002"] == ["JZ-01", "JZ-03"]


def test_a_scheme_the_officers_cannot_meet_is_refused(batch, registry, tmp_path):
    scheme = tmp_path / "s.toml"
    scheme.write_text('[[components]]\nname = "x"\nkind = "numeric"\ncolumn = "height"\n',
                      encoding="utf-8")
    with pytest.raises(InputError, match="J001: missing value"):
        actions.set_scheme(registry, batch, scheme)


def test_officers_need_a_scheme_first(registry, helpers):
    batch = actions.new_batch(registry, "b", helpers.CUTOFF)
    with pytest.raises(CivicError, match="scheme first"):
        actions.import_officers(registry, batch, helpers.PLACEMENT / "officers.csv")


def test_a_viewer_changes_nothing(batch, registry, helpers):
    viewer = registry.as_actor(Operator("view", "viewer"))
    with pytest.raises(PermissionDenied):
        actions.import_posts(viewer, batch, helpers.PLACEMENT / "posts.csv")


def test_live_batches_take_no_lists(registry, helpers):
    batch = helpers.make_batch(registry, mode="live")
    with pytest.raises(CivicError, match="live"):
        actions.import_preferences(registry, batch, helpers.PLACEMENT / "preferences.csv")


def test_audit_events_carry_digests(batch, registry):
    from civic import audit

    types = [e.type for e in audit.entries(registry.db, subject=f"placement:{batch}",
                                           newest_first=False)]
    assert types == ["placement.batch_created", "placement.scheme_set",
                     "placement.officers_imported", "placement.posts_imported",
                     "placement.preferences_imported"]
    imported = audit.entries(registry.db, type_prefix="placement.officers")[0].data()
    assert len(imported["rows_digest"]) == 64 and len(imported["file_sha256"]) == 64


def test_a_post_condition_the_new_scheme_cannot_read_is_reported(batch, registry, tmp_path):
    from civic.plugins.placement import actions

    scheme = tmp_path / "s.toml"
    scheme.write_text('[[components]]\nname = "exam"\nkind = "numeric"\ncolumn = "exam"\n',
                      encoding="utf-8")
    actions.set_scheme(registry, batch, scheme)  # drops the 职务等级 column JZ-03 tests
    with pytest.raises(CivicError, match="Post JZ-03: '职务等级' is not a column"):
        actions.run_batch(registry, batch)
