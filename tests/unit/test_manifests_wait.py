"""Manifests (load, typed by apiVersion/kind, dump), apply preparation and the wait decision core
(no cluster; the e2e side is tests/e2e/test_apply_wait.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kubetyped.apply.common import ApplyError, place, prepare
from kubetyped.manifests import ManifestError, load_manifests, to_yaml
from kubetyped.wait import FieldPathError, condition, deleted, exists, field_equals
from kubetyped.wait.core import WaitState, parse_field_path
from kubetyped_kubernetes.models.apps_v1 import Deployment
from kubetyped_kubernetes.models.core_v1 import ConfigMap, ConfigMapList

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: prod}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
"""


def test_documents_become_typed_objects_or_dicts(tmp_path: Path) -> None:
    text = (
        DEPLOYMENT
        + "---\n# comment only\n---\n"
        + "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {enabled: yes}\n"
        + "---\n"
        + '{"apiVersion": "v1", "kind": "List", "items": ['
        + '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}]}\n'
    )
    objects = load_manifests(text)
    assert [type(o) for o in objects] == [Deployment, dict, ConfigMap]
    assert objects[0].spec.replicas == 2
    assert objects[1]["spec"] == {"enabled": True}  # YAML 1.1 as Kubernetes reads it
    # a folder, in name order; a stream
    (tmp_path / "b.yaml").write_text(DEPLOYMENT)
    (tmp_path / "a.json").write_text('{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}}')
    (tmp_path / "notes.txt").write_text("not a manifest")
    assert [type(o) for o in load_manifests(tmp_path)] == [ConfigMap, Deployment]
    assert [type(o) for o in load_manifests(io.StringIO(DEPLOYMENT))] == [Deployment]
    listed = load_manifests('{"apiVersion": "v1", "kind": "ConfigMapList", "items": []}')
    assert isinstance(listed[0], ConfigMapList)


def test_to_yaml_round_trips() -> None:
    objects = load_manifests(DEPLOYMENT + "---\napiVersion: x/v1\nkind: X\nmetadata: {name: x}\n")
    again = load_manifests(to_yaml(objects))
    assert [o.to_dict() if not isinstance(o, dict) else o for o in again] == [
        objects[0].to_dict(),
        objects[1],
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- a\n- b\n", "document 1: expected a mapping, got list"),
        (DEPLOYMENT + "---\nkind: ConfigMap\n", "document 2: apiVersion is missing"),
        ("apiVersion: v1\nkind: 3\n", "document 1: kind is missing or not a string"),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: []\n", "metadata is not a mapping"),
    ],
)
def test_bad_documents_name_source_document_and_field(text: str, problem: str) -> None:
    with pytest.raises(ManifestError, match=problem) as caught:
        load_manifests(text)
    assert str(caught.value).startswith("<manifest>: ")


def test_apply_preparation_defaults_the_namespace_without_touching_the_input() -> None:
    (deployment,) = load_manifests(DEPLOYMENT.replace(", namespace: prod", ""))
    body = prepare(deployment)
    assert place(body, True, "team") == "team" and body["metadata"]["namespace"] == "team"
    assert deployment.metadata.namespace is None
    explicit = prepare(
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "x"}}
    )
    assert place(explicit, True, "team") == "x"
    cluster_scoped = prepare(
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n", "namespace": "x"}}
    )
    assert place(cluster_scoped, False, "team") is None
    assert "namespace" not in cluster_scoped["metadata"]
    with pytest.raises(ApplyError, match=r"metadata\.name is required"):
        prepare({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}})


def test_field_paths() -> None:
    assert parse_field_path("{.status.phase}") == ("status", "phase")
    assert parse_field_path("status.containerStatuses[0].ready") == (
        "status",
        "containerStatuses",
        0,
        "ready",
    )
    for bad in ("", "{}", "status..phase", "status.conditions[x]"):
        with pytest.raises(FieldPathError):
            parse_field_path(bad)


def pod(name: str, phase: str = "Pending", ready: str = "False") -> dict[str, object]:
    return {
        "metadata": {"name": name},
        "status": {"phase": phase, "conditions": [{"type": "Ready", "status": ready}]},
    }


def test_wait_decisions() -> None:
    ready = WaitState("p", condition("Ready"))
    assert ready.on_list([pod("other", ready="True"), pod("p")]) is None
    assert ready.on_event("BOOKMARK", {"metadata": {"resourceVersion": "9"}}) is None
    assert ready.on_event("MODIFIED", pod("other", ready="True")) is None
    outcome = ready.on_event("MODIFIED", pod("p", ready="True"))
    assert outcome is not None and outcome.obj == pod("p", ready="True")
    assert ready.on_event("DELETED", pod("p", ready="True")) is None  # gone: not ready
    assert ready.last is None

    running = WaitState("p", field_equals(".status.phase", "Running"))
    assert running.on_list([pod("p")]) is None
    assert running.on_event("MODIFIED", pod("p", phase="Running")) is not None
    replicas = WaitState("d", field_equals("status.readyReplicas", "3"))
    assert replicas.on_list([{"metadata": {"name": "d"}, "status": {"readyReplicas": 3}}])

    gone = WaitState("p", deleted())
    assert gone.on_list([pod("p")]) is None
    assert gone.on_event("MODIFIED", pod("p")) is None
    assert gone.on_event("DELETED", pod("p")) is not None
    assert WaitState("p", deleted()).on_list([]) is not None  # never existed: done

    created = WaitState("p", exists())
    assert created.on_list([]) is None
    assert created.on_event("ADDED", pod("p")) is not None
    error = created.timeout_error("pods", 2)
    assert "pods 'p': the object exists did not hold within 2s" in str(error)


def test_wait_relists_after_410_gone_and_watches_from_the_listed_version() -> None:
    """A scripted apiserver: the first watch answers 410 Gone (an ERROR event), so the wait
    lists again and watches from the new list's resourceVersion, where the pod becomes Ready."""
    import httpx
    import orjson

    from kubetyped.request import ResourcePath
    from kubetyped.rest import RESTClient
    from kubetyped.wait.sync_wait import wait_for_object

    requests: list[tuple[str, str | None, str | None]] = []
    lists = iter(["5", "7"])

    def handler(request: httpx.Request) -> httpx.Response:
        params = request.url.params
        requests.append(
            (
                "watch" if params.get("watch") == "true" else "list",
                params.get("resourceVersion"),
                params.get("fieldSelector"),
            )
        )
        if params.get("watch") != "true":
            body = {
                "kind": "PodList",
                "metadata": {"resourceVersion": next(lists)},
                "items": [pod("p")],
            }
            return httpx.Response(200, json=body)
        if params.get("resourceVersion") == "5":
            gone = {
                "type": "ERROR",
                "object": {
                    "kind": "Status",
                    "code": 410,
                    "reason": "Expired",
                    "message": "too old",
                },
            }
            return httpx.Response(200, content=orjson.dumps(gone) + b"\n")
        ready = {"type": "MODIFIED", "object": pod("p", ready="True")}
        return httpx.Response(200, content=orjson.dumps(ready) + b"\n")

    client = httpx.Client(transport=httpx.MockTransport(handler), base_url="https://k")
    with RESTClient(http_client=client) as rest:
        collection = ResourcePath("", "v1", "pods", "ns")
        obj = wait_for_object(rest, collection, "p", condition("Ready"), timeout=30)
    assert obj == pod("p", ready="True")
    selector = "metadata.name=p"
    assert requests == [
        ("list", None, selector),
        ("watch", "5", selector),
        ("list", None, selector),
        ("watch", "7", selector),
    ]
