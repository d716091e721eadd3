"""One YAML reader, as Kubernetes reads YAML (sigs.k8s.io/yaml), for CRDs, kubeconfig files and
the fake apiserver's apply bodies (issue 14: PyYAML's safe loader refuses a plain ``=``)."""

from __future__ import annotations

import json
import shutil
import subprocess
import textwrap
from pathlib import Path

import httpx
import pytest
import yaml

from kubetyped import yamlio
from kubetyped.config import load_kubeconfig
from kubetyped.config.errors import KubeconfigParseError

DOCUMENT = """\
enum: [=, "!=", ==]
created: 2024-01-02T03:04:05Z
day: 2024-01-02
flag: yes
base: &base {image: nginx, pullPolicy: Always}
container: {<<: *base, name: web}
again: *base
count: 0x1f
ratio: 1.5
nothing: null
"""


def test_kubernetes_scalars_anchors_and_merge_keys() -> None:
    with pytest.raises(yaml.YAMLError):  # what PyYAML's safe loader does with `=`
        yaml.safe_load(DOCUMENT)
    assert yamlio.load(DOCUMENT) == {
        "enum": ["=", "!=", "=="],
        "created": "2024-01-02T03:04:05Z",  # timestamps stay strings, as in the stored JSON
        "day": "2024-01-02",
        "flag": True,  # YAML 1.1
        "base": {"image": "nginx", "pullPolicy": "Always"},
        "container": {"image": "nginx", "pullPolicy": "Always", "name": "web"},
        "again": {"image": "nginx", "pullPolicy": "Always"},
        "count": 31,
        "ratio": 1.5,
        "nothing": None,
    }


def test_streams_and_errors() -> None:
    assert yamlio.load_all("a: 1\n---\n---\nb: [x]\n") == [{"a": 1}, {"b": ["x"]}]
    assert yamlio.load("") is None
    with pytest.raises(yamlio.YamlError) as caught:
        yamlio.load("a: 1\nb: [\n", source="crds.yaml")
    assert caught.value.source == "crds.yaml" and caught.value.line == 3
    assert str(caught.value).startswith("crds.yaml: invalid YAML at line 3")
    with pytest.raises(yamlio.YamlError, match="single document"):
        yamlio.load("a: 1\n---\nb: 2\n")


def test_kubeconfig_is_read_with_the_same_loader(tmp_path: Path) -> None:
    path = tmp_path / "config"
    path.write_text(
        "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
        "clusters: [{name: k, cluster: {server: 'https://127.0.0.1:6443'}}]\n"
        "users: [{name: u, user: {token: =}}]\n"
        "contexts: [{name: c, context: {cluster: k, user: u, namespace: 2024-01-02}}]\n"
    )
    config = load_kubeconfig(path)
    assert config.namespace == "2024-01-02"  # a string, not a date
    broken = tmp_path / "broken"
    broken.write_text("clusters: [\n")
    with pytest.raises(KubeconfigParseError, match="invalid YAML at line 2"):
        load_kubeconfig(broken)


def test_fake_apply_bodies_are_read_with_the_same_loader() -> None:
    from kubetyped.fake.server import _decode

    body = b"data: {op: =, day: 2024-01-02}\n"
    request = httpx.Request("PATCH", "http://fake/api/v1/namespaces/a/configmaps/b", content=body)
    assert _decode(request, yaml_body=True) == {"data": {"op": "=", "day": "2024-01-02"}}


# What sigs.k8s.io/yaml makes of scalars and keys where PyYAML differs. EXPECTED is kubectl's
# output (v1.32.4: `kubectl config view --raw -o json` of a kubeconfig whose preferences hold
# this mapping as an extension: clientcmd reads YAML through sigs.k8s.io/yaml and keeps it).
SCALARS = """\
on: a
y: b
n: c
1: d
1.5: e
0x1F: f
010: g
2024-01-02: j
1e3: k
.inf: l
0.1: s
-7: r
values: [on, y, n, Y, 1:30, 010, 08, 0x1F, 0o17, 0b101, +12, 1e3, 12e-3, 1_000, 1.0, .5,
  12_3.5, 1e21, 1e400, tRUE, ~, null, "=", =, 2024-01-02, "y", !!str 12, !!int "0x10",
  !!binary aGVsbG8=, !Ref abc]
base: &b {x: 1, z: 2}
before: {x: 0, <<: *b, z: 3}
listed: {<<: [*b, {x: 5, w: 6}], z: 9}
floats: {1e300: a, 123456789.0: b, 1.0e-7: c, 1000000.0: d, 100000.0: e, 3.14159265: f}
"""
EXPECTED = {
    "true": "b",  # `on` and `y`: both true, the later one wins
    "false": "c",
    "1": "d",
    "1.5": "e",
    "31": "f",
    "8": "g",
    "2024-01-02": "j",
    "1000": "k",
    ".inf": "l",
    "0.1": "s",
    "-7": "r",
    "values": [True, True, False, True, "1:30", 8, 8, 31, 15, 5, 12, 1000, 0.012, 1000, 1,
               0.5, 123.5, 1e21, "1e400", "tRUE", None, None, "=", "=", "2024-01-02", "y",
               "12", 16, "hello", "abc"],
    "base": {"x": 1, "z": 2},
    "before": {"x": 1, "z": 3},  # go-yaml v2: merged keys override the keys before them
    "listed": {"x": 1, "z": 9, "w": 6},
    # float keys as Go's FormatFloat(f, 'g', -1, 32)
    "floats": {".inf": "a", "1.2345679e+08": "b", "1e-07": "c", "1e+06": "d", "100000": "e",
               "3.1415927": "f"},
}  # fmt: skip


def test_scalars_and_keys_as_sigs_k8s_io_yaml_gives_them() -> None:
    loaded = yamlio.load(SCALARS)
    assert loaded == EXPECTED
    assert [type(v) for v in loaded["values"][11:15]] == [int, float, int, int]


def test_kubectl_agrees(tmp_path: Path) -> None:
    """The oracle, where kubectl is installed (it is on the project's machines)."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed")
    extension = textwrap.indent(SCALARS, " " * 6)
    config = tmp_path / "config"
    config.write_text(
        "apiVersion: v1\nkind: Config\npreferences:\n  extensions:\n  - name: probe\n"
        f"    extension:\n{extension}"
    )
    done = subprocess.run(
        [kubectl, "config", "view", "--raw", "-o", "json", "--kubeconfig", str(config)],
        capture_output=True,
        check=True,
        timeout=60,
    )
    oracle = json.loads(done.stdout)["preferences"]["extensions"][0]["extension"]
    assert yamlio.load(SCALARS) == oracle == EXPECTED


@pytest.mark.parametrize(
    ("text", "problem", "line"),
    [
        ("a: 1\n~: x\n", "unsupported map key of type null", 2),
        ("a: {[1]: x}\n", "unsupported map key", 1),
        ("a:\n- .nan\n", "unsupported value", 2),
        ("a: !!int abc\n", "cannot decode !!int", 1),
        ("a: *nowhere\n", "nowhere", 1),
    ],
)
def test_what_sigs_k8s_io_yaml_refuses(text: str, problem: str, line: int) -> None:
    with pytest.raises(yamlio.YamlError, match=problem) as caught:
        yamlio.load(text, source="x.yaml")
    assert caught.value.line == line and caught.value.source == "x.yaml"


def test_data_is_built_from_the_event_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    """No node graph: composing nodes (each scalar resolved through a Python call) was most
    of the YAML time of a generation (argo-workflows: 11 MB of CRDs)."""

    def refuse(*args: object) -> None:
        raise AssertionError("a node graph was composed")

    for loader in {yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)}:
        for method in ("check_node", "get_node", "get_single_node", "compose_node"):
            monkeypatch.setattr(loader, method, refuse, raising=False)
    crds = Path(__file__).parents[1] / "data" / "crds" / "cert-manager"
    issuers = (crds / "cert-manager.io_issuers.yaml").read_bytes()
    assert yamlio.load_all(issuers)[0]["kind"] == "CustomResourceDefinition"
