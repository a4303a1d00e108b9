"""One error tree: every exception veilleur defines derives from VeilleurError."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import veilleur
from veilleur.errors import InputError, RemoteError, VeilleurError
from veilleur.imports.bluesky_car import CarError
from veilleur.imports.records import RecordError
from veilleur.networks.rss import NotAFeed, parse_feed
from veilleur.publish.publisher import PublishError
from veilleur.sources.http import FetchError
from veilleur.sources.netguard import AddressRefused, check_addresses


def _exception_classes() -> list[type[BaseException]]:
    found: list[type[BaseException]] = []
    for info in pkgutil.walk_packages(veilleur.__path__, "veilleur."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


def test_every_exception_of_veilleur_is_a_veilleur_error() -> None:
    classes = _exception_classes()
    assert len(classes) >= 14  # the walk did find the package's exceptions
    outside = [
        f"{c.__module__}.{c.__qualname__}" for c in classes if not issubclass(c, VeilleurError)
    ]
    assert outside == []


def test_every_error_has_a_documented_exit_status() -> None:
    doc = veilleur.errors.__doc__ or ""
    for cls in _exception_classes():
        code = getattr(cls, "exit_code", None)
        assert code in (1, 2), cls.__name__
        assert f"{cls.__name__} ({code})" in doc, cls.__name__


@pytest.mark.parametrize("cls", [RecordError, CarError, NotAFeed])
def test_parse_errors_are_still_value_errors(cls: type[InputError]) -> None:
    # Readers catch ValueError around payload parsing: these must still be caught there.
    assert issubclass(cls, ValueError) and issubclass(cls, InputError)


def test_not_a_feed_is_caught_as_a_value_error_and_as_an_input_error() -> None:
    for caught in (ValueError, InputError):
        with pytest.raises(caught):
            parse_feed(b"<html><body>no feed</body></html>")


def test_remote_errors_keep_their_details() -> None:
    fetch = FetchError("https://example.org/feed", "HTTP 503", retry_after=3.0)
    assert isinstance(fetch, RemoteError) and fetch.exit_code == 2
    assert (str(fetch), fetch.retry_after) == ("https://example.org/feed: HTTP 503", 3.0)
    assert PublishError("Mastodon: 500", retryable=True).retryable
    with pytest.raises(RemoteError) as refused:
        check_addresses("intranet.local", ["10.0.0.1"])
    assert isinstance(refused.value, AddressRefused)
    assert RecordError("likes: not a number").exit_code == 1
