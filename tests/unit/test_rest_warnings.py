"""`Warning` header parsing and the default de-duplicating handler."""

from __future__ import annotations

import logging

import httpx
import pytest

from kubetyped.warnings import (
    LoggingWarningHandler,
    NoWarnings,
    WarningHeader,
    handle_response_warnings,
    parse_warning_headers,
)


def test_parse_single_and_multiple_values() -> None:
    assert parse_warning_headers(['299 - "a deprecated API"']) == [
        WarningHeader(299, "-", "a deprecated API")
    ]
    parsed = parse_warning_headers(
        ['299 - "one, with comma", 299 kube-apiserver "two" "Wed, 21 Oct 2015 07:28:00 GMT"']
    )
    assert parsed == [
        WarningHeader(299, "-", "one, with comma"),
        WarningHeader(299, "kube-apiserver", "two"),
    ]


def test_escaped_quotes_are_unescaped() -> None:
    (warning,) = parse_warning_headers(['299 - "unknown field \\"spec.foo\\""'])
    assert warning.text == 'unknown field "spec.foo"'


@pytest.mark.parametrize(
    "value", ["garbage", '29 - "short code"', "299 - unquoted", '299 - "unterminated', "299"]
)
def test_malformed_values_are_skipped(value: str) -> None:
    assert parse_warning_headers([value]) == []


def test_valid_warnings_before_a_malformed_one_are_kept() -> None:
    assert parse_warning_headers(['299 - "ok", nonsense']) == [WarningHeader(299, "-", "ok")]


def test_only_299_warnings_reach_the_handler() -> None:
    seen: list[str] = []

    class Collect:
        def handle_warning(self, code: int, agent: str, text: str) -> None:
            seen.append(text)

    response = httpx.Response(
        200, headers=[("Warning", '199 - "misc"'), ("Warning", '299 - "deprecated"')]
    )
    handle_response_warnings(response, Collect())
    assert seen == ["deprecated"]


def test_logging_handler_dedupes_unless_told_not_to(caplog: pytest.LogCaptureFixture) -> None:
    once, every = LoggingWarningHandler(), LoggingWarningHandler(deduplicate=False)
    with caplog.at_level(logging.WARNING, logger="kubetyped.warnings"):
        for _ in range(3):
            once.handle_warning(299, "-", "same")
        once.handle_warning(299, "-", "other")
        every.handle_warning(299, "-", "x")
        every.handle_warning(299, "-", "x")
    assert [r.getMessage() for r in caplog.records] == ["same", "other", "x", "x"]
    assert all(r.name == "kubetyped.warnings" for r in caplog.records)


def test_no_warnings_handler_drops_everything(caplog: pytest.LogCaptureFixture) -> None:
    response = httpx.Response(200, headers={"Warning": '299 - "quiet please"'})
    with caplog.at_level(logging.WARNING, logger="kubetyped.warnings"):
        handle_response_warnings(response, NoWarnings())
    assert caplog.records == []
