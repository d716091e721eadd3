"""The layout of a spec snapshot (a folder ``<major.minor>/`` or an archive) and its JSON form.

    version.json                    the apiserver's /version
    discovery/api.json              aggregated discovery of /api  (apidiscovery.k8s.io/v2)
    discovery/apis.json             aggregated discovery of /apis
    openapi-v3/api__v1.json         one OpenAPI v3 document per group-version,
    openapi-v3/apis__apps__v1.json  named after its /openapi/v3 path, '/' -> '__'
    openapi-v3/{api,apis,version}.json  the root documents (discovery and version.Info types)

Every file is JSON with sorted keys, 1-space indentation and a trailing newline, so two
snapshot folders diff line by line. The same files packed into ``<major.minor>.tar.xz``
(sorted members, zero timestamps and owners, so one input gives one archive byte for byte) are
a snapshot too: the shipped ones are archives, about a tenth of the folder's size.
"""

from __future__ import annotations

import io
import json
import lzma
import tarfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kubetyped_codegen.errors import SpecError

VERSION_FILE = "version.json"
DISCOVERY_DIR = "discovery"
DISCOVERY_FILES = ("api.json", "apis.json")
OPENAPI_V3_DIR = "openapi-v3"
ARCHIVE_SUFFIX = ".tar.xz"


def dump_json(value: Any) -> str:
    """The stable JSON text of a snapshot file."""
    return json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def v3_file_name(openapi_path: str) -> str:
    """``apis/apps/v1`` -> ``apis__apps__v1.json``."""
    return openapi_path.strip("/").replace("/", "__") + ".json"


def gv_openapi_path(group: str, version: str) -> str:
    """The OpenAPI v3 document key of a group-version, as `/openapi/v3` lists it: `api/v1` for the
    core group, `apis/<group>/<version>` otherwise.
    """
    return f"api/{version}" if group == "" else f"apis/{group}/{version}"


def is_archive_name(path: Path) -> bool:
    """True when `path` names a snapshot archive (`.tar.xz`), whether or not it exists."""
    return path.name.endswith(ARCHIVE_SUFFIX)


def snapshot_name(path: Path) -> str:
    """``openapi/1.36`` and ``openapi/kubetyped_openapi/1.36.tar.xz`` -> ``1.36``."""
    return path.name.removesuffix(ARCHIVE_SUFFIX)


def is_snapshot(path: Path) -> bool:
    """A snapshot folder (with ``openapi-v3/``) or a snapshot archive file."""
    if is_archive_name(path):
        return path.is_file()
    return path.is_dir() and (path / OPENAPI_V3_DIR).is_dir()


def read_snapshot(path: Path) -> dict[str, bytes]:
    """Every file of a snapshot folder or archive, by relative path (``openapi-v3/x.json``).

    Raises ``SpecError`` naming the snapshot when it cannot be read.
    """
    if not is_archive_name(path):
        return {
            file.relative_to(path).as_posix(): file.read_bytes()
            for file in sorted(path.rglob("*.json"))
            if file.is_file()
        }
    try:
        with tarfile.open(path, "r:xz") as archive:
            files = {}
            for member in archive.getmembers():
                extracted = archive.extractfile(member) if member.isfile() else None
                if extracted is not None:
                    files[member.name] = extracted.read()
            return files
    except (OSError, tarfile.TarError, lzma.LZMAError) as error:
        raise SpecError(f"cannot read snapshot archive: {error}", source=str(path)) from None


def write_archive(target: Path, files: Mapping[str, str]) -> None:
    """Pack ``{relative path: text}`` into a reproducible ``.tar.xz`` (written atomically)."""
    buffer = io.BytesIO()
    with (
        lzma.LZMAFile(buffer, "w", preset=9 | lzma.PRESET_EXTREME) as packed,
        tarfile.open(fileobj=packed, mode="w", format=tarfile.PAX_FORMAT) as archive,
    ):
        for relative, text in sorted(files.items()):
            data = text.encode("utf-8")
            info = tarfile.TarInfo(relative)
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            archive.addfile(info, io.BytesIO(data))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.write_bytes(buffer.getvalue())
    partial.replace(target)
