"""`ObjectTracker`: the fake apiserver's storage — objects, resource versions, history, watchers.

Objects are wire-form dicts keyed by resource (group, version, plural), namespace and name. Every
write takes the next global resourceVersion and is appended to a bounded history that watches
replay from; errors are the `ApiError`s a real apiserver answers with (see `fake.errors`).
Thread-safe: one lock guards everything, and watcher sinks never block.
"""

from __future__ import annotations

import base64
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from kubetyped.fake import apply as ssa
from kubetyped.fake import errors
from kubetyped.fake.objects import (
    SERVER_METADATA,
    Obj,
    check_type,
    deep_copy,
    desired_state,
    generated_name,
    metadata,
    name_of,
    timestamp,
    tracks_generation,
    wire,
)
from kubetyped.fake.patches import (
    PatchError,
    PatchFormatError,
    json_patch,
    merge_patch,
    strategic_merge_patch,
)
from kubetyped.fake.registry import GVR, ResourceRegistry
from kubetyped.fake.schema import fields_of
from kubetyped.fake.selection import Selection
from kubetyped.fake.watchers import Change, Sink, Watcher, event_line
from kubetyped.request import PatchType
from kubetyped.typed.resource import ResourceInfo

__all__ = ["ObjectTracker"]

Key = tuple[str, str]  # (namespace or "", name)
DEFAULT_HISTORY = 10_000
INITIAL_EVENTS_END = "k8s.io/initial-events-end"


@dataclass
class _Entry:
    object: Obj
    #: (field manager, subresource or "") → last applied configuration
    applied: dict[tuple[str, str], Obj] = field(default_factory=dict)


def _gvr(info: ResourceInfo) -> GVR:
    return (info.group, info.version, info.plural)


class ObjectTracker:
    """In-memory objects of the resources in `registry`, with watch and patch support."""

    def __init__(
        self,
        registry: ResourceRegistry,
        *,
        history_size: int = DEFAULT_HISTORY,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.registry = registry
        self._clock = clock
        self._lock = threading.RLock()
        self._objects: dict[GVR, dict[Key, _Entry]] = {}
        self._rv = 0
        self._history: deque[Change] = deque(maxlen=history_size)
        self._compacted = 0  # the newest resourceVersion no longer in the history
        self._watchers: set[Watcher] = set()

    @property
    def resource_version(self) -> str:
        """The tracker's latest resourceVersion (one counter for every resource, as etcd's
        revision).
        """
        with self._lock:
            return str(self._rv)

    # --- seeding --------------------------------------------------------------------------

    def add(self, obj: Any) -> Obj:
        """Stores an object as given, status and generation included (client-go's
        `tracker.Add`): its resource is found by apiVersion and kind, a missing namespace is
        "default", missing uid/creationTimestamp are filled in and it gets a new resourceVersion.
        An object with the same name is replaced."""
        body = wire(obj)
        info = self.registry.by_model(type(obj)) if not isinstance(obj, dict) else None
        if info is None:
            api_version, kind = str(body.get("apiVersion", "")), str(body.get("kind", ""))
            info = self.registry.by_kind(api_version, kind)
        check_type(info, body)
        meta = metadata(body)
        if not meta.get("name"):
            raise errors.FakeSetupError(f"{info.kind}: objects given to the fake need a name")
        if info.namespaced:
            meta["namespace"] = meta.get("namespace") or "default"
        else:
            meta.pop("namespace", None)
        with self._lock:
            meta.setdefault("uid", str(uuid.uuid4()))
            meta.setdefault("creationTimestamp", timestamp(self._clock()))
            if tracks_generation(info):
                meta.setdefault("generation", 1)
            meta["resourceVersion"] = str(self._next_rv())
            key = (meta.get("namespace", ""), meta["name"])
            entry = self._store(info).get(key)
            old = entry.object if entry is not None else None
            self._store(info)[key] = _Entry(body)
            self._emit(info, "ADDED" if old is None else "MODIFIED", body, old)
            return deep_copy(body)

    # --- reads ----------------------------------------------------------------------------

    def _store(self, info: ResourceInfo) -> dict[Key, _Entry]:
        return self._objects.setdefault(_gvr(info), {})

    def _entry(self, info: ResourceInfo, namespace: str | None, name: str) -> _Entry | None:
        return self._store(info).get((namespace or "", name))

    def _existing(self, info: ResourceInfo, namespace: str | None, name: str) -> _Entry:
        entry = self._entry(info, namespace, name)
        if entry is None:
            raise errors.not_found(info.group, info.plural, name)
        return entry

    def get(self, info: ResourceInfo, namespace: str | None, name: str) -> Obj:
        """A copy of the stored object; `NotFoundError` (404) when there is none."""
        with self._lock:
            result: Obj = deep_copy(self._existing(info, namespace, name).object)
            return result

    def list(
        self,
        info: ResourceInfo,
        selection: Selection,
        *,
        limit: int | None = None,
        continue_: str | None = None,
    ) -> Obj:
        """A list object; `limit`/`continue` page through the objects in key order."""
        with self._lock:
            rv = self._rv
            start = _decode_continue(continue_) if continue_ else None
            items: list[Obj] = []
            more: Key | None = None
            remaining = 0
            for key in sorted(self._store(info)):
                if start is not None and key <= start:
                    continue
                obj = self._store(info)[key].object
                if not selection.matches(obj):
                    continue
                if limit and len(items) >= limit:
                    remaining += 1
                    continue
                items.append(obj)
                more = key
            list_meta: Obj = {"resourceVersion": str(rv)}
            if remaining and more is not None:
                list_meta["continue"] = _encode_continue(more, rv)
                list_meta["remainingItemCount"] = remaining
            # the apiserver sends list items without apiVersion and kind
            bare = [{k: v for k, v in o.items() if k not in ("apiVersion", "kind")} for o in items]
            return {
                "apiVersion": info.api_version,
                "kind": info.list_kind,
                "metadata": list_meta,
                "items": deep_copy(bare),
            }

    # --- writes ---------------------------------------------------------------------------

    def _next_rv(self) -> int:
        self._rv += 1
        return self._rv

    def _emit(self, info: ResourceInfo, event_type: str, obj: Obj, old: Obj | None) -> None:
        change = Change(_gvr(info), event_type, self._rv, deep_copy(obj), old)
        if self._history.maxlen is not None and len(self._history) == self._history.maxlen:
            self._compacted = self._history[0].resource_version
        self._history.append(change)
        for watcher in list(self._watchers):
            watcher.offer(change)
            if watcher.stopped:
                self._watchers.discard(watcher)

    def create(
        self, info: ResourceInfo, namespace: str | None, obj: Any, *, dry_run: bool = False
    ) -> Obj:
        """Store a new object as the apiserver's create does and return (a copy of) it: the
        namespace comes from the request or the object (both set and different: 400), `generateName`
        gives a name, server-set metadata is replaced (uid, creationTimestamp, generation 1 for
        objects with a spec, a new resourceVersion), `status` is dropped when the resource has a
        status subresource, and an ADDED event goes to the watchers. `dry_run` returns the object
        without storing it.

        Raises `BadRequestError`, `InvalidError` (no name nor generateName), `AlreadyExistsError`
        (409) and `InternalError` (resourceVersion set), as the apiserver answers.
        """
        body = wire(obj)
        check_type(info, body)
        meta = metadata(body)
        if info.namespaced:
            body_namespace = meta.get("namespace")
            if body_namespace and namespace and body_namespace != namespace:
                raise errors.bad_request(
                    "the namespace of the provided object does not match the namespace sent on "
                    "the request"
                )
            namespace = namespace or body_namespace
            if not namespace:
                raise errors.bad_request(f"{info.plural} is namespaced: a namespace is required")
            meta["namespace"] = namespace
        else:
            meta.pop("namespace", None)
        if meta.get("resourceVersion"):
            raise errors.internal("resourceVersion should not be set on objects to be created")
        with self._lock:
            if not meta.get("name"):
                prefix = meta.get("generateName")
                if not prefix:
                    raise errors.invalid(
                        info.group,
                        info.kind,
                        "",
                        [
                            (
                                "metadata.name",
                                "FieldValueRequired",
                                "Required value: name or generateName is required",
                            )
                        ],
                    )
                meta["name"] = generated_name(str(prefix))
            name = str(meta["name"])
            if self._entry(info, namespace, name) is not None:
                raise errors.already_exists(info.group, info.plural, name)
            for server_field in SERVER_METADATA:
                meta.pop(server_field, None)
            meta["uid"] = str(uuid.uuid4())
            meta["creationTimestamp"] = timestamp(self._clock())
            if tracks_generation(info):
                meta["generation"] = 1
            if "status" in info.subresources:
                body.pop("status", None)  # status is written through /status only
            if dry_run:
                return body
            meta["resourceVersion"] = str(self._next_rv())
            self._store(info)[(namespace or "", name)] = _Entry(body)
            self._emit(info, "ADDED", body, None)
            result: Obj = deep_copy(body)
            return result

    def update(
        self,
        info: ResourceInfo,
        namespace: str | None,
        name: str,
        obj: Any,
        *,
        subresource: str | None = None,
        dry_run: bool = False,
    ) -> Obj:
        """Replace the stored object `name` with `obj` (PUT), or only its status for
        `subresource="status"`, and return the result. Server-set metadata is kept, `status` is kept
        on a main-resource update of a resource with a status subresource, `generation` grows when
        the desired state changed; a no-op update keeps the resourceVersion. A
        `metadata.resourceVersion` in `obj` must be the stored one (optimistic concurrency). A
        MODIFIED event goes to the watchers; `dry_run` stores nothing.

        Raises `NotFoundError`, `ConflictError` (409, stale resourceVersion) and `BadRequestError`
        (name or namespace differ from the URL).
        """
        body = wire(obj)
        check_type(info, body)
        meta = metadata(body)
        if meta.get("name") and meta["name"] != name:
            raise errors.bad_request(
                f"the name of the object ({meta['name']}) does not match the name on the URL "
                f"({name})"
            )
        if info.namespaced and meta.get("namespace") not in (None, "", namespace):
            raise errors.bad_request(
                "the namespace of the provided object does not match the namespace sent on the "
                "request"
            )
        with self._lock:
            entry = self._existing(info, namespace, name)
            return self._commit(info, entry, body, subresource, dry_run)

    def _commit(
        self,
        info: ResourceInfo,
        entry: _Entry,
        body: Obj,
        subresource: str | None,
        dry_run: bool,
    ) -> Obj:
        """Stores `body` as the new state of `entry` (the update path of every write)."""
        old = entry.object
        old_meta = old["metadata"]
        name = old_meta["name"]
        wanted_rv = metadata(body).get("resourceVersion")
        if wanted_rv and wanted_rv != old_meta["resourceVersion"]:
            raise errors.conflict(info.group, info.plural, name, errors.STALE)
        if subresource == "status":
            new = deep_copy(old)
            if "status" in body:
                new["status"] = deep_copy(body["status"])
            else:
                new.pop("status", None)
        else:
            new = deep_copy(body)
            new_meta = metadata(new)
            for server_field in SERVER_METADATA:
                if server_field in old_meta:
                    new_meta[server_field] = old_meta[server_field]
                else:
                    new_meta.pop(server_field, None)
            new_meta["name"] = name
            if "namespace" in old_meta:
                new_meta["namespace"] = old_meta["namespace"]
            if "status" in info.subresources:
                if "status" in old:
                    new["status"] = deep_copy(old["status"])
                else:
                    new.pop("status", None)
            if tracks_generation(info) and desired_state(new) != desired_state(old):
                new_meta["generation"] = int(old_meta.get("generation") or 0) + 1
        if new == old:
            return deep_copy(old)  # a no-op write keeps the resourceVersion, like etcd
        if dry_run:
            return new
        finalizers = metadata(new).get("finalizers")
        if metadata(new).get("deletionTimestamp") and not finalizers:
            return self._remove(info, entry, new)
        metadata(new)["resourceVersion"] = str(self._next_rv())
        entry.object = new
        self._emit(info, "MODIFIED", new, old)
        result: Obj = deep_copy(new)
        return result

    def _remove(self, info: ResourceInfo, entry: _Entry, final: Obj) -> Obj:
        meta = final["metadata"]
        del self._store(info)[(meta.get("namespace", ""), meta["name"])]
        old = entry.object
        final = deep_copy(final)
        final["metadata"]["resourceVersion"] = str(self._next_rv())
        self._emit(info, "DELETED", final, old)
        return final

    # --- patch and apply --------------------------------------------------------------------

    def patch(
        self,
        info: ResourceInfo,
        namespace: str | None,
        name: str,
        patch_type: str,
        patch: Any,
        *,
        subresource: str | None = None,
        field_manager: str | None = None,
        force: bool = False,
        dry_run: bool = False,
    ) -> Obj:
        """JSON, merge or strategic merge patch, or server-side apply (`PatchType.APPLY`)."""
        if patch_type == PatchType.APPLY:
            return self.apply(
                info,
                namespace,
                name,
                patch,
                field_manager=field_manager or "",
                force=force,
                subresource=subresource,
                dry_run=dry_run,
            )
        with self._lock:
            entry = self._existing(info, namespace, name)
            current = entry.object
            try:
                if patch_type == PatchType.JSON:
                    patched = json_patch(current, patch)
                elif patch_type == PatchType.MERGE:
                    patched = merge_patch(current, patch)
                elif patch_type == PatchType.STRATEGIC:
                    patched = strategic_merge_patch(current, patch, info.model_class())
                else:
                    raise errors.unsupported_media_type(patch_type)
            except PatchFormatError as exc:
                raise errors.bad_request(str(exc)) from None
            except PatchError as exc:
                raise errors.unprocessable(str(exc)) from None
            if not isinstance(patched, dict):
                raise errors.bad_request("the patched object is not a JSON object")
            return self._commit(info, entry, _checked(info, patched), subresource, dry_run)

    def apply(
        self,
        info: ResourceInfo,
        namespace: str | None,
        name: str,
        obj: Any,
        *,
        field_manager: str,
        force: bool = False,
        subresource: str | None = None,
        dry_run: bool = False,
    ) -> Obj:
        """Server-side apply, simplified (see `fake.apply`): creates the object when missing."""
        if not field_manager:
            raise errors.bad_request("PATCH request must specify a field manager (fieldManager)")
        body = wire(obj)
        if not body.get("apiVersion") or not body.get("kind"):
            raise errors.bad_request("apply patches need apiVersion and kind")
        check_type(info, body)
        if name_of(body) not in ("", name):
            raise errors.bad_request(
                f"the name of the object ({name_of(body)}) does not match the name on the URL "
                f"({name})"
            )
        config = _applied_config(body)
        if subresource == "status":  # each endpoint applies only its own part
            config = {k: v for k, v in config.items() if k == "status"}
        elif "status" in info.subresources:
            config.pop("status", None)
        owner = (field_manager, subresource or "")
        field_of = fields_of(info.model_class())
        with self._lock:
            entry = self._entry(info, namespace, name)
            if entry is None:
                if subresource is not None:
                    raise errors.not_found(info.group, info.plural, name)
                fresh = deep_copy(body)
                metadata(fresh)["name"] = name
                metadata(fresh).pop("resourceVersion", None)
                created = self.create(info, namespace, fresh, dry_run=dry_run)
                if not dry_run:
                    self._existing(info, namespace, name).applied[owner] = config
                return created
            others = {m: c for m, c in entry.applied.items() if m != owner}
            found = ssa.conflicts(config, {m: c for (m, _), c in others.items()}, field_of)
            if found and not force:
                raise errors.apply_conflict(
                    info.group,
                    info.plural,
                    name,
                    [(_manager_name(m, others), ssa.format_path(p)) for m, p in found],
                )
            merged = ssa.merge(entry.object, config, field_of)
            previous = entry.applied.get(owner, {})
            remaining = {m: deep_copy(c) for m, c in others.items()}
            if force:
                for manager, path in found:
                    for key, other in remaining.items():
                        if key[0] == manager:
                            ssa.remove_at(other, path)
            for path in ssa.fields_dropped(
                previous, config, {m: c for (m, _), c in remaining.items()}, field_of
            ):
                ssa.remove_at(merged, path)
            metadata(merged)["resourceVersion"] = (
                metadata(body).get("resourceVersion") or entry.object["metadata"]["resourceVersion"]
            )
            result = self._commit(info, entry, merged, subresource, dry_run)
            if not dry_run:
                entry.applied.update(remaining)
                entry.applied[owner] = config
            return result

    # --- delete ---------------------------------------------------------------------------

    def delete(
        self,
        info: ResourceInfo,
        namespace: str | None,
        name: str,
        *,
        preconditions: Mapping[str, Any] | None = None,
        dry_run: bool = False,
    ) -> Obj:
        """The deleted object's `Status`; with finalizers, the object marked for deletion."""
        with self._lock:
            entry = self._existing(info, namespace, name)
            meta = entry.object["metadata"]
            pre = preconditions or {}
            for pre_key, label, hint in (
                ("uid", "UID", "deleted and then recreated"),
                ("resourceVersion", "ResourceVersion", "modified"),
            ):
                expected = pre.get(pre_key)
                if expected is not None and expected != meta.get(pre_key):
                    raise errors.conflict(
                        info.group,
                        info.plural,
                        name,
                        f"the {label} in the precondition ({expected}) does not match the "
                        f"{label} in record ({meta.get(pre_key)}). The object might have been "
                        f"{hint}",
                        on=info.kind,
                    )
            if meta.get("finalizers"):
                if meta.get("deletionTimestamp") or dry_run:
                    return deep_copy(entry.object)
                marked = deep_copy(entry.object)
                marked["metadata"]["deletionTimestamp"] = timestamp(self._clock())
                marked["metadata"]["deletionGracePeriodSeconds"] = 0
                marked["metadata"]["resourceVersion"] = str(self._next_rv())
                old, entry.object = entry.object, marked
                self._emit(info, "MODIFIED", marked, old)
                return deep_copy(marked)
            if not dry_run:
                self._remove(info, entry, entry.object)
            details: Obj = {"name": name, "kind": info.plural, "uid": meta.get("uid")}
            if info.group:
                details["group"] = info.group
            return {
                "kind": "Status",
                "apiVersion": "v1",
                "metadata": {},
                "status": "Success",
                "details": details,
            }

    def delete_collection(
        self, info: ResourceInfo, selection: Selection, *, dry_run: bool = False
    ) -> Obj:
        """Deletes every selected object; the list of what was deleted."""
        with self._lock:
            listed = self.list(info, selection)
            for item in listed["items"]:
                meta = item["metadata"]
                self.delete(info, meta.get("namespace"), meta["name"], dry_run=dry_run)
            return listed

    # --- watch ----------------------------------------------------------------------------

    def watch(
        self,
        info: ResourceInfo,
        selection: Selection,
        sink: Sink,
        *,
        resource_version: str | None = None,
        send_initial_events: bool = False,
    ) -> Watcher:
        """Subscribes `sink` to changes; events before the subscription go first.

        `resource_version` unset or "0": ADDED for every current object, then changes (with
        `send_initial_events`, a BOOKMARK annotated `k8s.io/initial-events-end` after them).
        `resource_version=N`: the changes after N from the history (ERROR 410 when compacted).
        """
        watcher = Watcher(_gvr(info), selection, sink)
        with self._lock:
            if resource_version in (None, "", "0") or send_initial_events:
                for key in sorted(self._store(info)):
                    obj = self._store(info)[key].object
                    if selection.matches(obj):
                        watcher.send(event_line("ADDED", obj))
                if send_initial_events:
                    watcher.send(event_line("BOOKMARK", self._bookmark(info)))
            else:
                since = _parse_rv(resource_version)
                if since < self._compacted:
                    error = errors.expired(
                        f"too old resource version: {since} ({self._compacted + 1})"
                    )
                    watcher.send(event_line("ERROR", errors.status_body(error)))
                    watcher.send(None)
                    return watcher
                for change in self._history:
                    if change.resource_version > since:
                        watcher.offer(change)
            self._watchers.add(watcher)
        return watcher

    def _bookmark(self, info: ResourceInfo) -> Obj:
        return {
            "apiVersion": info.api_version,
            "kind": info.kind,
            "metadata": {
                "resourceVersion": str(self._rv),
                "annotations": {INITIAL_EVENTS_END: "true"},
            },
        }

    def stop_watch(self, watcher: Watcher) -> None:
        """End `watcher`'s stream and stop sending it events."""
        with self._lock:
            self._watchers.discard(watcher)
        watcher.send(None)

    @property
    def watcher_count(self) -> int:
        """How many watches are open."""
        with self._lock:
            return len(self._watchers)


def _manager_name(manager: str, others: Mapping[tuple[str, str], Any]) -> str:
    """How the apiserver names an apply manager in conflicts (and its subresource)."""
    subresources = [sub for (m, sub) in others if m == manager and sub]
    if subresources and not any(m == manager and not sub for (m, sub) in others):
        return f'{manager}" with subresource "{subresources[0]}'
    return manager


def _checked(info: ResourceInfo, obj: Obj) -> Obj:
    check_type(info, obj)
    metadata(obj)
    return obj


def _applied_config(body: Obj) -> Obj:
    """The fields an apply sets: the body without type, identity and server fields."""
    config = {k: v for k, v in body.items() if k not in ("apiVersion", "kind")}
    meta = dict(config.get("metadata") or {})
    for identity in ("name", "namespace", "generateName", "managedFields", *SERVER_METADATA):
        meta.pop(identity, None)
    if meta:
        config["metadata"] = meta
    else:
        config.pop("metadata", None)
    result: Obj = deep_copy(config)
    return result


def _parse_rv(value: str | None) -> int:
    try:
        return int(value or "0")
    except ValueError:
        raise errors.bad_request(f"invalid resourceVersion {value!r}") from None


def _encode_continue(key: Key, rv: int) -> str:
    raw = orjson.dumps({"rv": rv, "start": list(key)})
    return base64.urlsafe_b64encode(raw).decode()


def _decode_continue(token: str) -> Key:
    try:
        decoded = orjson.loads(base64.urlsafe_b64decode(token.encode()))
        namespace, name = decoded["start"]
        return (str(namespace), str(name))
    except (ValueError, KeyError, TypeError):
        raise errors.bad_request(f"invalid continue token {token!r}") from None
