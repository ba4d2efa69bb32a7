"""`civic --help` and a registry command against a process that only imports click; and proof,
from the child's own `sys.modules`, that the CLI never imports Textual."""

from __future__ import annotations

import json
from pathlib import Path

from bench.harness import CIVIC, PYTHON, ROOT, Figure, env, median, run_child

PROBE = r"""
import atexit, json, sys
def report():
    loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
    sys.stdout.write("\n@@" + json.dumps(loaded[:5]) + "\n")
atexit.register(report)
sys.argv = ["civic", *sys.argv[1:]]
from civic.cli.main import main
main()
"""


def _office(work: Path) -> dict[str, str]:
    path = work / "cli.db"
    environ = env(CIVIC_DB=str(path), CIVIC_USER="admin", CIVIC_PASSWORD="secret-pass",
                  CIVIC_SUPERVISOR_PASSWORD="secret-pass-sup")
    if not path.exists():  # init names the first supervisor too, since the operators landed
        run_child([CIVIC, "init", "--admin", "admin", "--supervisor", "sup"], environ)
        for kind in ("units", "positions", "people"):
            run_child([CIVIC, kind, "import", str(ROOT / "examples" / f"{kind}.csv")], environ)
    return environ


def textual_imported(args: list[str], environ: dict[str, str]) -> list[str]:
    _wall, _peak, out = run_child([PYTHON, "-c", PROBE, *args], environ)
    return json.loads(out.rsplit("@@", 1)[1])


def figures(work: Path, quick: bool) -> list[Figure]:
    runs = 7 if quick else 15
    environ = _office(work)
    commands = {"civic --help": [CIVIC, "--help"],
                "civic people list (registry)": [CIVIC, "people", "list", "--limit", "20"]}
    times: dict[str, list[float]] = {"baseline": [], **{name: [] for name in commands}}
    for args in ([PYTHON, "-c", "import click"], *commands.values()):
        run_child(args, environ)  # untimed: writes the bytecode cache for what each imports
    for _ in range(runs):  # interleaved: a burst of load hits the baseline too
        times["baseline"].append(run_child([PYTHON, "-c", "import click"], environ)[0])
        for name, args in commands.items():
            times[name].append(run_child(args, environ)[0])
    base = median(times["baseline"])
    out = [Figure(name, median(times[name]), "s", 1.5, base, runs,
                  samples={"civic": times[name], "baseline": times["baseline"]})
           for name in commands]
    out += cold_figures(work, environ, max(3, runs // 3))
    leaked = {name: textual_imported(args[1:], environ) for name, args in commands.items()}
    bad = {k: v for k, v in leaked.items() if v}
    out.append(Figure("CLI modules from textual (--help, people list)",
                      float(sum(len(v) for v in leaked.values())), "modules", 0.5,
                      note=f"textual imported by: {bad}" if bad else
                      "checked in the child's sys.modules: none"))
    return out


def cold_figures(work: Path, environ: dict[str, str], runs: int) -> list[Figure]:
    """The first start after an install, with no bytecode cache anywhere (civic's, click's,
    the standard library's): every module is compiled, on both sides. Each run points
    PYTHONPYCACHEPREFIX at a new empty folder; the baseline is a cold `import click`."""
    import tempfile

    commands = {"civic --help, cold": [CIVIC, "--help"],
                "civic people list, cold (a first read)": [CIVIC, "people", "list", "--limit",
                                                           "20"]}
    times: dict[str, list[float]] = {"baseline": [], **{name: [] for name in commands}}

    def cold(args: list[str]) -> float:
        with tempfile.TemporaryDirectory(dir=work) as empty:
            return run_child(args, {**environ, "PYTHONPYCACHEPREFIX": empty})[0]

    for _ in range(runs):
        times["baseline"].append(cold([PYTHON, "-c", "import click"]))
        for name, args in commands.items():
            times[name].append(cold(args))
    base = median(times["baseline"])
    return [Figure(name, median(times[name]), "s", 1.5, base, runs,
                   note="baseline: a cold `import click`; every module compiled on both sides",
                   samples={"civic": times[name], "baseline": times["baseline"]})
            for name in commands]
