"""Serial dictatorship over 100,000 officers x 100,000 seats, 20 preferences each, against a
bare loop over the same data; printed as seconds and as a ratio (not part of the tests).

    python -m bench.placement_sd [--officers N] [--runs N]

Three ways of running it: `civic.allocation.serial_dictatorship` alone, the same with the
eligibility check the placement plugin passes (`BatchInputs.acceptable`, a lookup of the
(officer, post) pair among the ineligible ones; 2% of pairs here), and a bare `for` loop that
does the same work with no function around it. Lists favour popular posts, as real ones do.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time


def make_data(officers: int, seats_per_post: int, prefs: int = 20, seed: int = 47):
    rng = random.Random(seed)
    posts = [f"P{i:06d}" for i in range(officers // seats_per_post)]
    capacity = dict.fromkeys(posts, seats_per_post)
    order = [f"J{i:06d}" for i in range(officers)]
    weights = [1 / (1 + i / 50) for i in range(len(posts))]
    lists = {}
    for officer in order:
        lists[officer] = list(dict.fromkeys(rng.choices(posts, weights, k=prefs * 2)))[:prefs]
    ineligible = {(o, p): ("-",) for o in order for p in lists[o] if rng.random() < 0.02}
    return order, lists, capacity, ineligible


def bare_loop(order, prefs, capacity, ineligible=None) -> dict:
    remaining = dict(capacity)
    result = {}
    for officer in order:
        for n, post in enumerate(prefs[officer], 1):
            if remaining[post] > 0 and (ineligible is None
                                        or (officer, post) not in ineligible):
                remaining[post] -= 1
                result[officer] = (post, n)
                break
        else:
            result[officer] = (None, None)
    return result


def timed(runs: int, job) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--officers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{args.officers:,} officers, {args.officers:,} seats, 20 preferences, "
          f"median of {args.runs}")
    print(f"{'posts':<22}{'case':<22}{'civic s':>9}{'bare s':>9}{'ratio':>8}")
    for seats in (1, 5):
        for name, civic, bare in _cases(*make_data(args.officers, seats)):
            assert civic() == bare(), "the two loops disagree"
            c, b = timed(args.runs, civic), timed(args.runs, bare)
            label = f"{args.officers // seats:,} x {seats} seat(s)"
            print(f"{label:<22}{name:<22}{c:>9.3f}{b:>9.3f}{c / b:>8.2f}")


def _cases(order, prefs, capacity, ineligible):
    from civic.allocation import serial_dictatorship

    def check(o, p):
        return (o, p) not in ineligible

    return (
        ("no eligibility", lambda: serial_dictatorship(order, prefs, capacity),
         lambda: bare_loop(order, prefs, capacity)),
        ("with eligibility", lambda: serial_dictatorship(order, prefs, capacity, check),
         lambda: bare_loop(order, prefs, capacity, ineligible)),
    )


if __name__ == "__main__":
    main()
