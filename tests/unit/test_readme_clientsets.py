"""Every clientset the README and the examples build is closed (newcomer review, 06:20).

A clientset never closed leaves its pooled sockets to the garbage collector, which warns
`ResourceWarning: unclosed <ssl.SSLSocket ...>`; code copied from the README must not.
"""

from __future__ import annotations

import ast
import gc
import json
import re
import threading
import warnings
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from test_config_support import simple_kubeconfig, write_kubeconfig

from kubetyped_kubernetes import Clientset

ROOT = Path(__file__).resolve().parents[2]
CONSTRUCTORS = {"from_kubeconfig", "from_incluster", "from_config", "load"}


def _sources() -> Iterator[tuple[str, str]]:
    readme = (ROOT / "README.md").read_text()
    for index, block in enumerate(re.findall(r"```python\n(.*?)```", readme, re.S)):
        yield f"README.md python block {index}", block
    for path in sorted((ROOT / "examples").glob("*.py")):
        yield str(path.relative_to(ROOT)), path.read_text()


def _unclosed_clientsets(source: str) -> list[str]:
    """Clientset constructor calls that are not the expression of a `with`/`async with`."""
    tree = ast.parse(source)
    managed = {
        id(item.context_expr)
        for node in ast.walk(tree)
        if isinstance(node, ast.With | ast.AsyncWith)
        for item in node.items
    }
    return [
        f"line {node.lineno}: {ast.unparse(node)}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in CONSTRUCTORS
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id.endswith("Clientset")
        and id(node) not in managed
    ]


def test_readme_and_examples_close_every_clientset() -> None:
    found = {name: calls for name, source in _sources() if (calls := _unclosed_clientsets(source))}
    assert found == {}


def test_the_check_sees_an_unclosed_clientset() -> None:
    assert _unclosed_clientsets(
        "cs = Clientset.from_kubeconfig()\nwith Clientset.load() as c: pass"
    ) == ["line 1: Clientset.from_kubeconfig()"]


@pytest.fixture
def server_kubeconfig(tmp_path: Path) -> Iterator[Path]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            body = json.dumps({"kind": "ConfigMapList", "apiVersion": "v1", "items": []}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    cluster = {"server": f"http://127.0.0.1:{server.server_address[1]}"}
    yield write_kubeconfig(tmp_path / "config", simple_kubeconfig(cluster=cluster))
    server.shutdown()
    server.server_close()


def _resource_warnings(use: Any) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        use()
        gc.collect()
    return [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]


def test_with_closes_what_an_unclosed_clientset_leaks(server_kubeconfig: Path) -> None:
    """What the README's `with` is for: without it the socket is left to the collector."""

    def unclosed() -> None:
        cs = Clientset.from_kubeconfig(server_kubeconfig)
        cs.core_v1.config_maps("default").list()

    def closed() -> None:
        with Clientset.from_kubeconfig(server_kubeconfig) as cs:
            cs.core_v1.config_maps("default").list()

    assert any("unclosed" in message for message in _resource_warnings(unclosed))
    assert _resource_warnings(closed) == []
