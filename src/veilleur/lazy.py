"""Lazy exports for the pillars' front doors.

A door (``veilleur.watch``, ``veilleur.sources``…) lists its use cases in ``__all__`` but
must stay light to import: ``veilleur --help`` loads every door and must not pay for
numpy, datasketch or httpx. Each door maps its exported names to the module that defines
them; the module is imported on first use of the name (PEP 562 ``__getattr__``), and the
door imports the same names under ``TYPE_CHECKING`` for the type checker.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def exports(package: str, table: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: ``table`` maps a name to ``"module:attr"``
    (or ``"module"`` when the attribute has the exported name)."""

    def __getattr__(name: str) -> Any:
        target = table.get(name)
        if target is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, _, attr = target.partition(":")
        value = getattr(importlib.import_module(module), attr or name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
