"""The key bar at the bottom of every screen: Textual's Footer, without its two costs per answer.

Textual's Footer recomposes itself (removes and mounts every key) whenever the screen's bindings
may have changed (a focus change, a mount), several times per answer, and binds each key to its
``compact`` reactive with ``data_bind``. Those watchers are never removed when the key is
(Textual issue #6666, "watchers from self.watch(other, ...) / data_bind are not removed when the
owner is removed from the DOM", open upstream): every recompose left its keys alive, with the
nodes they refer to, and a long study session grew by about 1 MiB per answer with full garbage
collections of a quarter of a second.

KeyBar looks and behaves the same (the same FooterKey widgets, clickable, same CSS), but:
- it changes only when the set of shown keys (key, label, enabled, tooltip) actually changes, and
  then updates its keys in place (relabels them; mounts only the keys it never had, and hides
  the ones it has no use for now) instead of removing and mounting them all: a recompose costs
  two more layouts of the whole screen;
- a screen can update it at once (``update_now``), inside its own batch, right after it moved
  the focus, so that the screen is laid out once with the right keys (the study screen does);
- its keys copy ``compact`` once instead of watching it (the bar never changes its compactness).
- its keys (BarKey) draw their label once per label and style and keep it: the study screen
  relabels two or three keys on every submit and rating, and a FooterKey builds, measures
  and wraps its label anew for the layout and again for the paint each time.
Drop it for Footer once #6666 is fixed upstream.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import Screen
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

Shown = tuple[tuple[str, str, str, bool, str], ...]
Spec = tuple[str, str, str, str, bool, str]  # key, key display, description, action, disabled, tip
_DRAWN_MAX = 256  # labels kept (a few dozen in all the screens)


class BarKey(FooterKey):
    """A FooterKey whose label is drawn as FooterKey draws it, once per label and style."""

    _drawn: ClassVar[dict[tuple[object, ...], Strip]] = {}

    def _label(self) -> Strip:
        drawn_for = (
            self.key_display,
            self.description,
            self.visual_style,
            self.get_component_rich_style("footer-key--key"),
            self.get_component_rich_style("footer-key--description"),
            self.has_class("-compact"),
        )
        strip = self._drawn.get(drawn_for)
        if strip is None:
            visual = visualize(self, self.render())
            width = visual.get_optimal_width(self.styles, 0)  # type: ignore[arg-type]
            strips = Visual.to_strips(self, visual, width, 1, self.visual_style)
            strip = strips[0] if strips else Strip.blank(width)
            if len(self._drawn) >= _DRAWN_MAX:
                self._drawn.clear()
            self._drawn[drawn_for] = strip
        return strip

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self._label().cell_length

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            return self._label().crop_extend(0, width, self.visual_style.rich_style)
        return Strip.blank(width, self.visual_style.rich_style)


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
                            BarKey(
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
                        BarKey(
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
                yield BarKey(  # not bound to ``compact`` by Footer either
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
        if not self.update_now():
            await self.recompose()

    def _specs(self) -> list[Spec] | None:
        """The keys ``compose`` yields (before the palette's), or None when a binding group
        is shown (then the bar is recomposed)."""
        by_action: defaultdict[str, list[tuple[Binding, bool, str]]] = defaultdict(list)
        for _, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show:
                by_action[binding.action].append((binding, enabled, tooltip))
        specs: list[Spec] = []
        for group, grouped in groupby(by_action.values(), lambda multi: multi[0][0].group):
            multi_bindings = list(grouped)
            if group is not None and len(multi_bindings) > 1:
                return None
            for multi in multi_bindings:
                binding, enabled, tooltip = multi[0]
                display = self.app.get_key_display(binding)
                description, action = binding.description, binding.action
                specs.append((binding.key, display, description, action, not enabled, tooltip))
        return specs

    def update_now(self) -> bool:
        """Show the screen's current keys now, in place (nothing happens when they are the
        same). False when that cannot be done in place: the caller recomposes the bar."""
        if not self.is_attached or not self._bindings_ready:
            return True
        signature = self._signature()
        if signature == self._shown:
            return True
        specs = self._specs()
        palette = [c for c in self.children if c.has_class("-command-palette")]
        keys = [c for c in self.children if c not in palette and type(c) is BarKey]
        if specs is None or self._shown is None or len(keys) + len(palette) != len(self.children):
            return False  # the first time, or binding groups: compose
        self._shown = signature
        for key, spec in zip(keys, specs, strict=False):
            _relabel(key, spec)
            key.display = True
        if len(specs) > len(keys):
            new = [self._key(_new_key(spec)) for spec in specs[len(keys) :]]
            self.mount(*new, before=palette[0] if palette else None)
        for key in keys[len(specs) :]:
            key.display = False  # kept for the next longer set (a mount and a removal less)
        return True


def _new_key(spec: Spec) -> BarKey:
    key, display, description, action, disabled, tooltip = spec
    return BarKey(key, display, description, action, disabled=disabled, tooltip=tooltip)


def _relabel(widget: FooterKey, spec: Spec) -> None:
    key, display, description, action, disabled, tooltip = spec
    if (widget.key, widget.key_display, widget.description) != (key, display, description):
        widget.key, widget.key_display, widget.description = key, display, description
        widget.refresh(layout=True)
    widget.action = action
    if widget._disabled != disabled:
        widget._disabled = disabled  # what FooterKey.__init__ sets
        widget.set_class(disabled, "-disabled")
    widget.tooltip = tooltip or None
