"""Deterministic, realistic Kubernetes objects (as dicts) and list bodies (as JSON bytes)."""

from __future__ import annotations

import random
from typing import Any

import orjson

_TS = "2026-11-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}Z"


def _ts(rng: random.Random) -> str:
    return _TS.format(
        day=rng.randint(1, 27),
        hour=rng.randint(0, 23),
        minute=rng.randint(0, 59),
        second=rng.randint(0, 59),
    )


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def _uid(rng: random.Random) -> str:
    return f"{_hex(rng, 8)}-{_hex(rng, 4)}-{_hex(rng, 4)}-{_hex(rng, 4)}-{_hex(rng, 12)}"


def _managed_fields(rng: random.Random, status: bool) -> list[dict[str, Any]]:
    spec_fields = {
        "f:metadata": {"f:labels": {".": {}, "f:app": {}, "f:tier": {}}},
        "f:spec": {
            "f:containers": {
                'k:{"name":"app"}': {".": {}, "f:image": {}, "f:name": {}, "f:ports": {}},
                'k:{"name":"sidecar"}': {".": {}, "f:image": {}, "f:name": {}},
            },
            "f:restartPolicy": {},
        },
    }
    entries = [
        {
            "manager": "kube-controller-manager",
            "operation": "Update",
            "apiVersion": "v1",
            "time": _ts(rng),
            "fieldsType": "FieldsV1",
            "fieldsV1": spec_fields,
        }
    ]
    second: dict[str, Any] = (
        {"f:status": {"f:conditions": {".": {}}, "f:containerStatuses": {}, "f:phase": {}}}
        if status
        else {"f:data": {".": {}, "f:config.yaml": {}}}
    )
    entries.append(
        {
            "manager": "kubelet" if status else "kubectl-client-side-apply",
            "operation": "Update",
            "apiVersion": "v1",
            "time": _ts(rng),
            "fieldsType": "FieldsV1",
            "fieldsV1": second,
            **({"subresource": "status"} if status else {}),
        }
    )
    return entries


def _metadata(rng: random.Random, name: str, namespace: str, *, status: bool) -> dict[str, Any]:
    app = f"app-{rng.randint(0, 49)}"
    return {
        "name": name,
        "namespace": namespace,
        "uid": _uid(rng),
        "resourceVersion": str(rng.randint(10_000, 9_999_999)),
        "generation": rng.randint(1, 5),
        "creationTimestamp": _ts(rng),
        "labels": {
            "app": app,
            "tier": rng.choice(["frontend", "backend", "cache"]),
            "pod-template-hash": _hex(rng, 10),
        },
        "annotations": {
            "kubernetes.io/config.seen": _ts(rng),
            "prometheus.io/scrape": "true",
            "prometheus.io/port": "9090",
        },
        "ownerReferences": [
            {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "name": f"{app}-{_hex(rng, 10)}",
                "uid": _uid(rng),
                "controller": True,
                "blockOwnerDeletion": True,
            }
        ],
        "managedFields": _managed_fields(rng, status),
    }


def _probe(path: str, port: int | str) -> dict[str, Any]:
    return {
        "httpGet": {"path": path, "port": port, "scheme": "HTTP"},
        "initialDelaySeconds": 5,
        "periodSeconds": 10,
        "timeoutSeconds": 1,
        "successThreshold": 1,
        "failureThreshold": 3,
    }


def _container(rng: random.Random, name: str, main: bool) -> dict[str, Any]:
    env: list[dict[str, Any]] = [{"name": f"VAR_{i}", "value": _hex(rng, 12)} for i in range(4)]
    env.append(
        {
            "name": "POD_NAME",
            "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}},
        }
    )
    container: dict[str, Any] = {
        "name": name,
        "image": f"registry.example.com/team/{name}:1.{rng.randint(0, 30)}.{rng.randint(0, 9)}",
        "imagePullPolicy": "IfNotPresent",
        "args": ["--log-level=info", f"--shard={rng.randint(0, 15)}"],
        "env": env,
        "resources": {
            "requests": {
                "cpu": f"{rng.choice([100, 250, 500])}m",
                "memory": f"{rng.choice([128, 256])}Mi",
            },
            "limits": {"cpu": "1", "memory": f"{rng.choice([512, 1024])}Mi"},
        },
        "volumeMounts": [
            {"name": "config", "mountPath": "/etc/app", "readOnly": True},
            {"name": "data", "mountPath": "/var/lib/app"},
        ],
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
    }
    if main:
        container["ports"] = [
            {"name": "http", "containerPort": 8080, "protocol": "TCP"},
            {"name": "metrics", "containerPort": 9090, "protocol": "TCP"},
        ]
        container["livenessProbe"] = _probe("/healthz", 8080)
        container["readinessProbe"] = _probe("/ready", "http")
    return container


def _container_status(rng: random.Random, name: str) -> dict[str, Any]:
    return {
        "name": name,
        "ready": True,
        "restartCount": rng.randint(0, 3),
        "image": f"registry.example.com/team/{name}:1.0.0",
        "imageID": f"registry.example.com/team/{name}@sha256:{_hex(rng, 64)}",
        "containerID": f"containerd://{_hex(rng, 64)}",
        "started": True,
        "state": {"running": {"startedAt": _ts(rng)}},
    }


def pod_spec(rng: random.Random) -> dict[str, Any]:
    return {
        "containers": [_container(rng, "app", True), _container(rng, "sidecar", False)],
        "volumes": [
            {"name": "config", "configMap": {"name": "app-config", "defaultMode": 420}},
            {"name": "data", "emptyDir": {}},
        ],
        "restartPolicy": "Always",
        "terminationGracePeriodSeconds": 30,
        "dnsPolicy": "ClusterFirst",
        "serviceAccountName": "default",
        "nodeName": f"node-{rng.randint(0, 99):03d}",
        "securityContext": {"runAsNonRoot": True, "runAsUser": 1000},
        "schedulerName": "default-scheduler",
        "tolerations": [
            {
                "key": "node.kubernetes.io/not-ready",
                "operator": "Exists",
                "effect": "NoExecute",
                "tolerationSeconds": 300,
            }
        ],
        "priority": 0,
        "enableServiceLinks": True,
    }


def pod_status(rng: random.Random) -> dict[str, Any]:
    return {
        "phase": "Running",
        "conditions": [
            {"type": kind, "status": "True", "lastProbeTime": None, "lastTransitionTime": _ts(rng)}
            for kind in ("Initialized", "Ready", "ContainersReady", "PodScheduled")
        ],
        "hostIP": f"10.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        "podIP": f"10.244.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
        "podIPs": [{"ip": f"10.244.{rng.randint(0, 255)}.{rng.randint(1, 254)}"}],
        "startTime": _ts(rng),
        "containerStatuses": [_container_status(rng, "app"), _container_status(rng, "sidecar")],
        "qosClass": "Burstable",
    }


def pod(index: int, namespace: str = "bench") -> dict[str, Any]:
    rng = random.Random(index)
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": _metadata(rng, f"pod-{index:05d}", namespace, status=True),
        "spec": pod_spec(rng),
        "status": pod_status(rng),
    }


def deployment(index: int, namespace: str = "bench") -> dict[str, Any]:
    rng = random.Random(1_000_000 + index)
    metadata = _metadata(rng, f"deploy-{index:05d}", namespace, status=False)
    del metadata["ownerReferences"]
    labels = {"app": metadata["labels"]["app"]}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": metadata,
        "spec": {
            "replicas": rng.randint(1, 5),
            "selector": {"matchLabels": labels},
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1},
            },
            "revisionHistoryLimit": 10,
            "progressDeadlineSeconds": 600,
            "template": {"metadata": {"labels": labels}, "spec": pod_spec(rng)},
        },
        "status": {
            "observedGeneration": 2,
            "replicas": 3,
            "updatedReplicas": 3,
            "readyReplicas": 3,
            "availableReplicas": 3,
            "conditions": [
                {
                    "type": kind,
                    "status": "True",
                    "lastUpdateTime": _ts(rng),
                    "lastTransitionTime": _ts(rng),
                    "reason": reason,
                    "message": f"Deployment {kind.lower()} ({reason})",
                }
                for kind, reason in (
                    ("Available", "MinimumReplicasAvailable"),
                    ("Progressing", "NewReplicaSetAvailable"),
                )
            ],
        },
    }


def config_map_data(index: int) -> dict[str, str]:
    rng = random.Random(2_000_000 + index)
    return {
        "config.yaml": "\n".join(f"key{i}: {_hex(rng, 24)}" for i in range(12)),
        "log-level": rng.choice(["info", "debug", "warn"]),
        "feature-flags": ",".join(f"flag{i}={rng.choice(['on', 'off'])}" for i in range(6)),
    }


def config_map(index: int, namespace: str = "bench") -> dict[str, Any]:
    rng = random.Random(3_000_000 + index)
    metadata = _metadata(rng, f"cm-{index:05d}", namespace, status=False)
    del metadata["ownerReferences"], metadata["generation"]
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": metadata,
        "data": config_map_data(index),
    }


def list_body(kind: str, api_version: str, items: list[dict[str, Any]]) -> bytes:
    return orjson.dumps(
        {
            "apiVersion": api_version,
            "kind": kind,
            "metadata": {"resourceVersion": "123456"},
            "items": items,
        }
    )


def pod_list(count: int) -> bytes:
    return list_body("PodList", "v1", [pod(i) for i in range(count)])


def deployment_list(count: int) -> bytes:
    return list_body("DeploymentList", "apps/v1", [deployment(i) for i in range(count)])


def config_map_list(count: int) -> bytes:
    return list_body("ConfigMapList", "v1", [config_map(i) for i in range(count)])
