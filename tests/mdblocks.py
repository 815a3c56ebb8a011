"""Reading the pages of docs/ for the tests that keep them true: sections, fenced blocks, tables."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import jsonschema
from referencing import Registry, Resource

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

_FENCE = re.compile(r"^```(\S*)\s*$")
_HEADING = re.compile(r"^(#{2,3}) (.+?)\s*$")


@dataclass(frozen=True)
class Block:
    """A fenced code block: its language tag, its text, the `##` section it is in, its first line."""

    lang: str
    code: str
    section: str
    line: int


def page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def blocks(text: str) -> list[Block]:
    """Every fenced block of a page, in order."""
    found: list[Block] = []
    section, lang, start, body = "", None, 0, []
    for number, line in enumerate(text.splitlines(), start=1):
        fence = _FENCE.match(line)
        if lang is None:
            heading = _HEADING.match(line)
            if heading and heading.group(1) == "##":
                section = heading.group(2)
            if fence:
                lang, start, body = fence.group(1), number + 1, []
        elif fence and not fence.group(1):
            found.append(Block(lang, "\n".join(body) + "\n", section, start))
            lang = None
        else:
            body.append(line)
    return found


def sections(text: str, level: str = "##") -> dict[str, str]:
    """The text under each heading of `level` (`##` or `###`), fenced blocks included."""
    out: dict[str, list[str]] = {}
    current = None
    fenced = False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        heading = None if fenced else _HEADING.match(line)
        if heading and len(heading.group(1)) <= len(level):
            current = heading.group(2) if heading.group(1) == level else None
            if current is not None:
                out[current] = []
            continue
        if current is not None:
            out[current].append(line)
    return {title: "\n".join(lines) for title, lines in out.items()}


def tables(text: str) -> list[list[list[str]]]:
    """Every Markdown table of `text`: its rows (header first, separator dropped) as lists of cells."""
    found: list[list[list[str]]] = []
    rows: list[list[str]] = []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", c) for c in cells):
                rows.append(cells)
        elif rows:
            found.append(rows)
            rows = []
    return found


def code_spans(text: str) -> list[str]:
    """The contents of every `inline code` span."""
    return re.findall(r"`([^`\n]+)`", text)


def unquote(cell: str) -> str:
    """A table cell holding one code span, without its backticks."""
    spans = code_spans(cell)
    return spans[0] if len(spans) == 1 and cell.strip() == f"`{spans[0]}`" else cell


def schema_fields(schema: object) -> set[str]:
    """Every property name a JSON Schema declares, at any depth (iteratively)."""
    fields: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            fields.update(node.get("properties", {}))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return fields


def schema_validator(name: str) -> tuple[dict, jsonschema.Draft202012Validator]:
    """docs/schema/NAME.schema.json and a validator for it that resolves its references to
    check.schema.json (the result record every command's document shares)."""
    def load(file: str) -> dict:
        return json.loads((DOCS / "schema" / file).read_text(encoding="utf-8"))

    schema = load(f"{name}.schema.json")
    registry = Registry().with_resources([(f"{name}.schema.json", Resource.from_contents(schema)),
                                          ("check.schema.json", Resource.from_contents(load("check.schema.json")))])
    return schema, jsonschema.Draft202012Validator(schema, registry=registry)
