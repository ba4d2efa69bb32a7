"""Evaluation scoring at scale, as ratios to bare NumPy measured in the same run.

    python -m bench --only evaluation

- Scoring 100,000 units x 31 indicators under the city framework (normalise, aggregate, rank,
  grade with the quota: `rules.compute`): target <= 2x a bare NumPy computation of the same
  (min-max per column, weighted means with the missing left out, rounding, ranks, grades).
- 1,000 sensitivity runs on 14 units x 20 indicators (`rules.sensitivity`): target <= 2x a bare
  NumPy loop of the same draws.
Printed, never asserted (ARCHITECTURE "Tests"). Importing and counting 500,000 rating marks is
core's ballot import (the nomination group's "import marks" / "count marks" figures).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np

from bench.harness import Figure, interleaved, median


def _data(n: int, k: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    values = rng.uniform(0, 100, (n, k))
    values[rng.random((n, k)) < 0.01] = np.nan  # 1% missing: rescaled siblings, a few unscored
    return values


def _weights(fw):
    cat_of = np.array([n for n, c in enumerate(fw.categories) for _i in c.indicators])
    ind_w = np.array([float(i.weight) for i in fw.indicators])
    cat_w = np.array([float(c.weight) for c in fw.categories])
    return cat_of, ind_w, cat_w


def _wmean(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    have = ~np.isnan(x)
    ww = np.where(have, w, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(have, x, 0.0) @ w / ww.sum(axis=1)


def bare_score(fw, values: np.ndarray, share: Fraction) -> np.ndarray:
    """The same computation written straight in NumPy: availability, min-max with direction,
    weighted means with the missing left out, rounding, ranks, grades and the quota's cut."""
    cat_of, ind_w, cat_w = _weights(fw)
    have = ~np.isnan(values)
    scored = have.sum(axis=1) * 10 >= 9 * values.shape[1]
    x = values[scored]
    lo, hi = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
    lower = np.array([i.direction == "lower" for i in fw.indicators])
    normed = np.where(lower, hi - x, x - lo) / (hi - lo) * 100
    cats = np.column_stack([_wmean(normed[:, cat_of == c], ind_w[cat_of == c])
                            for c in range(len(fw.categories))])
    total = np.floor(np.round(_wmean(cats, cat_w) * 100, 6) + 0.5) / 100
    order = np.sort(-total)
    ranks = np.searchsorted(order, -total, "left") + 1
    grades = (total[:, None] < np.array(fw.minimums)[None, :]).sum(axis=1)
    limit = int(share * len(total) + Fraction(1, 2))
    top = np.flatnonzero(grades == 0)
    if top.size > limit:
        cut = top[np.argsort(-total[top], kind="stable")][limit:]
        grades[cut] = 1
    return ranks + grades


def bare_sensitivity(fw, values: np.ndarray, runs: int, seed: int, spread: float = 0.25):
    """The same Monte Carlo loop in NumPy: the declared normalisation (min-max here for every
    indicator), weights drawn around the declared ones, totals rounded, ranks per run."""
    cat_of, ind_w, cat_w = _weights(fw)
    rng = np.random.default_rng(seed)
    lo, hi = np.nanmin(values, axis=0), np.nanmax(values, axis=0)
    lower = np.array([i.direction == "lower" for i in fw.indicators])
    normed = np.where(lower, hi - values, values - lo) / (hi - lo) * 100
    ranks = np.zeros((runs, values.shape[0]))
    for run in range(runs):
        iw = ind_w * rng.uniform(1 - spread, 1 + spread, ind_w.size)
        cw = cat_w * rng.uniform(1 - spread, 1 + spread, cat_w.size)
        rng.integers(1)
        rng.random(len(fw.gates))
        cats = np.column_stack([_wmean(normed[:, cat_of == c], iw[cat_of == c])
                                for c in range(len(fw.categories))])
        total = np.floor(np.round(_wmean(cats, cw) * 100, 6) + 0.5) / 100
        ranks[run] = np.searchsorted(np.sort(-total), -total, "left") + 1
    return ranks


def figures(work: Path, quick: bool) -> list[Figure]:
    from civic.plugins.evaluation import rules

    city = rules.pack("kunming-city-2008")
    # Every indicator min-max, so that civic and the bare computation do the same work.
    flat = rules.Framework(**{**city.__dict__, "categories": tuple(
        rules.Category(c.code, c.name, c.weight, c.aggregation, tuple(
            rules.Indicator(i.code, i.name, i.unit, i.direction, i.weight, "minmax", {},
                            i.data_source, i.illustrative) for i in c.indicators))
        for c in city.categories)})
    size = 20_000 if quick else 100_000
    values = _data(size, len(flat.indicators), 1)
    share = Fraction(15, 100)
    runs = 3 if quick else 5
    times = interleaved(runs, baseline=lambda: bare_score(flat, values, share),
                        civic=lambda: rules.compute(flat, values, top_share=share))
    out = [Figure(f"score {size:,} units x {len(flat.indicators)} indicators",
                  median(times["civic"]), "s", 2.0, median(times["baseline"]), runs,
                  samples=times)]
    county = rules.pack("kunming-county-2008")
    flat_county = rules.Framework(**{**county.__dict__, "gates": (), "categories": tuple(
        rules.Category(c.code, c.name, c.weight, c.aggregation, tuple(
            rules.Indicator(i.code, i.name, i.unit, i.direction, i.weight, "minmax", {},
                            i.data_source, i.illustrative) for i in c.indicators))
        for c in county.categories)})
    counties = _data(14, 20, 2)
    counties[np.isnan(counties)] = 50.0
    draws = 200 if quick else 1000
    units = [f"U{n:02}" for n in range(14)]
    times = interleaved(runs, baseline=lambda: bare_sensitivity(flat_county, counties, draws, 3),
                        civic=lambda: rules.sensitivity(flat_county, units, counties,
                                                        runs=draws, seed=3,
                                                        methods=("declared",)))
    out.append(Figure(f"sensitivity {draws:,} runs, 14 units", median(times["civic"]), "s",
                      2.0, median(times["baseline"]), runs, samples=times))
    return out
