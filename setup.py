"""Expands the folder → package map of pyproject.toml into the full list of packages."""

import tomllib
from pathlib import Path

from setuptools import find_packages, setup

root = Path(__file__).parent
folders = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
packages = []
for package, folder in folders.items():
    packages.append(package)
    packages.extend(f"{package}.{sub}" for sub in find_packages(str(root / folder)))
setup(packages=packages)
