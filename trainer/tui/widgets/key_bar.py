"""The key bar at the bottom of every screen: Textual's Footer, without its two costs per answer.

Textual's Footer recomposes itself (removes and mounts every key) whenever the screen's bindings
may have changed (a focus change, a mount), several times per answer, and binds each key to its
``compact`` reactive with ``data_bind``. Those watchers are never removed when the key is
(Textual issue #6666, "watchers from self.watch(other, ...) / data_bind are not removed when the
owner is removed from the DOM", open upstream): every recompose left its keys alive, with the
nodes they refer to, and a long study session grew by about 1 MiB per answer with full garbage
collections of a quarter of a second.

KeyBar looks and behaves the same (the same FooterKey widgets, clickable, same CSS), but:
- it recomposes only when the set of shown keys (key, label, enabled, tooltip) actually changes;
- its keys copy ``compact`` once instead of watching it (the bar never changes its compactness).
Drop it for Footer once #6666 is fixed upstream.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

Shown = tuple[tuple[str, str, str, bool, str], ...]


class KeyBar(Footer):
    """A Footer that updates only when its keys change, without data_bind watchers."""

    _shown: Shown | None = None

    def _signature(self) -> Shown:
        return tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )

    def _key(self, key: FooterKey) -> FooterKey:
        key.set_reactive(FooterKey.compact, self.compact)
        key.set_class(self.compact, "-compact", update=False)  # what its watcher would do
        return key

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        active_bindings = self.screen.active_bindings
        self._shown = self._signature()
        action_to_bindings: defaultdict[str, list[tuple[Binding, bool, str]]]
        action_to_bindings = defaultdict(list)
        for _, binding, enabled, tooltip in active_bindings.values():
            if binding.show:
                action_to_bindings[binding.action].append((binding, enabled, tooltip))
        for group, grouped in groupby(action_to_bindings.values(), lambda multi: multi[0][0].group):
            multi_bindings = list(grouped)
            if group is not None and len(multi_bindings) > 1:
                with KeyGroup(classes="-compact" if group.compact else ""):
                    for multi in multi_bindings:
                        binding, enabled, tooltip = multi[0]
                        yield self._key(
                            FooterKey(
                                binding.key,
                                self.app.get_key_display(binding),
                                "",
                                binding.action,
                                disabled=not enabled,
                                tooltip=tooltip or binding.description,
                                classes="-grouped",
                            )
                        )
                yield FooterLabel(group.description)
            else:
                for multi in multi_bindings:
                    binding, enabled, tooltip = multi[0]
                    yield self._key(
                        FooterKey(
                            binding.key,
                            self.app.get_key_display(binding),
                            binding.description,
                            binding.action,
                            disabled=not enabled,
                            tooltip=tooltip,
                        )
                    )
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            try:
                _node, binding, enabled, tooltip = active_bindings[self.app.COMMAND_PALETTE_BINDING]
            except KeyError:
                pass
            else:
                yield FooterKey(  # not bound to ``compact`` by Footer either
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    classes="-command-palette",
                    disabled=not enabled,
                    tooltip=binding.tooltip or binding.description,
                )

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._refresh_keys)

    async def _refresh_keys(self) -> None:
        if self.is_attached and self._signature() != self._shown:
            await self.recompose()
