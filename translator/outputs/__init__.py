"""Outputs: a `Run` written for people, programs and CI systems.

`FORMATS` names each `--format` and where its writer lives, so that a
command imports only the writer it uses (a plain text check loads no CI
format). Every writer is `write(run, out, err, seconds)`: the report to
`out`, the rendered diagnostics to `err`; a writer may take keyword options
of its own (the text writer's `quiet`).
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TextIO

FORMATS: dict[str, tuple[str, str]] = {
    "text": ("text", "write_text"),
    "json": ("text", "write_json"),
    "junit": ("ci", "write_junit"),
    "sarif": ("ci", "write_sarif"),
    "github": ("ci", "write_github"),
}

Writer = Callable[..., None]


def writer(name: str) -> Writer:
    """The writer of the format `name` (a key of FORMATS), imported now."""
    module, function = FORMATS[name]
    return getattr(importlib.import_module(f"{__name__}.{module}"), function)


def write(name: str, run, out: TextIO, err: TextIO, seconds: float | None = None, **options: object) -> None:
    """Write `run` in the format `name` (with the writer's own keyword `options`)."""
    writer(name)(run, out, err, seconds, **options)
