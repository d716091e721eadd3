"""One YAML reader, as Kubernetes reads YAML (sigs.k8s.io/yaml), for CRDs, kubeconfig files and
the fake apiserver's apply bodies (issue 14: PyYAML's safe loader refuses a plain ``=``)."""

from __future__ import annotations

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
