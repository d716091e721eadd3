"""The OpenAPI v2 loader on the upstream 1.36 swagger (skipped where ../shared is absent, failing under CI)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from upstream_specs import UPSTREAM, needs_upstream

from kubetyped_codegen.ir import GVK, ApiSpec, Array, Ref
from kubetyped_codegen.load_v2 import load_v2

SWAGGER = UPSTREAM / "swagger-1.36.json"
pytestmark = needs_upstream


@pytest.fixture(scope="module")
def spec(record_testsuite_property: Callable[[str, object], None]) -> ApiSpec:
    started = time.perf_counter()
    loaded = load_v2(SWAGGER)
    # A measurement for the report (junit XML), not a threshold: tests are not benchmarks.
    record_testsuite_property("load_v2_1_36_seconds", round(time.perf_counter() - started, 3))
    return loaded


def test_counts(spec: ApiSpec) -> None:
    assert spec.version_info.major_minor == "1.36"
    assert len(spec.groups) == 23
    assert sum(len(g.versions) for g in spec.groups) == 36
    assert sum(len(v.resources) for g in spec.groups for v in g.versions) == 95
    assert len(spec.schemas) == 771


def test_pod(spec: ApiSpec) -> None:
    core = spec.group_version("", "v1")
    assert core is not None and core.python_name == "core_v1" and core.preferred
    pod = core.resource("pods")
    assert pod is not None
    assert pod.namespaced and pod.kind == "Pod" and pod.list_kind == "PodList"
    assert pod.singular == "pod" and pod.has_all_namespaces_list
    assert pod.model_ref == "io.k8s.api.core.v1.Pod"
    assert pod.verbs == {
        "get",
        "list",
        "watch",
        "create",
        "update",
        "patch",
        "delete",
        "deletecollection",
    }
    names = {s.name for s in pod.subresources}
    assert {"status", "eviction", "binding", "log", "ephemeralcontainers", "resize"} <= names
    assert {"attach", "exec", "portforward", "proxy"} <= names
    log = pod.subresource("log")
    assert log is not None and log.text_response and log.verbs == {"get"}
    eviction = pod.subresource("eviction")
    assert eviction is not None and eviction.verbs == {"create"}
    assert eviction.request_kind == GVK("policy", "v1", "Eviction")
    exec_ = pod.subresource("exec")
    assert exec_ is not None and exec_.verbs == {"get", "create"} and not exec_.text_response


def test_deployment_scale(spec: ApiSpec) -> None:
    deployments = spec.group_version("apps", "v1").resource("deployments")  # type: ignore[union-attr]
    assert deployments is not None
    scale = deployments.subresource("scale")
    assert scale is not None
    assert scale.response_kind == GVK("autoscaling", "v1", "Scale")
    assert scale.request_kind == GVK("autoscaling", "v1", "Scale")
    assert scale.verbs == {"get", "update", "patch"}


def test_scope(spec: ApiSpec) -> None:
    core = spec.group_version("", "v1")
    assert core is not None
    for plural in ("namespaces", "nodes", "persistentvolumes"):
        resource = core.resource(plural)
        assert resource is not None and not resource.namespaced, plural
        assert not resource.has_all_namespaces_list
    bindings = core.resource("bindings")
    assert bindings is not None and bindings.verbs == {"create"} and bindings.namespaced
    reviews = spec.group_version("authentication.k8s.io", "v1").resource("tokenreviews")  # type: ignore[union-attr]
    assert reviews is not None and reviews.verbs == {"create"} and reviews.list_kind is None


def test_extensions_kept(spec: ApiSpec) -> None:
    container = spec.schemas["io.k8s.api.core.v1.Container"]
    ports = next(p for p in container.properties if p.wire_name == "ports")
    assert ports.type == Array(Ref("io.k8s.api.core.v1.ContainerPort"))
    assert ports.extensions.list_type == "map"
    assert ports.extensions.list_map_keys == ("containerPort", "protocol")
    assert ports.extensions.patch_merge_key == "containerPort"
    assert ports.extensions.patch_strategy == "merge"
    pod = spec.schemas["io.k8s.api.core.v1.Pod"]
    assert pod.gvks == (GVK("", "v1", "Pod"),) and pod.module == "core_v1"


def test_modules(spec: ApiSpec) -> None:
    assert spec.schemas["io.k8s.api.apps.v1.Deployment"].module == "apps_v1"
    for name in (
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        "io.k8s.apimachinery.pkg.api.resource.Quantity",
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
        "io.k8s.apimachinery.pkg.runtime.RawExtension",
        "io.k8s.apimachinery.pkg.version.Info",
    ):
        assert spec.schemas[name].module == "meta_v1", name
    rbac = spec.schemas["io.k8s.api.rbac.v1.Role"]
    assert rbac.module == "rbac_v1"
    crd = spec.schemas[
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition"
    ]
    assert crd.module == "apiextensions_v1"
    internal = spec.group("internal.apiserver.k8s.io")
    assert internal is not None and internal.versions[0].python_name == "apiserverinternal_v1alpha1"


def test_preferred_versions(spec: ApiSpec) -> None:
    autoscaling = spec.group("autoscaling")
    assert autoscaling is not None
    assert [(v.version, v.preferred) for v in autoscaling.versions] == [("v2", True), ("v1", False)]
    resource = spec.group("resource.k8s.io")
    assert resource is not None
    assert [v.version for v in resource.versions] == ["v1", "v1beta2", "v1beta1", "v1alpha3"]
