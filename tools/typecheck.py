"""Type-check the package `civic` with mypy, through the layout's mapping.

The source is laid out as core/ (the package civic), plugins/ (civic.plugins) and templates/
(civic.templates), mapped in pyproject.toml's package-dir; mypy finds a package only where
its folders carry its name. So this builds a tree of links under build/typecheck/ that names
the folders as the package does (build/typecheck/civic/cli/main.py -> core/cli/main.py), runs
mypy on it with pyproject.toml's [tool.mypy] settings, and prints each finding at the source
file's own path. The tree is kept between runs, so mypy's cache stays valid.

    python tools/typecheck.py [more mypy options]
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FARM = ROOT / "build" / "typecheck"


def package_dirs() -> dict[str, str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["setuptools"]["package-dir"]


def build_links() -> None:
    """build/typecheck/<package path>/<module>.py -> the source module, for every module."""
    wanted: dict[Path, Path] = {}
    for package, folder in package_dirs().items():
        source = ROOT / folder
        target = FARM.joinpath(*package.split("."))
        for path in source.rglob("*.py"):
            if "__pycache__" not in path.parts:
                wanted[target / path.relative_to(source)] = path
    for link in [p for p in FARM.rglob("*.py") if p not in wanted] if FARM.exists() else []:
        link.unlink()  # a module since removed or renamed
    for link, path in wanted.items():
        if link.is_symlink() and Path(os.readlink(link)) == path:
            continue
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(path)


def source_path(match: re.Match[str]) -> str:
    return os.path.relpath(os.path.realpath(ROOT / match.group(0)), ROOT)


def main(argv: list[str]) -> int:
    if shutil.which("mypy") is None and not _has_mypy():
        print("mypy is not installed: pip install -e '.[test]'", file=sys.stderr)
        return 2
    build_links()
    env = {**os.environ, "MYPYPATH": str(FARM)}
    done = subprocess.run([sys.executable, "-m", "mypy", "-p", "civic", *argv], cwd=ROOT,
                          env=env, capture_output=True, text=True)
    pattern = re.compile(r"^build/typecheck/\S+?\.py", re.M)
    sys.stdout.write(pattern.sub(source_path, done.stdout))
    sys.stderr.write(done.stderr)
    return done.returncode


def _has_mypy() -> bool:
    import importlib.util

    return importlib.util.find_spec("mypy") is not None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
