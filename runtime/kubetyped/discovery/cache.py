"""kubectl-compatible disk cache of discovery: `<cache>/discovery/<host_port>/…`, 6 h TTL.

Layout (the files kubectl reads and writes): `servergroups.json` (an `APIGroupList` including the
core group "") and `<group version>/serverresources.json` (`APIResourceList`) per group version.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

from kubetyped.discovery.errors import DiscoveryDocumentError
from kubetyped.discovery.model import Discovery, group_version
from kubetyped.discovery.parse import from_legacy_documents, to_group_list, to_resource_list

__all__ = ["DEFAULT_TTL", "DiskCache", "default_cache_root", "discovery_cache_dir"]

DEFAULT_TTL = 6 * 60 * 60.0
_UNSAFE = re.compile(r"[^(\w/.)]")


def default_cache_root() -> Path:
    """`$KUBECACHEDIR`, else `~/.kube/cache` (kubectl's `--cache-dir` default)."""
    override = os.environ.get("KUBECACHEDIR")
    return Path(override) if override else Path.home() / ".kube" / "cache"


def discovery_cache_dir(server: str, root: Path | None = None) -> Path:
    """kubectl's per-server directory: scheme dropped, unsafe characters → `_`."""
    host = server.replace("https://", "", 1).replace("http://", "", 1)
    return (root or default_cache_root()) / "discovery" / _UNSAFE.sub("_", host)


class DiskCache:
    """Reads and writes one server's discovery snapshot; stale after `ttl` seconds."""

    def __init__(self, directory: Path, ttl: float = DEFAULT_TTL) -> None:
        self.directory = directory
        self.ttl = ttl

    def _fresh(self, path: Path) -> bool:
        try:
            return time.time() - path.stat().st_mtime < self.ttl
        except OSError:
            return False

    def _read(self, path: Path) -> Any:
        try:
            return orjson.loads(path.read_bytes())
        except orjson.JSONDecodeError as exc:
            raise DiscoveryDocumentError(str(path), f"not JSON ({exc})") from None

    def load(self) -> Discovery | None:
        """The cached snapshot, or None when missing, stale, incomplete or unreadable."""
        groups_path = self.directory / "servergroups.json"
        if not self._fresh(groups_path):
            return None
        try:
            group_list = self._read(groups_path)
            snapshot = from_legacy_documents(group_list, {}, str(self.directory))
            resource_lists = {}
            for api_group in snapshot.groups:
                for version in api_group.versions:
                    gv = group_version(api_group.name, version)
                    path = self.directory / gv / "serverresources.json"
                    if not self._fresh(path):
                        return None
                    resource_lists[gv] = self._read(path)
            return from_legacy_documents(group_list, resource_lists, str(self.directory))
        except (OSError, DiscoveryDocumentError):
            return None

    def store(self, discovery: Discovery) -> None:
        """Write the snapshot (failed group versions are left out); errors are ignored like
        kubectl does, a cache that cannot be written is just not used."""
        with contextlib.suppress(OSError):
            for gv, resources in discovery.resources.items():
                self._write(
                    self.directory / gv / "serverresources.json", to_resource_list(gv, resources)
                )
            self._write(self.directory / "servergroups.json", to_group_list(discovery))

    def _write(self, path: Path, document: Any) -> None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(orjson.dumps(document))
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def clear(self) -> None:
        """Mark the cache stale (the next `load` misses) without deleting kubectl's files."""
        with contextlib.suppress(OSError):
            (self.directory / "servergroups.json").unlink()
