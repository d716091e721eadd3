"""Building the generated clientsets from a kubeconfig; one rate limiter per clientset."""

# mypy: disable-error-code="union-attr, index, operator"
# (model fields are Optional; the tests read those the server or the test has set)

from __future__ import annotations

import dataclasses
import secrets
import time
from pathlib import Path
from typing import Any

import pytest

from kubetyped.config import load_kubeconfig
from kubetyped.errors import ForbiddenError
from kubetyped.ratelimit import TokenBucketRateLimiter
from kubetyped.transport import AsyncRetryTransport, RetryTransport
from kubetyped_kubernetes import AsyncClientset, Clientset
from kubetyped_kubernetes.models.authentication_v1 import SelfSubjectReview
from kubetyped_kubernetes.models.core_v1 import ConfigMap
from kubetyped_kubernetes.models.meta_v1 import ObjectMeta


def _limiter(rest: Any) -> TokenBucketRateLimiter | None:
    """The token bucket a REST client's requests pass through (its retry transport's)."""
    transport = rest.http_client._transport
    assert isinstance(transport, RetryTransport | AsyncRetryTransport)
    return transport.limiter


@pytest.mark.parametrize(
    ("context", "username"), [("admin", "kubetyped-admin"), ("admin-token", "admin-token")]
)
def test_from_kubeconfig_with_cert_and_token_contexts(
    kubeconfig_path: Path, namespace: str, context: str, username: str
) -> None:
    with Clientset.from_kubeconfig(kubeconfig_path, context=context) as cs:
        assert cs.rest.config.context_name == context
        maps = cs.core_v1.config_maps(namespace)
        created = maps.create(ConfigMap(metadata=ObjectMeta(name=f"by-{context}")))
        assert created.metadata.name == f"by-{context}"
        assert maps.get(f"by-{context}").metadata.uid == created.metadata.uid
        # the server saw the identity of the context's credentials
        review = cs.authentication_v1.self_subject_reviews().create(SelfSubjectReview())
        assert review.status.user_info.username == username
        assert "system:masters" in review.status.user_info.groups


def test_token_never_shows_in_reprs_or_errors(kubeconfig_path: Path, namespace: str) -> None:
    import yaml

    document = yaml.safe_load(kubeconfig_path.read_text())
    tokens = [user["user"]["token"] for user in document["users"] if "token" in user["user"]]
    assert tokens
    with Clientset.from_kubeconfig(kubeconfig_path, context="alice") as cs:
        with pytest.raises(ForbiddenError) as caught:
            cs.core_v1.config_maps(namespace).get("anything")
        assert "alice" in str(caught.value)
        shown = " ".join(
            [
                str(caught.value),
                repr(caught.value),
                repr(cs.rest.config),
                repr(cs.core_v1.config_maps(namespace)),
            ]
        )
        for token in tokens:
            assert token not in shown


async def test_async_from_kubeconfig_with_token_context(
    kubeconfig_path: Path, namespace: str
) -> None:
    async with AsyncClientset.from_kubeconfig(kubeconfig_path, context="admin-token") as acs:
        got = await acs.core_v1.namespaces().get(namespace)
        assert got.metadata.name == namespace


def test_one_rate_limiter_for_every_group(kubeconfig_path: Path) -> None:
    with Clientset.from_kubeconfig(kubeconfig_path, context="admin") as cs:
        limiter = _limiter(cs.rest)
        assert isinstance(limiter, TokenBucketRateLimiter)
        groups = [cs.core_v1, cs.apps_v1, cs.scheduling_v1, cs.rbac_v1, cs.batch_v1]
        for group in groups:
            assert group.rest is cs.rest
            assert _limiter(group.rest) is limiter
        resource_clients: list[Any] = [
            cs.core_v1.config_maps("x"),
            cs.apps_v1.deployments("x"),
            cs.scheduling_v1.priority_classes(),
        ]
        for client in resource_clients:
            assert _limiter(client._rest) is limiter


async def test_async_clientset_has_one_rate_limiter(kubeconfig_path: Path) -> None:
    async with AsyncClientset.from_kubeconfig(kubeconfig_path, context="admin") as acs:
        limiter = _limiter(acs.rest)
        assert isinstance(limiter, TokenBucketRateLimiter)
        assert _limiter(acs.core_v1.rest) is limiter
        assert _limiter(acs.apps_v1.rest) is limiter


def test_the_shared_bucket_throttles_across_groups(kubeconfig_path: Path, namespace: str) -> None:
    # qps 5, burst 1: six requests through one bucket take >= 1 s; one bucket per group
    # (three requests each) would take only 0.4 s.
    config = dataclasses.replace(load_kubeconfig(kubeconfig_path, context="admin"), qps=5, burst=1)
    with Clientset.from_config(config) as cs:
        maps, deployments = cs.core_v1.config_maps(namespace), cs.apps_v1.deployments(namespace)
        started = time.monotonic()
        for _ in range(3):
            maps.list()
            deployments.list()
        elapsed = time.monotonic() - started
    assert elapsed >= 0.9, elapsed


def test_clientsets_from_one_config_share_its_bucket(kubeconfig_path: Path) -> None:
    config = load_kubeconfig(kubeconfig_path, context="admin")
    with Clientset.from_config(config) as first, Clientset.from_config(config) as second:
        assert _limiter(first.rest) is _limiter(second.rest)
    other = load_kubeconfig(kubeconfig_path, context="admin")
    with Clientset.from_config(config) as first, Clientset.from_config(other) as third:
        assert _limiter(first.rest) is not _limiter(third.rest)


def test_from_kubeconfig_unknown_context_is_a_config_error(kubeconfig_path: Path) -> None:
    from kubetyped.errors import ConfigError

    missing = f"nope-{secrets.token_hex(3)}"
    with pytest.raises(ConfigError, match=missing):
        Clientset.from_kubeconfig(kubeconfig_path, context=missing)
