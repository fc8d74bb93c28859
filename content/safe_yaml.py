"""YAML read with bounds: no aliases, limited depth and node count, so a file costs its size.

PyYAML's safe loaders still expand aliases: an 852-byte "billion laughs" file becomes hundreds of
megabytes, and a recursive alias never ends. Nothing waiwen reads as YAML (a notice's front matter,
a holiday schedule) needs an alias, so composing refuses them before any value is built.
"""

from __future__ import annotations

from typing import Any

import yaml

from core.errors import Refused

MAX_NODES = 2_000
MAX_DEPTH = 10


class YamlRefused(yaml.YAMLError, Refused):
    """The YAML breaks a bound; ``line`` counts from 1 within the YAML text (the caller names the file)."""

    def __init__(self, line: int, rule: str) -> None:
        super().__init__(field=f"line {line}", rule=rule)
        self.line = line


class BoundedLoader(yaml.SafeLoader):
    """Safe loader that refuses aliases and bounds nesting depth and the number of nodes."""

    max_nodes = MAX_NODES
    max_depth = MAX_DEPTH

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._nodes = 0
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise YamlRefused(
                line,
                f"uses the YAML alias *{event.anchor}; aliases are not accepted, write the value out",
            )
        self._nodes += 1
        if self._nodes > self.max_nodes:
            raise YamlRefused(line, f"holds more than {self.max_nodes} values")
        self._depth += 1
        try:
            if self._depth > self.max_depth:
                raise YamlRefused(line, f"is nested more than {self.max_depth} levels deep")
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        finally:
            self._depth -= 1
