"""The pack's JSON Schema, made from the models; docs/transfer-pack.schema.json is its copy.

Regenerate the copy after changing a model: `python -m lom_bot.services.transfer_pack.schema
> docs/transfer-pack.schema.json` (a test fails while they differ)."""

from __future__ import annotations

import json
from typing import Any

from pydantic.json_schema import models_json_schema

from lom_bot.services.transfer_pack import model as m

SCHEMA_ID = "https://lom-bot.example/schemas/transfer-pack-v1.schema.json"


def pack_schema() -> dict[str, Any]:
    """The manifest's schema at the top; each content file's under $defs by its model name."""
    models: list[tuple[type[m.Strict], Any]] = [(m.Manifest, "validation")]
    models += [(model, "validation") for model, _ in m.CONTENT.values()]
    _, defs = models_json_schema(models, ref_template="#/$defs/{model}")
    definitions = defs["$defs"]
    manifest = definitions.pop("Manifest")
    files = {path: f"#/$defs/{model.__name__}" for path, (model, _) in m.CONTENT.items()}
    # the model takes any number so that another version is refused with its own message
    manifest["properties"]["schema_version"] = {"const": m.SCHEMA_VERSION, "type": "integer"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **manifest,
        "title": f"lom-bot transfer pack, version {m.SCHEMA_VERSION}: manifest.json",
        "description": (
            "The top level validates manifest.json. Each JSON file in the pack validates "
            "against the $defs entry named in x-files. See docs/transfer-pack.md."
        ),
        "x-files": files,
        "$defs": definitions,
    }


def file_schema(path: str) -> dict[str, Any]:
    """A schema for one content file (e.g. orders.json), sharing the pack schema's $defs."""
    schema = pack_schema()
    return {"$defs": schema["$defs"], "$ref": schema["x-files"][path]}


if __name__ == "__main__":
    print(json.dumps(pack_schema(), indent=2, sort_keys=False))
