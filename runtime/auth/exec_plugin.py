"""Exec credential plugins (`users[].user.exec`, client.authentication.k8s.io v1 / v1beta1).

The blocking core is `run_exec_plugin()` (spawn, time out, parse); `ExecAuth` caches its
`ExecCredential` until `status.expirationTimestamp` and runs the plugin again after a 401.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import ssl
import subprocess
import sys
import threading
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

import httpx

from kubetyped.auth.errors import ExecPluginError, describe
from kubetyped.auth.exec_constants import DEFAULT_TIMEOUT
from kubetyped.auth.exec_constants import INTERACTIVE_MODES as INTERACTIVE_MODES
from kubetyped.auth.exec_constants import SUPPORTED_API_VERSIONS as SUPPORTED_API_VERSIONS
from kubetyped.auth.exec_constants import V1 as V1
from kubetyped.auth.exec_constants import V1BETA1 as V1BETA1
from kubetyped.auth.flow import (
    CallEffect,
    Clock,
    EffectfulAuth,
    Flow,
    has_authorization,
    set_bearer,
    system_clock,
)
from kubetyped.auth.tls import load_cert_chain_from_memory
from kubetyped.errors import redact

_STDERR_EXCERPT = 400


@dataclass(frozen=True)
class ExecConfig:
    """A validated `exec` stanza plus where it came from (for error messages)."""

    command: str
    api_version: str
    args: tuple[str, ...] = field(default=(), repr=False)
    env: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    install_hint: str | None = None
    provide_cluster_info: bool = False
    interactive_mode: str = "IfAvailable"
    #: ExecCredential `spec.cluster` (JSON-ready), sent only when provide_cluster_info is set.
    cluster: Mapping[str, Any] | None = field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT
    entry: str | None = None
    source: str | None = None

    def where(self, field_name: str = "exec") -> str:
        return describe(self.source, self.entry, field_name)

    def error(self, message: str, field_name: str = "exec") -> ExecPluginError:
        return ExecPluginError(
            f"exec plugin {self.command!r}{self.where(field_name)}: {message}",
            path=self.source,
            entry=self.entry,
            field=field_name,
        )


@dataclass(frozen=True)
class ExecCredential:
    """What a plugin returned: a token and/or a client certificate, and when it expires."""

    token: str | None = field(default=None, repr=False)
    client_certificate_data: str | None = field(default=None, repr=False)
    client_key_data: str | None = field(default=None, repr=False)
    expires_at: float | None = None  # epoch seconds; None = valid until a 401

    def expired(self, now: float) -> bool:
        return self.expires_at is not None and now >= self.expires_at


def exec_info(config: ExecConfig, interactive: bool) -> str:
    """The `KUBERNETES_EXEC_INFO` value: an ExecCredential carrying only the request spec."""
    spec: dict[str, Any] = {"interactive": interactive}
    if config.provide_cluster_info and config.cluster is not None:
        spec["cluster"] = dict(config.cluster)
    return json.dumps({"apiVersion": config.api_version, "kind": "ExecCredential", "spec": spec})


def decide_interactive(config: ExecConfig, stdin_is_terminal: bool) -> bool:
    """Whether the plugin may talk to the user; `Always` without a terminal is an error."""
    if config.interactive_mode == "Never":
        return False
    if config.interactive_mode == "Always" and not stdin_is_terminal:
        raise config.error(
            "interactiveMode is Always but standard input is not a terminal", "exec.interactiveMode"
        )
    return stdin_is_terminal


def _parse_timestamp(config: ExecConfig, value: object) -> float:
    if not isinstance(value, str):
        raise config.error("status.expirationTimestamp is not a string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise config.error(f"status.expirationTimestamp {value!r} is not RFC 3339") from None
    if parsed.tzinfo is None:
        raise config.error(f"status.expirationTimestamp {value!r} has no time zone")
    return parsed.timestamp()


def _optional_str(config: ExecConfig, status: Mapping[str, Any], key: str) -> str | None:
    value = status.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise config.error(f"status.{key} is not a string")
    return value


def parse_exec_credential(config: ExecConfig, stdout: bytes) -> ExecCredential:
    """Validate the plugin's stdout. Never echoes stdout: it may hold a token."""
    try:
        doc = json.loads(stdout)
    except (ValueError, UnicodeDecodeError):
        raise config.error(f"printed invalid JSON ({len(stdout)} bytes) on stdout") from None
    if not isinstance(doc, dict):
        raise config.error(f"printed JSON that is not an object ({len(stdout)} bytes)")
    if doc.get("kind") != "ExecCredential":
        raise config.error(f"printed kind {str(doc.get('kind'))[:60]!r}, want 'ExecCredential'")
    if doc.get("apiVersion") != config.api_version:
        raise config.error(
            f"is configured for apiVersion {config.api_version!r} "
            f"but returned {str(doc.get('apiVersion'))[:80]!r}"
        )
    status = doc.get("status")
    if not isinstance(status, dict):
        raise config.error("did not return a status object")
    token = _optional_str(config, status, "token")
    cert = _optional_str(config, status, "clientCertificateData")
    key = _optional_str(config, status, "clientKeyData")
    if (cert is None) != (key is None):
        raise config.error("returned only one of clientCertificateData and clientKeyData")
    if token is None and cert is None:
        raise config.error("returned neither a token nor a client certificate and key")
    expiry = status.get("expirationTimestamp")
    expires_at = None if expiry in (None, "") else _parse_timestamp(config, expiry)
    return ExecCredential(token, cert, key, expires_at)


def _plugin_env(config: ExecConfig, interactive: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.update(config.env)
    env["KUBERNETES_EXEC_INFO"] = exec_info(config, interactive)
    return env


def _excerpt(stderr: bytes | None) -> str:
    """The start of the plugin's stderr for the error message, with credentials redacted."""
    if not stderr:
        return ""
    text = redact(stderr.decode("utf-8", "replace").strip())
    if len(text) > _STDERR_EXCERPT:
        text = text[:_STDERR_EXCERPT] + "…"
    return f"; stderr: {text}" if text else ""


def _kill(proc: subprocess.Popen[bytes], own_group: bool) -> None:
    with contextlib.suppress(ProcessLookupError):
        if own_group:
            os.killpg(proc.pid, signal.SIGKILL)  # also kills children holding our pipes
        else:
            proc.kill()


def _stdin_is_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def run_exec_plugin(
    config: ExecConfig, *, stdin_is_terminal: Callable[[], bool] = _stdin_is_terminal
) -> ExecCredential:
    """Run the plugin once (blocking), killing it after `config.timeout` seconds."""
    interactive = decide_interactive(config, stdin_is_terminal())
    own_group = not interactive  # an interactive plugin must keep our controlling terminal
    try:
        proc = subprocess.Popen(
            [config.command, *config.args],
            env=_plugin_env(config, interactive),
            stdin=None if interactive else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=None if interactive else subprocess.PIPE,
            start_new_session=own_group,
        )
    except FileNotFoundError:
        hint = f" ({config.install_hint.strip()})" if config.install_hint else ""
        raise config.error(f"executable not found{hint}", "exec.command") from None
    except OSError as exc:
        raise config.error(f"cannot start: {exc.strerror or exc}", "exec.command") from None
    try:
        stdout, stderr = proc.communicate(timeout=config.timeout)
    except subprocess.TimeoutExpired:
        _kill(proc, own_group)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.communicate(timeout=5)
        raise config.error(f"did not finish within {config.timeout:g}s and was killed") from None
    if proc.returncode != 0:
        raise config.error(f"exited with code {proc.returncode}{_excerpt(stderr)}")
    return parse_exec_credential(config, stdout)


class ExecAuth(EffectfulAuth):
    """Bearer token (or client certificate) from an exec plugin, cached until it expires.

    Client certificates: the TLS handshake happens before any auth flow, so the transport must
    hand its `ssl.SSLContext` to `bind_ssl_context()` (`ClientConfig.ssl_context()` does this).
    A fresh certificate is loaded into that context before the request is sent, so new
    connections present it; connections already pooled keep the certificate they shook hands
    with until the transport closes them.
    """

    def __init__(
        self,
        config: ExecConfig,
        *,
        clock: Clock = system_clock,
        runner: Callable[[ExecConfig], ExecCredential] = run_exec_plugin,
    ) -> None:
        self.config = config
        self._clock = clock
        self._runner = runner
        self._lock = threading.Lock()
        self._credential: ExecCredential | None = None
        # weak: contexts die with their transports
        self._ssl_contexts: weakref.WeakSet[ssl.SSLContext] = weakref.WeakSet()

    def bind_ssl_context(self, ctx: ssl.SSLContext) -> None:
        """Register a context that receives the plugin's client certificate when it changes."""
        with self._lock:
            self._ssl_contexts.add(ctx)
            cred = self._credential
        if cred is not None and cred.client_certificate_data is not None:
            self._load_certificate(cred)

    def credential(self, stale: ExecCredential | None = None) -> ExecCredential:
        """The cached credential, or a new one if it is missing, expired, or is `stale`."""
        with self._lock:
            cached = self._credential
            if cached is not None and cached is not stale and not cached.expired(self._clock()):
                return cached
            fresh = self._runner(self.config)
            if fresh.client_certificate_data is not None:
                self._load_certificate(fresh)
            self._credential = fresh  # cached only once usable
            return fresh

    def _load_certificate(self, cred: ExecCredential) -> None:
        assert cred.client_certificate_data is not None and cred.client_key_data is not None
        if not self._ssl_contexts:
            raise self.config.error(
                "returned a client certificate, but no TLS context was bound to receive it "
                "(build the transport's context with ClientConfig.ssl_context())"
            )
        cert = cred.client_certificate_data.encode()
        key = cred.client_key_data.encode()
        for ctx in list(self._ssl_contexts):
            try:
                load_cert_chain_from_memory(ctx, cert, key)
            except ssl.SSLError:
                raise self.config.error("returned an unusable client certificate/key") from None

    def flow(self, request: httpx.Request) -> Flow:
        if has_authorization(request):
            yield request
            return
        cred = self._credential
        if cred is None or cred.expired(self._clock()):
            cred = yield CallEffect(self.credential)
        assert cred is not None
        if cred.token is not None:
            set_bearer(request, cred.token)
        response = yield request
        if response.status_code != httpx.codes.UNAUTHORIZED:
            return
        # The server rejected this credential: run the plugin again (unless another request
        # already replaced it) and retry once.
        cred = yield CallEffect(partial(self.credential, cred))
        if cred.token is not None:
            set_bearer(request, cred.token)
        yield request

    def __repr__(self) -> str:
        return f"ExecAuth(command={self.config.command!r}, api_version={self.config.api_version!r})"
