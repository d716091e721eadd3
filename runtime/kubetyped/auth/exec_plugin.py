"""Exec credential plugins (`users[].user.exec`, client.authentication.k8s.io v1 / v1beta1).

The blocking core is `run_exec_plugin()` (spawn, time out, parse); `ExecAuth` caches its
`ExecCredential` process-wide until `status.expirationTimestamp` and runs the plugin again after
a 401. Source: client-go plugin/pkg/client/auth/exec/exec.go.
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
from kubetyped.auth.exec_constants import DEFAULT_TIMEOUT, clean_ansi_escape_codes
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
from kubetyped.auth.tls import CertRotation, load_cert_chain_from_memory

__all__ = ["ExecAuth", "ExecConfig", "ExecCredential", "run_exec_plugin"]


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
        """The location suffix of messages about this plugin: user entry, `field_name` and kubeconfig
        file.
        """
        return describe(self.source, self.entry, field_name)

    def error(self, message: str, field_name: str = "exec") -> ExecPluginError:
        """An `ExecPluginError` for this plugin with `message`, naming the command, the kubeconfig
        file, the user entry and `field_name`.
        """
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
        """True when the credential has an `expirationTimestamp` and `now` (epoch seconds) has reached
        it; a credential without one is used until the server answers 401.
        """
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
    # The value is never quoted: a plugin may print anything there, a token included.
    if not isinstance(value, str):
        raise config.error("status.expirationTimestamp is not a string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise config.error("status.expirationTimestamp is not RFC 3339") from None
    if parsed.tzinfo is None:
        raise config.error("status.expirationTimestamp has no time zone")
    return parsed.timestamp()


def _optional_str(config: ExecConfig, status: Mapping[str, Any], key: str) -> str | None:
    value = status.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise config.error(f"status.{key} is not a string")
    return value


def parse_exec_credential(config: ExecConfig, stdout: bytes) -> ExecCredential:
    """Validate the plugin's stdout. Never echoes any of it (kind, apiVersion and timestamps
    included): a plugin may print a token in any field."""
    try:
        doc = json.loads(stdout)
    except (ValueError, UnicodeDecodeError):
        raise config.error(f"printed invalid JSON ({len(stdout)} bytes) on stdout") from None
    if not isinstance(doc, dict):
        raise config.error(f"printed JSON that is not an object ({len(stdout)} bytes)")
    if doc.get("kind") != "ExecCredential":
        raise config.error("printed an object whose kind is not ExecCredential")
    if doc.get("apiVersion") != config.api_version:
        raise config.error(
            f"is configured for apiVersion {config.api_version!r} but returned another apiVersion"
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
    """Run the plugin once (blocking) and parse what it printed on stdout.

    Its stderr is this process's stderr, always (device-code and SSO prompts reach the user);
    nothing the plugin prints ends up in an exception. An interactive run has stdin too and no
    time limit (a human is answering); a non-interactive one is killed after `config.timeout`
    seconds. Source: client-go `exec.Authenticator.refreshCredsLocked`
    (plugin/pkg/client/auth/exec/exec.go: `cmd.Stderr = os.Stderr`, stdin only when interactive).

    Raises `ExecPluginError` naming the kubeconfig file, user and field.
    """
    interactive = decide_interactive(config, stdin_is_terminal())
    own_group = not interactive  # an interactive plugin must keep our controlling terminal
    try:
        proc = subprocess.Popen(
            [config.command, *config.args],
            env=_plugin_env(config, interactive),
            stdin=None if interactive else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=None,
            start_new_session=own_group,
        )
    except FileNotFoundError:
        hint = (
            f" ({clean_ansi_escape_codes(config.install_hint.strip())})"
            if config.install_hint
            else ""
        )
        raise config.error(f"executable not found{hint}", "exec.command") from None
    except OSError as exc:
        raise config.error(f"cannot start: {exc.strerror or exc}", "exec.command") from None
    timeout = None if interactive else config.timeout
    try:
        stdout, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc, own_group)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.communicate(timeout=5)
        raise config.error(f"did not finish within {config.timeout:g}s and was killed") from None
    if proc.returncode != 0:
        raise config.error(
            f"exited with code {proc.returncode} (its messages went to standard error)"
        )
    return parse_exec_credential(config, stdout)


def exec_cache_key(config: ExecConfig) -> str:
    """What makes two exec stanzas the same plugin invocation (client-go `exec.cacheKey`):
    command, args, env, apiVersion, interactiveMode and the cluster it is told about."""
    return json.dumps(
        [
            config.command,
            list(config.args),
            [list(pair) for pair in config.env],
            config.api_version,
            config.interactive_mode,
            config.provide_cluster_info,
            dict(config.cluster) if config.provide_cluster_info and config.cluster else None,
        ],
        sort_keys=True,
        default=str,
    )


def _cert_pair(cred: ExecCredential) -> tuple[str | None, str | None]:
    return (cred.client_certificate_data, cred.client_key_data)


class _ExecState:
    """The credential of one plugin invocation, shared by every `ExecAuth` with its cache key."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.credential: ExecCredential | None = None
        # weak: contexts die with their transports
        self.ssl_contexts: weakref.WeakSet[ssl.SSLContext] = weakref.WeakSet()
        self.rotation = CertRotation()


_STATES: dict[tuple[str, Callable[[ExecConfig], ExecCredential]], _ExecState] = {}
_STATES_LOCK = threading.Lock()


def _shared_state(config: ExecConfig, runner: Callable[[ExecConfig], ExecCredential]) -> _ExecState:
    key = (exec_cache_key(config), runner)
    with _STATES_LOCK:
        state = _STATES.get(key)
        if state is None:
            state = _STATES[key] = _ExecState()
        return state


class ExecAuth(EffectfulAuth):
    """Bearer token (or client certificate) from an exec plugin, cached until it expires.

    The cache is process-wide, keyed by `exec_cache_key` (client-go `exec.GetAuthenticator`'s
    global cache): every client built from the same exec stanza and cluster shares one credential
    and runs the plugin once.

    Client certificates: the TLS handshake happens before any auth flow, so the transport must
    hand its `ssl.SSLContext` to `bind_ssl_context()` (`ClientConfig.ssl_context()` does this).
    A fresh certificate is loaded into that context before the request is sent, and
    `cert_rotation` moves, so transports close their pooled connections and the next request
    handshakes with the new certificate (client-go's connection tracker).
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
        self._state = _shared_state(config, runner)

    @property
    def _credential(self) -> ExecCredential | None:
        return self._state.credential

    @property
    def cert_rotation(self) -> CertRotation:
        """Moves whenever the plugin's client certificate changes."""
        return self._state.rotation

    def bind_ssl_context(self, ctx: ssl.SSLContext) -> None:
        """Register a context that receives the plugin's client certificate when it changes."""
        state = self._state
        with state.lock:
            state.ssl_contexts.add(ctx)
            cred = state.credential
            if cred is not None and cred.client_certificate_data is not None:
                self._load_certificate(cred, [ctx])

    def credential(self, stale: ExecCredential | None = None) -> ExecCredential:
        """The cached credential, or a new one if it is missing, expired, or is `stale`."""
        state = self._state
        with state.lock:
            cached = state.credential
            if cached is not None and cached is not stale and not cached.expired(self._clock()):
                return cached
            fresh = self._runner(self.config)
            if fresh.client_certificate_data is not None:
                if not state.ssl_contexts:
                    raise self.config.error(
                        "returned a client certificate, but no TLS context was bound to receive "
                        "it (build the transport's context with ClientConfig.ssl_context())"
                    )
                self._load_certificate(fresh, list(state.ssl_contexts))
            if cached is not None and _cert_pair(cached) != _cert_pair(fresh):
                state.rotation.rotated()
            state.credential = fresh  # cached only once usable
            return fresh

    def _load_certificate(self, cred: ExecCredential, contexts: list[ssl.SSLContext]) -> None:
        assert cred.client_certificate_data is not None and cred.client_key_data is not None
        cert = cred.client_certificate_data.encode()
        key = cred.client_key_data.encode()
        for ctx in contexts:
            try:
                load_cert_chain_from_memory(ctx, cert, key)
            except ssl.SSLError:
                raise self.config.error("returned an unusable client certificate/key") from None

    def flow(self, request: httpx.Request) -> Flow:
        """Sets the plugin's token on the request (running the plugin when no unexpired credential is
        cached), sends it, and on a 401 runs the plugin again (unless another request already did)
        and re-sends once. A request that already carries `Authorization` is left alone. client-go's
        exec `roundTripper` (`plugin/pkg/client/auth/exec`) also reruns the plugin after a 401
        (`maybeRefreshCreds`) but hands the 401 back; the re-send is kubetyped's. Raises
        `ExecPluginError` when the plugin fails.
        """
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
