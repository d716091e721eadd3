"""Write spec snapshots (see ``layout``) from a live apiserver or from an offline swagger file.

A swagger import (``--from-swagger``) is converted into the same layout: one v3-shaped
document per group-version (``v2_to_v3``) plus aggregated discovery documents reconstructed
from the v2 paths, so the v3 loader yields the same IR as the v2 loader (short names and
categories, absent from v2, stay empty).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import orjson

from kubetyped_codegen import console, discovery
from kubetyped_codegen.errors import SnapshotError
from kubetyped_codegen.ir import VersionInfo
from kubetyped_codegen.layout import (
    DISCOVERY_DIR,
    OPENAPI_V3_DIR,
    VERSION_FILE,
    dump_json,
    is_archive_name,
    snapshot_name,
    v3_file_name,
    write_archive,
)
from kubetyped_codegen.load_v2 import load_v2_document, read_json, version_from_filename
from kubetyped_codegen.v2_to_v3 import convert

#: GET a server path with an Accept header, returning the body.
Fetch = Callable[[str, str], bytes]

# group-versions plus the documents of /api, /apis and /version (discovery and Info types)
_SNAPSHOT_PATH = re.compile(r"^(api|apis|version|api/v1|apis/[^/]+/[^/]+)$")


def write_snapshot(
    out: Path,
    version: Mapping[str, Any],
    discovery_documents: tuple[Mapping[str, Any], Mapping[str, Any]],
    v3_documents: Mapping[str, Mapping[str, Any]],
) -> list[Path]:
    """Write every snapshot file (stable JSON) into a folder, or one ``.tar.xz`` archive.

    A folder keeps its other files but loses the v3 documents no longer served.
    Returns the paths written (the archive alone for an archive).
    """
    texts: dict[str, str] = {VERSION_FILE: dump_json(version)}
    for name, document in zip(("api.json", "apis.json"), discovery_documents, strict=True):
        texts[f"{DISCOVERY_DIR}/{name}"] = dump_json(document)
    for gv_path, document in v3_documents.items():
        texts[f"{OPENAPI_V3_DIR}/{v3_file_name(gv_path)}"] = dump_json(document)
    if is_archive_name(out):
        write_archive(out, texts)
        return [out]
    files = {out / relative: text for relative, text in texts.items()}
    for stale in sorted((out / OPENAPI_V3_DIR).glob("*.json")):
        if stale not in files:
            stale.unlink()
    for path, text in sorted(files.items()):
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8", newline="\n")
    return sorted(files)


def _json(fetch: Fetch, path: str, accept: str = "application/json") -> Any:
    body = fetch(path, accept)
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise SnapshotError(f"GET {path}: invalid JSON ({error})") from None


def resolve_out(out: Path | None, version: VersionInfo, base: Path) -> Path:
    """Where a snapshot of ``version`` goes.

    ``--out x/1.36`` or ``x/1.36.tar.xz`` as given (``SnapshotError`` when the name is another
    version: a 1.36 snapshot is never written into ``1.30``); another ``.tar.xz`` name as given;
    any other folder (or nothing: ``base``) gets ``<major.minor>/`` added.
    """
    if out is None:
        return base / version.major_minor
    named = snapshot_name(out)
    if re.fullmatch(r"\d+\.\d+", named):
        if named != version.major_minor:
            raise SnapshotError(
                f"--out {out} names Kubernetes {named}, but the API is Kubernetes "
                f"{version.major_minor} ({version.git_version or 'version.json'}); pass "
                f"--out {out.parent} (writes {out.parent / version.major_minor}) or name it "
                f"{version.major_minor}"
            )
        return out
    if is_archive_name(out):
        return out
    return out / version.major_minor


def fetch_snapshot_documents(
    fetch: Fetch, progress: Callable[[str], None] = lambda _: None
) -> tuple[dict[str, Any], tuple[dict[str, Any], dict[str, Any]], dict[str, dict[str, Any]]]:
    """(version, (api, apis) discovery, {gv path: v3 document}) from a live apiserver."""
    version = _json(fetch, "/version")
    api = _json(fetch, "/api", discovery.DISCOVERY_ACCEPT)
    apis = _json(fetch, "/apis", discovery.DISCOVERY_ACCEPT)
    for name, doc in (("/api", api), ("/apis", apis)):
        if doc.get("kind") != "APIGroupDiscoveryList":
            raise SnapshotError(f"GET {name}: the server does not serve aggregated discovery")
    index = _json(fetch, "/openapi/v3")
    gv_paths = sorted(p for p in index.get("paths", {}) if _SNAPSHOT_PATH.match(p))
    documents = {}
    for number, gv_path in enumerate(gv_paths, 1):
        progress(f"[{number}/{len(gv_paths)}] /openapi/v3/{gv_path}")
        documents[gv_path] = _json(fetch, f"/openapi/v3/{gv_path}")
    return version, (api, apis), documents


def version_info(raw: Mapping[str, Any]) -> VersionInfo:
    return VersionInfo(
        str(raw["major"]), str(raw["minor"]).rstrip("+"), str(raw.get("gitVersion", ""))
    )


def snapshot_from_swagger(
    swagger: Path, out: Path | None, base: Path, version: VersionInfo | None = None
) -> Path:
    """Import an offline swagger file into the snapshot layout; returns the snapshot dir."""
    document = read_json(swagger)
    version = version or version_from_filename(swagger)
    if version is None:
        raise SnapshotError(
            f"{swagger}: cannot tell the Kubernetes version; pass --kubernetes-version"
        )
    # the IR (paths only, no fixups needed for resources) gives the discovery documents
    spec = load_v2_document(orjson.loads(orjson.dumps(document)), version, source=str(swagger))
    target = resolve_out(out, version, base)
    raw_version = {
        "major": version.major,
        "minor": version.minor,
        "gitVersion": version.git_version,
        "importedFrom": swagger.name,
    }
    write_snapshot(target, raw_version, discovery.synthesise(spec.groups), convert(document))
    return target


def httpx_fetch(kubeconfig: Path | None, context: str | None) -> tuple[Fetch, Callable[[], None]]:
    """A fetch function over the runtime's kubeconfig loader and REST client."""
    from kubetyped.config import load_kubeconfig
    from kubetyped.rest import RESTClient

    config = load_kubeconfig(kubeconfig, context=context)
    client = RESTClient.from_config(config)

    def fetch(path: str, accept: str) -> bytes:
        return client.get_bytes(path, accept=accept)

    return fetch, client.close


def snapshot_from_cluster(
    kubeconfig: Path | None, context: str | None, out: Path | None, base: Path
) -> Path:
    """Fetch a snapshot (`/version`, aggregated discovery, every OpenAPI v3 document) from the
    cluster of `kubeconfig`/`context` (None: the default kubeconfig and its current context), write
    it where `resolve_out` puts it (`out`, else under `base`) and return that path. Progress goes to
    stderr; `ApiError`/`TransportError` from the cluster and `SnapshotError` propagate.
    """
    fetch, close = httpx_fetch(kubeconfig, context)
    try:
        version, discovery_documents, documents = fetch_snapshot_documents(fetch, console.progress)
    finally:
        close()
    target = resolve_out(out, version_info(version), base)
    write_snapshot(target, version, discovery_documents, documents)
    return target


__all__ = [
    "Fetch",
    "fetch_snapshot_documents",
    "read_json",
    "resolve_out",
    "snapshot_from_cluster",
    "snapshot_from_swagger",
    "write_snapshot",
]
