"""Presets: named lab settings a lesson runs, and the lab-settings reader exercises share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lessons.catalog.fields import Checker, describe, label
from lessons.catalog.files import Doc
from lessons.lab.config import (
    COMPARE_AXES,
    METRICS,
    PRESET_KINDS,
    NetConfig,
    RNNConfig,
    TrainConfig,
    allowed_settings,
    config_from_settings,
)
from lessons.pack import Preset
from lessons.sanitize import visible
from lessons.toml_lines import PathPart

DEFAULT_PRESET_FILES = ("presets.toml",)
_PRESET_KEYS = ("id", "title", "kind", "look_for", "metric", "compare")


@dataclass
class PresetIndex:
    """The presets of a pack: the valid ones, and the id of every preset table."""

    found: dict[str, Preset] = field(default_factory=dict)
    declared: set[str] = field(default_factory=set)
    """Ids of every preset table, valid or not, so a bad preset is reported only once."""

    def named(
        self, check: Checker, doc: Doc, where: tuple[PathPart, ...], field: str, value: Any
    ) -> str | None:
        """The valid preset `value` names; None (reported unless the table was bad) if none."""
        if not isinstance(value, str) or value not in self.declared:
            check.error_in(doc, where, field, f"no preset has the id {describe(value)}")
            return None
        return value if value in self.found else None


def load_presets(check: Checker, manifest: Doc) -> PresetIndex:
    """Every preset in the files the manifest lists (presets.toml if it lists none)."""
    index = PresetIndex()
    for doc in check.listed_files(manifest, "preset_files", list(DEFAULT_PRESET_FILES)):
        check.unknown_keys(doc, doc.data, (), "", ("preset",))
        for i, table in check.tables(doc, doc.data, (), "preset", "preset"):
            preset = _preset(check, index, doc, i, table)
            if preset is not None:
                index.found[preset.id] = preset
    return index


def _preset(
    check: Checker, index: PresetIndex, doc: Doc, position: int, table: dict[str, Any]
) -> Preset | None:
    path: tuple[PathPart, ...] = ("preset", position)
    name = label("preset", table, position)
    pid = check.ident(doc, table, path, f"{name}.id", index.declared, "preset")
    title = check.text(doc, table, path, "title", f"{name}.title")
    look_for = check.text(doc, table, path, "look_for", f"{name}.look_for")
    kind = table.get("kind")
    if not check.choice(kind, PRESET_KINDS, doc, (*path, "kind"), f"{name}.kind"):
        return None
    metric = table.get("metric", "weight")
    ok = check.choice(metric, METRICS, doc, (*path, "metric"), f"{name}.metric")
    compare = table.get("compare")
    if compare is not None and kind != "profile":
        ok = False
        check.error_in(doc, (*path, "compare"), f"{name}.compare", "only profile presets compare")
    elif compare is not None:
        ok = check.choice(compare, COMPARE_AXES, doc, (*path, "compare"), f"{name}.compare") and ok
    settings = {k: v for k, v in table.items() if k not in _PRESET_KEYS}
    config = lab_config(check, doc, path, name, kind, settings, _PRESET_KEYS)
    if pid is None or title is None or look_for is None or config is None or not ok:
        return None
    return Preset(pid, title, kind, look_for, config, metric, compare)


def lab_config(
    check: Checker,
    doc: Doc,
    path: tuple[PathPart, ...],
    label: str,
    kind: str,
    settings: dict[str, Any],
    other_keys: tuple[str, ...] = (),
    owner: str = "preset",
) -> NetConfig | TrainConfig | RNNConfig | None:
    """The lab config from `settings` (found at `path`), reporting each bad one; None if any.

    `other_keys` are the owner's own keys, listed with the settings when one is unknown.
    """
    allowed = allowed_settings(kind)
    ok = True
    for key, value in settings.items():
        field = f"{label}.{visible(key)}"
        if key not in allowed:
            ok = False
            check.error_in(
                doc,
                (*path, key),
                field,
                f"unknown setting for a {kind} {owner}; allowed: {', '.join(other_keys + allowed)}",
            )
            continue
        try:
            config_from_settings(kind, {key: value})
        except (ValueError, TypeError) as exc:
            ok = False
            message = str(exc).removeprefix(f"{key}: ")
            if "Exceeds the limit" in message:
                message = "must be a reasonable number; got a very large number"
            check.error_in(doc, (*path, key), field, message)
    if not ok:
        return None
    try:
        return config_from_settings(kind, settings)
    except (ValueError, TypeError) as exc:
        check.error_in(doc, path, label, str(exc))
        return None
