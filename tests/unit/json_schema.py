"""A small JSON Schema validator for the subset tui/schemas uses (draft 2020-12 keywords:
type, const, enum, properties, required, additionalProperties, items, oneOf, minimum,
$ref to #/$defs). It returns every violation with its JSON path, so a test failure
says where an output breaks its schema."""

from __future__ import annotations

from typing import Any

_TYPES: dict[str, Any] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
}
KNOWN = {
    "$schema",
    "$id",
    "$defs",
    "$ref",
    "title",
    "description",
    "type",
    "const",
    "enum",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "oneOf",
    "minimum",
}


def violations(
    value: Any, schema: dict[str, Any], root: dict[str, Any] | None = None, path: str = "$"
) -> list[str]:
    """Every way `value` breaks `schema`, as "path: what"; empty when it conforms."""
    root = schema if root is None else root
    unknown = set(schema) - KNOWN
    if unknown:
        raise ValueError(f"{path}: schema keyword(s) this validator does not know: {unknown}")
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return violations(value, root["$defs"][name], root, path)
    found: list[str] = []
    types = schema.get("type")
    if types is not None:
        names = [types] if isinstance(types, str) else types
        if not any(_TYPES[name](value) for name in names):
            return [f"{path}: expected {' or '.join(names)}, got {value!r:.60}"]
    if "const" in schema and value != schema["const"]:
        found.append(f"{path}: expected {schema['const']!r}, got {value!r:.60}")
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{path}: expected one of {schema['enum']}, got {value!r:.60}")
    if "minimum" in schema and _TYPES["number"](value) and value < schema["minimum"]:
        found.append(f"{path}: below the minimum {schema['minimum']}")
    if "oneOf" in schema:
        matching = [s for s in schema["oneOf"] if not violations(value, s, root, path)]
        if len(matching) != 1:
            found.append(f"{path}: matches {len(matching)} of the oneOf schemas, not 1")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        found += [
            f"{path}: missing {key!r}" for key in schema.get("required", ()) if key not in value
        ]
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            where = f"{path}.{key}"
            if key in properties:
                found += violations(item, properties[key], root, where)
            elif extra is False:
                found.append(f"{where}: not allowed")
            elif isinstance(extra, dict):
                found += violations(item, extra, root, where)
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += violations(item, schema["items"], root, f"{path}[{index}]")
    return found
