"""`kubetyped.urls`: URL checks never raise, and a password never survives redaction."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kubetyped.urls import check_url, redact_url, split_userinfo

PIECES = st.sampled_from(
    [
        *("https://", "http://", "socks5://", "[", "]", "::1", ":", "@", "h", "é", "\x00", " "),
        *("/", "?", "#", "99999", "abc", "%", "%zz", "xn--", "..", "\u3000", "\uff0e", "1.2.3.4"),
    ]
)
URLS = st.one_of(st.text(max_size=40), st.lists(PIECES, max_size=8).map("".join))
PASSWORD = st.text(
    alphabet=st.characters(blacklist_characters="@/?#:", blacklist_categories=("Cs",)),
    min_size=6,
    max_size=20,
)


@settings(max_examples=500, deadline=None)
@given(URLS)
def test_check_url_never_raises_and_accepts_only_what_httpx_parses(url: str) -> None:
    problem = check_url(url, ("http", "https", "socks5"))
    if problem is None:
        httpx.URL(url)  # what check_url accepts, httpx accepts


@settings(max_examples=500, deadline=None)
@given(URLS, PASSWORD, URLS)
def test_redaction_hides_the_password_whatever_surrounds_it(
    before: str, password: str, after: str
) -> None:
    # a password that is part of the redacted text itself ("<redac") cannot be told apart
    assume(password not in "https://user:<redacted>@")
    url = f"https://user:{password}@{after}"
    redacted = redact_url(url)
    assert password not in redacted or password in after
    stripped, userinfo = split_userinfo(url)
    assert userinfo is not None and userinfo[0] == "user"
    assert password not in stripped or password in after
    redact_url(before)  # never raises
    split_userinfo(before)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://u:p%40ss@h:6443/x?y#z", ("https://h:6443/x?y#z", ("u", "p@ss"))),
        ("https://h:6443", ("https://h:6443", None)),
        ("https://u@h", ("https://h", ("u", ""))),
    ],
)
def test_split_userinfo(url: str, expected: tuple[str, tuple[str, str] | None]) -> None:
    assert split_userinfo(url) == expected


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://[::1", "is not a valid URL"),
        ("https://h:abc", "has a bad port"),
        ("https://h:99999", "has a bad port"),
        ("https://h/\x00", "contains a space or a control character"),
        ("ftp://h", "scheme must be one of http, https"),
        ("https://", "has no host"),
        ("https://h:6443", None),
    ],
)
def test_check_url_problems(url: str, problem: str | None) -> None:
    assert check_url(url, ("http", "https")) == problem
