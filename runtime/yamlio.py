"""The one YAML reader of kubetyped: YAML as Kubernetes reads it (``sigs.k8s.io/yaml``).

``sigs.k8s.io/yaml`` (kubectl, client-go's ``clientcmd``, the apiserver's YAML decoder)
parses YAML 1.1 with go-yaml and converts the result to JSON. Differences from PyYAML's safe
loader that matter for Kubernetes documents, and how this loader follows Kubernetes:

- a plain ``=`` is a string (PyYAML refuses it: no constructor for ``tag:yaml.org,2002:value``);
- unquoted timestamps (``2024-01-02``, ``2024-01-02T03:04:05Z``) stay strings, as in the JSON
  the apiserver stores (PyYAML makes them ``datetime``);
- anchors, aliases and ``<<`` merge keys work; YAML 1.1 booleans (``yes``/``on``) are booleans.

libyaml's parser is used when PyYAML was built with it (about ten times faster).
Used for CRDs (codegen), kubeconfig files, manifests and the fake apiserver's YAML bodies.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import Any, ClassVar

import yaml

from kubetyped.errors import KubetypedError

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class YamlError(KubetypedError, ValueError):
    """A document that is not valid YAML; ``source``, ``line`` and ``column`` (1-based) say where."""

    def __init__(self, problem: str, *, source: str, line: int | None, column: int | None) -> None:
        at = f" at line {line}, column {column}" if line is not None else ""
        super().__init__(f"{source}: invalid YAML{at}: {problem}")
        self.source = source
        self.problem = problem
        self.line = line
        self.column = column


class KubernetesLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe constructors; timestamps resolve as strings and ``=`` constructs as a string."""

    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, Any]]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        """PyYAML's tag resolution of a node, memoised for plain scalars."""
        # plain scalars repeat a lot in Kubernetes documents ("type", "string", "object")
        if kind is yaml.ScalarNode and implicit[0]:
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = _RESOLVED[value] = super().resolve(kind, value, implicit)
            return tag
        return super().resolve(kind, value, implicit)


_RESOLVED: dict[str, str] = {}
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


def _value(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


KubernetesLoader.add_constructor("tag:yaml.org,2002:value", _value)


def _construct(loader: KubernetesLoader, node: yaml.Node, memo: dict[int, Any]) -> Any:
    """Plain data of a node: PyYAML's safe constructors, with a fast path for the common tags."""
    found = memo.get(id(node))
    if found is not None:
        return found
    tag = node.tag
    if tag == _STR:
        return node.value
    if tag == _SEQ:
        items: list[Any] = []
        memo[id(node)] = items
        items.extend(_construct(loader, child, memo) for child in node.value)
        return items
    if tag == _MAP and not any(key.tag == "tag:yaml.org,2002:merge" for key, _ in node.value):
        mapping: dict[Any, Any] = {}
        memo[id(node)] = mapping
        for key_node, value_node in node.value:
            key = _construct(loader, key_node, memo)
            if not isinstance(key, Hashable):
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found unhashable key",
                    key_node.start_mark,
                )
            mapping[key] = _construct(loader, value_node, memo)
        return mapping
    value = loader.construct_object(node, deep=True)
    if isinstance(node, yaml.CollectionNode):
        memo[id(node)] = value
    return value


def _documents(text: str | bytes) -> Iterator[Any]:
    loader = KubernetesLoader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            yield _construct(loader, node, {}) if node is not None else None
    finally:
        loader.dispose()


def _error(error: yaml.YAMLError, source: str) -> YamlError:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    if mark is None:
        return YamlError(str(problem), source=source, line=None, column=None)
    return YamlError(str(problem), source=source, line=mark.line + 1, column=mark.column + 1)


def load(text: str | bytes, *, source: str = "<yaml>") -> Any:
    """The single document of ``text`` as plain data (None for an empty document).

    Raises ``YamlError`` naming ``source`` and the line for invalid YAML.
    """
    try:
        documents = [d for d in _documents(text)]
    except yaml.YAMLError as error:
        raise _error(error, source) from None
    if len(documents) > 1:
        raise YamlError("expected a single document", source=source, line=None, column=None)
    return documents[0] if documents else None


def load_all(text: str | bytes, *, source: str = "<yaml>") -> list[Any]:
    """Every document of a multi-document stream (``---``), empty documents dropped.

    Raises ``YamlError`` naming ``source`` and the line for invalid YAML.
    """
    try:
        return [d for d in _documents(text) if d is not None]
    except yaml.YAMLError as error:
        raise _error(error, source) from None
