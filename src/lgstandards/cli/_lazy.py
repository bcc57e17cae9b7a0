"""A click group whose sub-commands are imported only when used, so start-up stays fast."""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

import click


class LazyGroup(click.Group):
    """A group that maps command names to ``"module:attribute"`` strings, imported on use."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def _available(self, name: str) -> bool:
        module_name = self.lazy[name].partition(":")[0]
        return importlib.util.find_spec(module_name) is not None

    def list_commands(self, ctx: click.Context) -> list[str]:
        """List eager and lazy commands (those whose module is installed), sorted."""
        lazy = {name for name in self.lazy if self._available(name)}
        return sorted({*super().list_commands(ctx), *lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Return a command, importing it the first time it is asked for."""
        if cmd_name in self.lazy and self._available(cmd_name):
            module_name, _, attribute = self.lazy[cmd_name].partition(":")
            command = getattr(importlib.import_module(module_name), attribute)
            if not isinstance(command, click.Command):  # pragma: no cover - programming error
                raise TypeError(f"{self.lazy[cmd_name]} is not a click command")
            return command
        return super().get_command(ctx, cmd_name)
