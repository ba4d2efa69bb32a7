"""Where each officer stands after the run: nobody planned is left unplaced (issue 18; DOMAIN.md
"Military-transfer placement": one without a post is re-assigned by the city's transfer office,
由市军转办另行调剂安置), and pre-assignments (照顾安置) are listed apart with their basis."""

from __future__ import annotations

import pytest

from civic.plugins.placement import actions, store, views
from civic.plugins.placement.rules import officer_status, reassigned

# (post, pre-assigned, passed in the room) -> status, re-assigned by the transfer office
STATUSES = [
    ("JZ-01", False, False, "placed", False),
    ("JZ-05", True, False, "pre_assigned", False),
    (None, False, True, "passed", True),
    (None, False, False, "no_acceptable_post", True),  # nothing left on the list he could take
]


@pytest.mark.parametrize("post,pre,passed,status,again", STATUSES)
def test_officer_status(post, pre, passed, status, again):
    assert officer_status(post, pre, passed) == status
    assert reassigned(status) is again


def test_a_sealed_run_marks_who_the_transfer_office_re_assigns(registry, helpers):
    batch = helpers.make_batch(registry)
    basis = "军队转业干部安置暂行办法 (2001) art. 32: 夫妻同时转业"
    actions.set_override(registry, batch, "J007", "JZ-05", "夫妻同时转业", basis)
    actions.run_batch(registry, batch)
    status = {r["officer"]: (r["status"], r["reassigned"])
              for r in store.results(registry.db, batch)}
    # examples/placement: J002 and J003 find every post on their lists taken (test_run.py).
    assert status["J002"] == ("no_acceptable_post", True)
    assert status["J003"] == ("no_acceptable_post", True)
    assert status["J007"] == ("pre_assigned", False)
    assert status["J004"] == ("placed", False)
    listed = store.preassignments(registry.db, batch)
    assert [(p["officer"], p["position"], p["basis"]) for p in listed] == [
        ("J007", "JZ-05", basis)]
    text = views.batch_text(views.batch_view(registry, batch))
    assert "Pre-assignments (listed apart)" in text and basis in text
    assert "re-assigned by the city's transfer office" in text
    assert "not placed" not in text


def test_a_pass_in_the_room_is_a_re_assignment_and_an_undo_takes_it_back(registry, helpers):
    batch = helpers.make_batch(registry, mode="live")
    actions.open_room(registry, batch)
    actions.choose(registry, batch, "JZ-01")  # J004
    actions.pass_turn(registry, batch)  # J001
    assert store.passed(registry.db, batch) == {"J001"}
    actions.undo(registry, batch, "slip")
    assert store.passed(registry.db, batch) == set()
    actions.pass_turn(registry, batch)
    while actions.room(registry, batch).session.current() is not None:
        actions.pass_turn(registry, batch)
    actions.run_batch(registry, batch)
    status = {r["officer"]: r["status"] for r in store.results(registry.db, batch)}
    assert status["J004"] == "placed"
    assert set(status.values()) == {"placed", "passed"}


# The notice reads each officer's layout fields (store.results: status, reassigned): the post
# column says why an officer has no post, and that the transfer office places him.
@pytest.mark.parametrize("mode,officer,words", [
    ("sealed", "J002", ("无可选职位，由市军转办另行调剂安置", "no post left to choose")),
    ("sealed", "J007", ("照顾安置", "placed by policy")),
    ("live", "J001", ("本人未选岗，由市军转办另行调剂安置", "chose none")),
])
def test_the_notice_words_each_status(registry, helpers, mode, officer, words):
    import datetime as dt

    from civic import notices
    from civic.office import Operator
    from civic.plugins.placement import notice

    batch = helpers.make_batch(registry, mode=mode)
    if mode == "sealed":
        actions.set_override(registry, batch, "J007", "JZ-05", "夫妻同时转业", "暂行办法")
    else:
        actions.open_room(registry, batch)
        actions.choose(registry, batch, "JZ-01")  # J004
        while actions.room(registry, batch).session.current() is not None:
            actions.pass_turn(registry, batch)  # J001 first: he passes
    actions.run_batch(registry, batch)
    actions.certify(registry, batch, Operator("sup", "supervisor"), dt.date(2008, 9, 1))
    row = next(r for r in notice.context(registry, batch)["ranking"]["rows"]
               if r[1] == store.officers(registry.db, batch)[officer]["name"])
    # The post column (a pre-assignment: the choice column) in both languages.
    assert words[0] in {c["zh_CN"] for c in row[-2:] if isinstance(c, dict)}
    drafted = notice.draft(registry, batch)
    assert words[0] in notices.render(registry, drafted, lang="zh_CN", fmt="txt")
    assert words[1] in notices.render(registry, drafted, lang="en", fmt="txt")
