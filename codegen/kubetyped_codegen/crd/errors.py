"""The typed error of bad CRD input: names the file, the CRD and the JSON path."""

from __future__ import annotations

from kubetyped_codegen.errors import CodegenError


class CrdError(CodegenError):
    """A CustomResourceDefinition (YAML or served) cannot be turned into types."""

    #: exit code of ``kubetyped generate``/``diff``: bad input (2), like every input error
    exit_code = 2

    def __init__(
        self, message: str, *, file: str, crd: str = "", path: str = "", version: str = ""
    ) -> None:
        shown = path if len(path) <= 160 else f"{path[:60]}...{path[-80:]}"
        at_version = f"version {version}" if version else ""
        where = ": ".join(part for part in (file, crd, at_version, shown) if part)
        super().__init__(f"{where}: {message}")
        self.file = file
        self.crd = crd
        self.version = version
        self.path = path
