"""URL checks shared by the config and transport layers: validation, redaction, userinfo."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import httpx


def _authority_end(rest: str) -> int:
    end = len(rest)
    for stop in "/?#":
        index = rest.find(stop)
        if index != -1:
            end = min(end, index)
    return end


def redact_url(url: str) -> str:
    """`url` with the password of `scheme://user:password@host` replaced by `<redacted>`.

    Works on the text, so it never raises, whatever the URL holds (a bad port, brackets, ...).
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    end = _authority_end(rest)
    authority = rest[:end]
    userinfo, at, host = authority.rpartition("@")
    if not at or ":" not in userinfo:
        return url
    user = userinfo.split(":", 1)[0]
    return f"{scheme}://{user}:<redacted>@{host}{rest[end:]}"


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
