"""A bearer token read from a file and re-read every minute (service-account token rotation)."""

from __future__ import annotations

import threading
from collections.abc import Generator
from pathlib import Path

import httpx

from kubetyped.auth.errors import TokenFileError, describe
from kubetyped.auth.flow import Clock, has_authorization, set_bearer, system_clock

__all__ = ["TokenFileAuth"]

#: client-go's cachingTokenSource re-reads the file at most once a minute.
REREAD_PERIOD = 60.0


class TokenFileAuth(httpx.Auth):
    """Reads the token at first use and again once `REREAD_PERIOD` has passed.

    If a later read fails the previous token keeps being used (like client-go); while no read
    has succeeded, `fallback` (the kubeconfig's inline `token`) is used and the file is tried
    again at the next request; without a fallback that raises `TokenFileError`. A 401 does not
    force a re-read before the period ends. Source: client-go
    `transport.NewBearerAuthWithRefreshRoundTripper` and `cachingTokenSource`.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        clock: Clock = system_clock,
        period: float = REREAD_PERIOD,
        entry: str | None = None,
        source: str | None = None,
        fallback: str | None = None,
    ) -> None:
        self.path = Path(path)
        self._clock = clock
        self._period = period
        self._entry = entry
        self._source = source
        self._fallback = fallback
        self._lock = threading.Lock()
        self._token: str | None = None
        self._read_at = 0.0

    def token(self) -> str:
        """The current token, re-reading the file when the cached one is older than the period."""
        with self._lock:
            now = self._clock()
            if self._token is not None and now - self._read_at < self._period:
                return self._token
            try:
                token = self._read()
            except TokenFileError:
                if self._token is None:
                    if self._fallback:
                        return self._fallback
                    raise
                self._read_at = now  # keep the last good token; try again next period
                return self._token
            self._token, self._read_at = token, now
            return token

    def _read(self) -> str:
        where = describe(self._source, self._entry, "tokenFile")
        try:
            token = self.path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise TokenFileError(
                f"cannot read token file {self.path}{where}: {exc.strerror or exc}",
                path=self._source,
                entry=self._entry,
                field="tokenFile",
            ) from None
        if not token:
            raise TokenFileError(
                f"token file {self.path} is empty{where}",
                path=self._source,
                entry=self._entry,
                field="tokenFile",
            )
        return token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Sets `Authorization: Bearer <token()>` unless the request already has an `Authorization`
        header; raises `TokenFileError` when no token was ever read and there is no fallback.
        """
        if not has_authorization(request):
            set_bearer(request, self.token())
        yield request

    def __repr__(self) -> str:
        return f"TokenFileAuth(path={str(self.path)!r})"
