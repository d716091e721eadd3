"""A user's code catching kubetyped errors by the names their packages export (each error is
importable from the package of its concept; `kubetyped.errors`' docstring indexes them).

Checked by `mypy --strict` and pyright with no plugin; never run. Must produce no diagnostics:
an error a package did not export would be an unknown import (and `Any`, failing the
`assert_type` lines).
"""

from __future__ import annotations

from typing import assert_type

import kubetyped
from kubetyped.apply import ApplyError, ApplyResult
from kubetyped.cache import (
    IndexConflictError,
    Indexer,
    NotCachedError,
    ReflectorStateError,
    UnknownIndexError,
    namespace_index_func,
)
from kubetyped.errors import ApiError, KubetypedError, NotFoundError
from kubetyped.manifests import YamlError, load_manifests
from kubetyped.model import ModelDecodeError, Time, TimeParseError
from kubetyped_codegen.pipeline import CodegenError, CrdError, SpecError, SpecSource, load_spec


def lookup(indexer: Indexer[dict[str, object]], index: str) -> int:
    try:
        return len(indexer.by_index(index, "default"))
    except UnknownIndexError as error:
        assert_type(error, UnknownIndexError)
        return -1


def add_namespace_index(indexer: Indexer[dict[str, object]]) -> bool:
    try:
        indexer.add_indexers({"namespace": namespace_index_func})
    except IndexConflictError:
        return False
    return True


def read_manifests(text: str) -> list[object]:
    try:
        return load_manifests(text)
    except YamlError as error:
        assert_type(error, YamlError)
        return []


def parse_time(text: str) -> Time | None:
    try:
        return Time.from_wire(text)
    except TimeParseError:
        return None


def outcome(result: ApplyResult) -> str:
    error = result.error
    if isinstance(error, ApplyError):
        return f"cannot be applied as written: {error}"
    if isinstance(error, ApiError):
        return f"{error.code} {error.reason}"
    return "applied"


def classify(error: BaseException) -> str:
    if isinstance(error, NotCachedError | NotFoundError):
        return "missing"
    if isinstance(error, ModelDecodeError):
        assert_type(error.path, str)
        return "bad server data"
    if isinstance(error, ReflectorStateError):
        return "reflector driver bug"
    if isinstance(error, KubetypedError):
        return "kubetyped"
    return "other"


def spec_loads(path: str) -> bool:
    try:
        load_spec(SpecSource(spec=path))
    except SpecError as error:
        assert_type(error.source, str | None)
        return False
    except (CrdError, CodegenError):
        return False
    return True


assert_type(kubetyped.ModelDecodeError, type[ModelDecodeError])
