"""Helpers to look inside a Dash component tree without a browser."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from dash.development.base_component import Component


def walk(node: Any) -> Iterator[Any]:
    """Every component and string in a tree, depth first."""
    yield node
    if isinstance(node, Component):
        children = getattr(node, "children", None)
        if children is not None:
            yield from walk(children)
    elif isinstance(node, (list, tuple)):
        for child in node:
            yield from walk(child)


def text(node: Any) -> str:
    """All the strings in a tree, joined by spaces."""
    return " ".join(str(n) for n in walk(node) if isinstance(n, (str, int, float))
                    and not isinstance(n, bool))


def find(node: Any, pred: Callable[[Component], bool]) -> list[Component]:
    """Components that satisfy `pred`."""
    return [n for n in walk(node) if isinstance(n, Component) and pred(n)]


def by_id(node: Any, component_id: Any) -> Component:
    """The component with an ID (raises if absent)."""
    found = find(node, lambda c: getattr(c, "id", None) == component_id)
    assert found, f"no component with id {component_id!r}"
    return found[0]


def scorecard_row(node: Any, code: str) -> Component:
    """The scorecard table's row for an indicator code."""
    rows = find(node, lambda c: getattr(c, "data-code", None) == code)
    assert rows, f"no scorecard row for {code}"
    return rows[0]
