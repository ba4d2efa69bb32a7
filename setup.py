"""Package discovery through the layout's mapping (core/ -> civic, plugins/ -> civic.plugins,
templates/ -> civic.templates; pyproject.toml's package-dir).

setuptools' own discovery (`[tool.setuptools.packages.find]`) names a package after its folder,
so it would find `core.cli` rather than `civic.cli`; this finds the packages under each mapped
folder and names them after the package the folder maps to. Everything else is in
pyproject.toml. A new plugin or sub-package ships with no edit here.
"""

from setuptools import find_packages, setup

MAPPING = {"civic": "core", "civic.plugins": "plugins", "civic.templates": "templates"}


def packages() -> list[str]:
    found = []
    for name, folder in MAPPING.items():
        found.append(name)
        found += [f"{name}.{sub}" for sub in find_packages(folder, exclude=["*__pycache__*"])]
    return found


if __name__ != "discover":  # tests/test_packaging.py reads packages() alone
    setup(packages=packages())
