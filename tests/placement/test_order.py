"""The order of the last steps follows the rule (placement.notice_first; DOMAIN.md: the notice,
任前公示, comes before the appointment): by default certify, post the notice, confirm it, then
record the appointments; with the rule at 0, certification records them."""

from __future__ import annotations

import datetime as dt

import pytest

from civic import audit, notices
from civic.errors import CivicError
from civic.office import Office, Operator
from civic.plugins.placement import actions, notice, store, workflows

SUP = Operator("sup", "supervisor")
EFFECTIVE = dt.date(2008, 9, 1)


def appointed(office: Office) -> int:
    return office.db.execute("SELECT count(*) FROM appointments WHERE basis_kind = 'placement'"
                             ).fetchone()[0]


def confirm_notice(office: Office, batch: int) -> Office:
    """Draft, publish and (once its period is over) confirm the batch's notice; the office on
    the day after."""
    drafted = notice.draft(office, batch)
    notices.publish(office, drafted.id, cosigner=SUP)
    ends = notices.get(office.db, drafted.id).ends_on
    moment = dt.datetime.combine(dt.date.fromisoformat(ends) + dt.timedelta(days=1),
                                 dt.time(9), tzinfo=office.now().tzinfo)
    later = Office(office.db, office.pm, actor=office.actor, clock=lambda: moment)
    notices.confirm(later, drafted.id, cosigner=SUP)
    return later


# (rule value, appointments at certification, appointments recorded after the notice)
ORDERS = [
    (None, 0, 6),  # the default: notice first
    ("1", 0, 6),
    ("0", 6, None),  # certification appoints; there is nothing left to record after
]


@pytest.mark.parametrize("rule,at_certify,after_notice", ORDERS)
def test_the_order_of_certify_notice_and_appointments(batch, registry, rule, at_certify,
                                                     after_notice):
    if rule is not None:
        notices.set_setting(registry, "placement.notice_first", rule, cosigner=SUP)
    actions.run_batch(registry, batch)
    result = actions.certify(registry, batch, SUP, EFFECTIVE)
    assert result["appointments"] == appointed(registry) == at_certify
    later = confirm_notice(registry, batch)
    if after_notice is None:
        with pytest.raises(CivicError, match="recorded already"):
            actions.appoint_after_notice(later, batch)
        return
    done = actions.appoint_after_notice(later, batch)
    assert done["appointments"] == appointed(later) == after_notice
    assert done["effective"] == EFFECTIVE.isoformat()  # the date fixed at certification
    entry = audit.entries(later.db, type_prefix="placement.appointed")[0].data()
    assert entry["notice"] == done["notice"] and entry["appointments"] == after_notice
    with pytest.raises(CivicError, match="recorded already"):
        actions.appoint_after_notice(later, batch)


def test_appointments_wait_for_the_confirmed_notice(batch, registry):
    actions.run_batch(registry, batch)
    with pytest.raises(CivicError, match="must be certified"):
        actions.appoint_after_notice(registry, batch)
    actions.certify(registry, batch, SUP, EFFECTIVE)
    with pytest.raises(CivicError, match="not confirmed yet"):
        actions.appoint_after_notice(registry, batch)
    drafted = notice.draft(registry, batch)
    notices.publish(registry, drafted.id, cosigner=SUP)
    with pytest.raises(CivicError, match="not confirmed yet"):  # published, period running
        actions.appoint_after_notice(registry, batch)
    assert appointed(registry) == 0


def test_the_dashboard_lists_appointments_to_record(batch, registry):
    actions.run_batch(registry, batch)
    actions.certify(registry, batch, SUP, EFFECTIVE)
    later = confirm_notice(registry, batch)
    assert [w.state for w in workflows.open_workflows(later.db)] == ["appointments to record"]
    actions.appoint_after_notice(later, batch)
    assert workflows.open_workflows(later.db) == []
    assert store.get_batch(later.db, batch)["appointed_on"] == later.today().isoformat()
