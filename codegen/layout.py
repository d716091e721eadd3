"""The on-disk layout of a spec snapshot (``openapi/<major.minor>/``) and its JSON form.

    version.json                    the apiserver's /version
    discovery/api.json              aggregated discovery of /api  (apidiscovery.k8s.io/v2)
    discovery/apis.json             aggregated discovery of /apis
    openapi-v3/api__v1.json         one OpenAPI v3 document per group-version,
    openapi-v3/apis__apps__v1.json  named after its /openapi/v3 path, '/' -> '__'
    openapi-v3/{api,apis,version}.json  the root documents (discovery and version.Info types)

Every file is JSON with sorted keys, 1-space indentation and a trailing newline, so two
snapshots diff line by line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

VERSION_FILE = "version.json"
DISCOVERY_DIR = "discovery"
DISCOVERY_FILES = ("api.json", "apis.json")
OPENAPI_V3_DIR = "openapi-v3"


def dump_json(value: Any) -> str:
    """The stable JSON text of a snapshot file."""
    return json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def v3_file_name(openapi_path: str) -> str:
    """``apis/apps/v1`` -> ``apis__apps__v1.json``."""
    return openapi_path.strip("/").replace("/", "__") + ".json"


def gv_openapi_path(group: str, version: str) -> str:
    return f"api/{version}" if group == "" else f"apis/{group}/{version}"


def is_snapshot(path: Path) -> bool:
    return path.is_dir() and (path / OPENAPI_V3_DIR).is_dir()
