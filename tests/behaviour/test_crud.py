"""Create, get, update, delete: server-set fields and the typed errors of each failure."""

from __future__ import annotations

import re

import pytest

from kubetyped.errors import (
    AlreadyExistsError,
    BadRequestError,
    ConflictError,
    InternalError,
    InvalidError,
    NotFoundError,
)
from kubetyped.request import Preconditions
from tests.behaviour.support import Backend

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def test_create_get_update_delete(backend: Backend) -> None:
    cms = backend.cs.core_v1.config_maps(backend.namespace)
    created = cms.create({"metadata": {"name": "a", "labels": {"x": "1"}}, "data": {"k": "v"}})
    meta = created.metadata
    assert meta.namespace == backend.namespace
    assert meta.uid and meta.resource_version and meta.resource_version.isdigit()
    assert created.to_dict()["metadata"]["creationTimestamp"].endswith("Z")
    assert TIMESTAMP.match(created.to_dict()["metadata"]["creationTimestamp"])
    assert meta.generation is None  # ConfigMaps have no spec, hence no generation
    got = cms.get("a")
    assert got.data == {"k": "v"} and got.metadata.uid == meta.uid

    updated = cms.update({**got.to_dict(), "data": {"k": "w"}})
    assert updated.data == {"k": "w"}
    assert int(updated.metadata.resource_version) > int(meta.resource_version)
    assert updated.metadata.uid == meta.uid

    cms.delete("a")
    with pytest.raises(NotFoundError) as missing:
        cms.get("a")
    assert missing.value.name == "a" and missing.value.kind == "configmaps"


def test_noop_update_keeps_resource_version(backend: Backend) -> None:
    cms = backend.cs.core_v1.config_maps(backend.namespace)
    created = cms.create({"metadata": {"name": "same"}, "data": {"k": "v"}})
    again = cms.update(created)
    assert again.metadata.resource_version == created.metadata.resource_version


def test_already_exists(backend: Backend) -> None:
    cms = backend.cs.core_v1.config_maps(backend.namespace)
    cms.create({"metadata": {"name": "dup"}})
    with pytest.raises(AlreadyExistsError) as exists:
        cms.create({"metadata": {"name": "dup"}})
    assert exists.value.code == 409 and exists.value.name == "dup"
    assert exists.value.message == 'configmaps "dup" already exists'


def test_stale_resource_version_conflicts(backend: Backend) -> None:
    cms = backend.cs.core_v1.config_maps(backend.namespace)
    stale = cms.create({"metadata": {"name": "c"}, "data": {"n": "0"}}).to_dict()
    cms.update({**stale, "data": {"n": "1"}})
    with pytest.raises(ConflictError) as conflict:
        cms.update({**stale, "data": {"n": "2"}})
    assert conflict.value.code == 409 and "the object has been modified" in conflict.value.message
    assert cms.get("c").data == {"n": "1"}


def test_missing_name_is_invalid(backend: Backend) -> None:
    cms = backend.cs.core_v1.config_maps(backend.namespace)
    with pytest.raises(InvalidError) as invalid:
        cms._rest.create(
            cms._client.resource.path, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}}
        )
    assert invalid.value.code == 422
    assert [c["field"] for c in invalid.value.causes] == ["metadata.name"]


def test_generate_name(backend: Backend) -> None:
    cms = backend.cs.core_v1.config_maps(backend.namespace)
    created = cms.create({"metadata": {"generateName": "gen-"}})
    assert re.fullmatch(r"gen-[a-z0-9]{5}", created.metadata.name or "")


def test_resource_version_on_create_is_rejected(backend: Backend) -> None:
    cms = backend.cs.core_v1.config_maps(backend.namespace)
    with pytest.raises(InternalError, match="resourceVersion should not be set"):
        cms.create({"metadata": {"name": "rv", "resourceVersion": "12"}})


def test_name_mismatch_is_a_bad_request(backend: Backend) -> None:
    cms = backend.cs.core_v1.config_maps(backend.namespace)
    cms.create({"metadata": {"name": "right"}})
    path = cms._client.resource.item("right")
    with pytest.raises(BadRequestError, match="does not match the name on the URL"):
        cms._rest.update(
            path, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "wrong"}}
        )


def test_delete_preconditions(backend: Backend) -> None:
    cms = backend.cs.core_v1.config_maps(backend.namespace)
    created = cms.create({"metadata": {"name": "p"}})
    with pytest.raises(
        ConflictError,
        match=r"the UID in the precondition \(0{8}-.*\) does not match the UID in record",
    ):
        cms.delete("p", preconditions=Preconditions(uid="00000000-0000-0000-0000-000000000000"))
    with pytest.raises(
        ConflictError,
        match=r"the ResourceVersion in the precondition \(\d+\) does not match the ResourceVersion in record \(\d+\)\. The object might have been modified",
    ):
        stale = str(int(created.metadata.resource_version or 0) + 1)
        cms.delete("p", preconditions=Preconditions(resource_version=stale))
    cms.delete("p", preconditions=Preconditions(uid=created.metadata.uid))
    with pytest.raises(NotFoundError):
        cms.get("p")


def test_delete_with_finalizer_marks_then_removes(backend: Backend) -> None:
    cms = backend.cs.core_v1.config_maps(backend.namespace)
    cms.create({"metadata": {"name": "f", "finalizers": ["example.com/hold"]}})
    cms.delete("f")
    marked = cms.get("f")
    assert marked.metadata.deletion_timestamp is not None
    cms.update({**marked.to_dict(), "metadata": {**marked.to_dict()["metadata"], "finalizers": []}})
    with pytest.raises(NotFoundError):
        cms.get("f")


def test_delete_collection_by_label(backend: Backend) -> None:
    cms = backend.cs.core_v1.config_maps(backend.namespace)
    for name, tier in (("d1", "a"), ("d2", "a"), ("d3", "b")):
        cms.create({"metadata": {"name": name, "labels": {"tier": tier}}})
    cms.delete_collection(label_selector="tier=a")
    remaining = [c.metadata.name for c in cms.list(label_selector="tier").items]
    assert remaining == ["d3"]


def test_dry_run_create_stores_nothing(backend: Backend) -> None:
    cms = backend.cs.core_v1.config_maps(backend.namespace)
    would_be = cms.create({"metadata": {"name": "dry"}, "data": {"k": "v"}}, dry_run=True)
    assert would_be.metadata.uid and would_be.data == {"k": "v"}
    assert not would_be.metadata.resource_version
    with pytest.raises(NotFoundError):
        cms.get("dry")


def test_update_of_missing_object_is_not_found(backend: Backend) -> None:
    cms = backend.cs.core_v1.config_maps(backend.namespace)
    with pytest.raises(NotFoundError):
        cms.update({"metadata": {"name": "ghost"}, "data": {"k": "v"}})


def test_raw_list_items_carry_no_type(backend: Backend) -> None:
    cms = backend.cs.core_v1.config_maps(backend.namespace)
    cms.create({"metadata": {"name": "raw"}})
    listed = backend.cs.rest.list(cms._client.resource.path)
    assert (listed["apiVersion"], listed["kind"]) == ("v1", "ConfigMapList")
    assert [sorted(set(item) & {"apiVersion", "kind"}) for item in listed["items"]] == [[]]
