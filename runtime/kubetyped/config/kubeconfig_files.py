"""Finding, parsing and merging kubeconfig files with client-go's rules.

* Without explicit paths: `KUBECONFIG` split on `os.pathsep` (empty and missing entries skipped,
  duplicates dropped), else `~/.kube/config`. Explicit paths must exist.
* The first file that defines a named cluster, user or context wins, and wins whole.
* The first non-empty `current-context` wins.
* Relative file references resolve against the directory of the file that names them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kubetyped.config.errors import KubeconfigNotFoundError, KubeconfigParseError

__all__ = ["Entry", "MergedKubeconfig", "default_kubeconfig_paths", "load_merged_kubeconfig"]

PathLike = str | os.PathLike[str]
KubeconfigPaths = PathLike | Sequence[PathLike]

#: entry kind -> (top-level list key, inner map key)
_SECTIONS = {
    "cluster": ("clusters", "cluster"),
    "user": ("users", "user"),
    "context": ("contexts", "context"),
}
#: fields holding file paths, per entry kind
_PATH_FIELDS = {
    "cluster": ("certificate-authority",),
    "user": ("client-certificate", "client-key", "tokenFile"),
    "context": (),
}


@dataclass(frozen=True)
class Entry:
    """One named cluster, user or context, with the file that defined it."""

    kind: str
    name: str
    body: Mapping[str, Any]
    source: Path

    def where(self, field_name: str | None = None) -> str:
        """`user "x" (field "token") in /path/config`."""
        at = f' (field "{field_name}")' if field_name else ""
        return f'{self.kind} "{self.name}"{at} in {self.source}'


@dataclass(frozen=True)
class MergedKubeconfig:
    """The merged view of several kubeconfig files."""

    files: tuple[Path, ...]
    clusters: Mapping[str, Entry]
    users: Mapping[str, Entry]
    contexts: Mapping[str, Entry]
    current_context: str | None = None
    current_context_source: Path | None = None

    def describe_files(self) -> str:
        """The merged files as one comma-separated string for error messages ("<no files>" when none)."""
        return ", ".join(str(f) for f in self.files) or "<no files>"


def default_kubeconfig_paths(environ: Mapping[str, str] | None = None) -> tuple[list[Path], bool]:
    """Candidate files and whether they came from `KUBECONFIG` (missing ones may be skipped)."""
    env = os.environ if environ is None else environ
    entries = [e for e in env.get("KUBECONFIG", "").split(os.pathsep) if e]
    if entries:
        unique = list(dict.fromkeys(Path(os.path.expanduser(e)) for e in entries))
        return unique, True
    return [Path.home() / ".kube" / "config"], False


def _parse_error(path: Path, message: str, field_name: str | None = None) -> KubeconfigParseError:
    return KubeconfigParseError(f"{path}: {message}", path=str(path), field=field_name)


def _resolve(base: Path, value: object) -> object:
    if isinstance(value, str) and value and not os.path.isabs(value):
        return str(base / value)
    return value


def _resolve_paths(kind: str, body: dict[str, Any], base: Path) -> dict[str, Any]:
    out = dict(body)
    for key in _PATH_FIELDS[kind]:
        if key in out:
            out[key] = _resolve(base, out[key])
    if kind == "user":
        exec_ = out.get("exec")
        if isinstance(exec_, dict) and isinstance(exec_.get("command"), str):
            command = exec_["command"]
            if os.sep in command:  # a bare name is looked up on PATH, like client-go
                out["exec"] = {**exec_, "command": _resolve(base, command)}
        provider = out.get("auth-provider")
        if isinstance(provider, dict) and isinstance(provider.get("config"), dict):
            cfg = provider["config"]
            if "idp-certificate-authority" in cfg:
                cfg = {
                    **cfg,
                    "idp-certificate-authority": _resolve(base, cfg["idp-certificate-authority"]),
                }
                out["auth-provider"] = {**provider, "config": cfg}
    return out


def parse_kubeconfig(path: Path, text: str) -> dict[str, Any]:
    """Parse one file into a plain mapping; syntax and shape errors name the file."""
    from kubetyped import yamlio  # loaded only when a file is parsed (in-cluster configs skip it)

    try:
        doc = yamlio.load(text, source=str(path))
    except yamlio.YamlError as exc:
        at = f" at line {exc.line}, column {exc.column}" if exc.line is not None else ""
        raise _parse_error(path, f"invalid YAML{at}: {exc.problem}") from None
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise _parse_error(path, f"top level must be a mapping, got {type(doc).__name__}")
    return doc


def _named_entries(path: Path, doc: Mapping[str, Any], kind: str) -> list[Entry]:
    list_key, inner_key = _SECTIONS[kind]
    items = doc.get(list_key)
    if items is None:
        return []
    if not isinstance(items, list):
        raise _parse_error(path, f'"{list_key}" must be a list', list_key)
    base = Path(os.path.abspath(path)).parent
    seen: set[str] = set()
    entries = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"]:
            raise _parse_error(
                path, f'{list_key}[{index}] needs a non-empty string "name"', list_key
            )
        name = item["name"]
        if name in seen:
            raise _parse_error(path, f'{kind} "{name}" is defined twice', list_key)
        seen.add(name)
        body = item.get(inner_key)
        if body is None:
            body = {}
        if not isinstance(body, dict):
            raise _parse_error(path, f'{kind} "{name}": "{inner_key}" must be a mapping', inner_key)
        entries.append(Entry(kind, name, _resolve_paths(kind, body, base), path))
    return entries


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KubeconfigNotFoundError(f"kubeconfig {path} does not exist", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KubeconfigParseError(
            f"cannot read kubeconfig {path}: {exc}", path=str(path)
        ) from None


def merge_kubeconfig_docs(docs: Sequence[tuple[Path, Mapping[str, Any]]]) -> MergedKubeconfig:
    """Merge already parsed documents, each with the path it came from, in order."""
    sections: dict[str, dict[str, Entry]] = {"cluster": {}, "user": {}, "context": {}}
    current: str | None = None
    current_source: Path | None = None
    for path, doc in docs:
        for kind, merged in sections.items():
            for entry in _named_entries(path, doc, kind):
                merged.setdefault(entry.name, entry)  # first definition wins, whole
        value = doc.get("current-context")
        if value is not None and not isinstance(value, str):
            raise _parse_error(path, '"current-context" must be a string', "current-context")
        if current is None and value:
            current, current_source = value, path
    return MergedKubeconfig(
        files=tuple(path for path, _ in docs),
        clusters=sections["cluster"],
        users=sections["user"],
        contexts=sections["context"],
        current_context=current,
        current_context_source=current_source,
    )


def merge_kubeconfig_files(files: Sequence[Path]) -> MergedKubeconfig:
    """Read and merge files in order; every file must exist."""
    return merge_kubeconfig_docs([(path, parse_kubeconfig(path, _read(path))) for path in files])


def load_merged_kubeconfig(paths: KubeconfigPaths | None = None) -> MergedKubeconfig:
    """Resolve which files to read (see module doc) and merge them."""
    if paths is not None:
        explicit = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
        files = [Path(os.path.expanduser(os.fspath(p))) for p in explicit]
        if not files:
            raise KubeconfigNotFoundError("no kubeconfig paths given")
        return merge_kubeconfig_files(files)
    candidates, from_env = default_kubeconfig_paths()
    existing = [p for p in candidates if p.exists()]
    if not existing:
        where = (
            f"KUBECONFIG ({os.pathsep.join(map(str, candidates))})"
            if from_env
            else str(candidates[0])
        )
        raise KubeconfigNotFoundError(f"no kubeconfig found: {where} does not exist")
    return merge_kubeconfig_files(existing)
