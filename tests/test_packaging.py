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


@pytest.mark.skipif(not SOURCE_TREE, reason="needs the source tree")
def test_every_package_is_listed_for_the_wheel():
    listed = set(_config()["tool"]["setuptools"]["packages"])
    missing = _packages_on_disk() - listed
    assert not missing, f"add to [tool.setuptools] packages: {sorted(missing)}"


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
