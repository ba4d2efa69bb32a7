"""Every package under core/ and plugins/ ships in the wheel; every plugin is an entry point."""

from __future__ import annotations

import os
import tomllib
from importlib.metadata import entry_points
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PYPROJECT = ROOT / "pyproject.toml"
SOURCE_TREE = (ROOT / "core").is_dir() and not os.environ.get("CIVIC_TESTING_WHEEL")


def _config() -> dict:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))


def _packages_on_disk() -> set[str]:
    mapping = {"core": "civic", "plugins": "civic.plugins", "templates": "civic.templates"}
    found = set()
    for folder, name in mapping.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder).parts
            if "__pycache__" in rel:
                continue
            found.add(".".join((name, *rel)))
    return found


def _source_files() -> set[str]:
    """What the wheel must hold: every module and data file under the mapped folders, by the
    path it has in the installed package (folder notes, *.md, are for readers of the tree)."""
    mapping = {"core": "civic", "plugins": "civic/plugins", "templates": "civic/templates"}
    found = set()
    for folder, target in mapping.items():
        for path in (ROOT / folder).rglob("*"):
            rel = path.relative_to(ROOT / folder)
            if (path.is_file() and "__pycache__" not in rel.parts
                    and path.suffix not in (".pyc", ".md")):
                found.add(f"{target}/{rel.as_posix()}")
    return found


@pytest.mark.skipif(not SOURCE_TREE, reason="needs the source tree")
def test_every_package_is_found_for_the_wheel():
    # setup.py names the packages under each mapped folder; nothing lists them by hand.
    import runpy

    found = set(runpy.run_path(str(ROOT / "setup.py"), run_name="discover")["packages"]())
    assert found == _packages_on_disk()


@pytest.mark.skipif(not SOURCE_TREE, reason="needs the source tree")
def test_the_wheel_holds_every_module_and_data_file(tmp_path):
    """Build the wheel from a copy of the tree (the build writes its scratch folders there)
    and compare its files with the source tree's."""
    import shutil
    import subprocess
    import sys
    import zipfile

    src = tmp_path / "src"
    src.mkdir()
    for name in ("core", "plugins", "templates"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, src / name)
    built = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation",
                            "--outdir", str(tmp_path / "dist"), str(src)],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (wheel,) = (tmp_path / "dist").glob("civic_personnel-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = _source_files() - names
    assert not missing, f"not in the wheel: {sorted(missing)}"


@pytest.mark.skipif(not SOURCE_TREE, reason="needs the source tree")
def test_every_plugin_is_an_entry_point():
    declared = _config()["project"].get("entry-points", {}).get("civic", {})
    targets = {value.split(":")[0].rsplit(".", 1)[0] for value in declared.values()}
    plugins = {p.name for p in (ROOT / "plugins").iterdir()
               if (p / "__init__.py").exists()}
    missing = {name for name in plugins if f"civic.plugins.{name}" not in targets}
    assert not missing, f"declare entry points for: {sorted(missing)}"


def test_installed_entry_points_load():
    for ep in entry_points(group="civic"):
        assert ep.load() is not None


@pytest.mark.skipif(not SOURCE_TREE, reason="needs the source tree")
def test_no_module_shadows_a_mapped_package():
    # In editable mode core/plugins.py or core/templates.py would hide civic.plugins/templates.
    assert not (ROOT / "core" / "plugins.py").exists()
    assert not (ROOT / "core" / "templates.py").exists()


def test_package_data_is_installed():
    import civic

    base = Path(civic.__file__).parent
    assert list((base / "locale").rglob("civic.mo")), "compiled catalogs missing"
