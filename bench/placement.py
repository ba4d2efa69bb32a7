"""Serial dictatorship at scale, driven from `python -m bench`: 100,000 officers choosing among
100,000 seats with 20 preferences each, through `civic.allocation.serial_dictatorship` (what
the placement plugin runs), with and without the eligibility check, against a bare loop over
the same dicts. Data and baseline come from bench/placement_sd.py (the placement plugin's
script); this module runs them the harness's way (interleaved, medians)."""

from __future__ import annotations

from pathlib import Path

from bench.harness import Figure, interleaved, median


def figures(work: Path, quick: bool) -> list[Figure]:
    from bench.placement_sd import bare_loop, make_data
    from civic.allocation import serial_dictatorship

    size = 20_000 if quick else 100_000
    runs = 5
    order, prefs, capacity, ineligible = make_data(size, 5)  # posts of 5 seats

    def eligible(officer: str, post: str) -> bool:
        return (officer, post) not in ineligible

    out = []
    for label, civic, bare in (
            (", no eligibility", lambda: serial_dictatorship(order, prefs, capacity),
             lambda: bare_loop(order, prefs, capacity)),
            (", with eligibility", lambda: serial_dictatorship(order, prefs, capacity,
                                                                  eligible),
             lambda: bare_loop(order, prefs, capacity, ineligible))):
        assert civic() == bare(), "the two loops disagree"
        times = interleaved(runs, baseline=bare, civic=civic)
        out.append(Figure(f"serial dictatorship {size:,}x{size:,}{label}",
                          median(times["civic"]), "s", 3.0, median(times["baseline"]), runs,
                          samples=times))
    return out
