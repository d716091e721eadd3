"""The typed error of bad CRD input: names the file, the CRD and the JSON path."""

from __future__ import annotations

from kubetyped.codegen.errors import CodegenError


class CrdError(CodegenError):
    """A CustomResourceDefinition (YAML or served) cannot be turned into types."""

    def __init__(self, message: str, *, file: str, crd: str = "", path: str = "") -> None:
        where = ": ".join(part for part in (file, crd, path) if part)
        super().__init__(f"{where}: {message}")
        self.file = file
        self.crd = crd
        self.path = path
