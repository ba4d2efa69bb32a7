"""The demo office: Kunming city and its 14 counties and districts in 2008 (`civic demo`).

Deterministic: with the same seed and civic version, every table has the same content, audit
log included, because all randomness comes from `random.Random(seed)` and all times from
`DemoClock`. The demo operators' password salts too follow the seed (`build.demo_salt`): their
password is public, and the audit log vouches for each operator's row by its digest. Anywhere
else salts come from `os.urandom`.

Plugins add their part through the `register_demo_data(office, rng)` hook: `office` has the demo
admin as actor and a `DemoClock` (`office.clock.jump_to(when)` dates a plugin's entries on the
day of its scenario); `rng` is the plugin's own, seeded by the demo seed and the plugin's name.
Then `register_demo_stages(office, rng, today)` collects the work each plugin leaves part-done
for the operator (a notice whose period is over, a round ready to open, a batch not yet run),
run in time order up to `DEMO_TODAY`, the day a session on the demo starts.
"""

from __future__ import annotations

from civic.demo.build import (
    DEFAULT_SEED,
    DEMO_OPERATORS,
    DEMO_PASSWORD,
    DemoSummary,
    build_demo,
    demo_state,
)
from civic.demo.clock import DEMO_START, DEMO_TODAY, DemoClock
from civic.demo.org import COUNTIES

__all__ = [
    "COUNTIES", "DEFAULT_SEED", "DEMO_OPERATORS", "DEMO_PASSWORD", "DEMO_START", "DEMO_TODAY",
    "DemoClock", "DemoSummary", "build_demo", "demo_state",
]
