"""Typed clients for CustomResourceDefinitions (from YAML or a live cluster)."""

from __future__ import annotations

from kubetyped_codegen.crd.errors import CrdError
from kubetyped_codegen.crd.generate import render_crd_package
from kubetyped_codegen.crd.spec import GroupFilter, spec_from_crd_files

__all__ = ["CrdError", "GroupFilter", "render_crd_package", "spec_from_crd_files"]
