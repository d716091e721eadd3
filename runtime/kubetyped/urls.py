"""URL checks shared by the config and transport layers: validation, redaction, userinfo."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import httpx

__all__ = ["check_url", "redact_url", "split_userinfo", "without_query"]


def _authority_end(rest: str) -> int:
    end = len(rest)
    for stop in "/?#":
        index = rest.find(stop)
        if index != -1:
            end = min(end, index)
    return end


_SCHEME_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:/*")


def redact_url(url: str) -> str:
    """`url` safe to show: userinfo, query and fragment hidden.

    `scheme://user:password@host` keeps the user (as Go's `url.URL.Redacted`); a lone
    `scheme://name@host` hides the name, which is often a token; `?query` and `#fragment`
    become `?<redacted>` / `#<redacted>` (they can carry tokens). Works on the text, so it never
    raises and still hides userinfo when the URL is otherwise invalid (no host, a bad port,
    no `://`, brackets, ...).
    """
    prefix = _SCHEME_PREFIX.match(url)
    start = prefix.end() if prefix else 0
    rest = url[start:]
    end = _authority_end(rest)
    authority, tail = rest[:end], rest[end:]
    userinfo, at, host = authority.rpartition("@")
    if at:
        user, colon, _ = userinfo.partition(":")
        # an "@" in the user means the text is not user:password (`tok@:@h`): hide it all
        keep = colon and "@" not in user
        authority = f"{user}:<redacted>@{host}" if keep else f"<redacted>@{host}"
    cut = min((i for i in (tail.find("?"), tail.find("#")) if i != -1), default=len(tail))
    path, after = tail[:cut], tail[cut:]
    query = "?<redacted>" if after.startswith("?") else ""
    fragment = "#<redacted>" if "#" in after else ""
    return f"{url[:start]}{authority}{path}{query}{fragment}"


def without_query(url: str) -> str:
    """`url` without its `?query` and `#fragment`: the base URL requests are built on.

    client-go `rest.NewRESTClient` clears `RawQuery` and `Fragment` of the server URL, and each
    request sets its own query (`Request.URL`), so a query in a kubeconfig `server` is dropped.
    """
    return url.partition("#")[0].partition("?")[0]


def split_userinfo(url: str) -> tuple[str, tuple[str, str] | None]:
    """`https://user:pw@host/x` → (`https://host/x`, (user, pw)), percent-decoded.

    The credentials become HTTP basic auth (Go's `http.Client` does this with `URL.User`) and
    never stay in the base URL, which httpx writes into its log lines.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url, None
    end = _authority_end(rest)
    userinfo, at, host = rest[:end].rpartition("@")
    if not at:
        return url, None
    user, _, password = userinfo.partition(":")
    return f"{scheme}://{host}{rest[end:]}", (unquote(user), unquote(password))


def check_url(url: str, schemes: tuple[str, ...]) -> str | None:
    """Why `url` cannot be used (None when it can): unparseable, a bad port, no host, control
    characters, a scheme outside `schemes`. Never raises; the caller words the error."""
    if any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in url):
        return "contains a space or a control character"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises for a bad port)
    except ValueError as exc:  # "[::1", "h:abc", "h:99999"; the message is not echoed
        return "has a bad port" if "port" in str(exc).lower() else "is not a valid URL"
    if parts.scheme not in schemes:
        return f"scheme must be one of {', '.join(schemes)}"
    if not parts.hostname:
        return "has no host"
    try:
        httpx.URL(url)
    except httpx.InvalidURL:
        return "is not a valid URL"
    return None
