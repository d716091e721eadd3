"""Expands the folder → package map of pyproject.toml into the full list of packages."""

import tomllib
from pathlib import Path

from setuptools import find_namespace_packages, setup

root = Path(__file__).parent
folders = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
packages = []
for package, folder in folders.items():
    packages.append(package)
    # namespace packages too: data folders (codegen/templates) are listed, as setuptools asks
    subs = find_namespace_packages(str(root / folder), exclude=["*__pycache__*"])
    packages.extend(f"{package}.{sub}" for sub in subs)
setup(packages=packages)
