"""OpenAPI import speed: a 10 MB specification with 1,200 operations (goal ≤ 10 s to import),
as YAML and as JSON: reading, translating (in one process) and `hookbench import openapi` as a
whole process that writes every profile.

Prints figures; asserts nothing. Run: .venv/bin/python benchmarks/import_bench.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import HOOKBENCH, bytecode_env  # noqa: E402

from tui.core.bulk import gc_paused  # noqa: E402
from tui.core.importers.openapi import import_openapi, load_document  # noqa: E402

RESOURCES = 300  # × 4 operations
TARGET_BYTES = 10 * 1000 * 1000


def make_spec(resources: int, fields: int) -> dict[str, Any]:
    """A vendor-style spec: each resource with a big schema, list/create/get/delete operations."""
    schemas: dict[str, Any] = {}
    paths: dict[str, Any] = {}
    for index in range(resources):
        name = f"Resource{index}"
        properties = {
            f"field_{n}": {
                "type": ["string", "integer", "boolean"][n % 3],
                "description": "x" * 60,
                "example": None,
            }
            for n in range(fields)
        }
        for value in properties.values():
            value.pop("example")
        properties["parent"] = {"$ref": f"#/components/schemas/{name}"}  # recursive
        schemas[name] = {
            "type": "object",
            "required": [f"field_{n}" for n in range(0, fields, 2)],
            "properties": properties,
        }
        tag = f"group{index % 40}"
        ref = {"$ref": f"#/components/schemas/{name}"}
        paths[f"/resources{index}"] = {
            "get": {
                "operationId": f"list{name}",
                "tags": [tag],
                "parameters": [
                    {"name": "limit", "in": "query", "required": True, "schema": {"type": "integer"}}
                ],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": ref}}}},
            },
            "post": {
                "operationId": f"create{name}",
                "tags": [tag],
                "requestBody": {"content": {"application/json": {"schema": ref}}},
                "responses": {"201": {"description": "created"}},
            },
        }
        paths[f"/resources{index}/{{id}}"] = {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {"operationId": f"get{name}", "tags": [tag], "responses": {"200": {"description": "ok"}}},
            "delete": {
                "operationId": f"delete{name}",
                "tags": [tag],
                "responses": {"204": {"description": "gone"}},
            },
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Big API", "version": "1"},
        "servers": [{"url": "https://api.example.com", "description": "production"}],
        "security": [{"key": []}],
        "components": {
            "schemas": schemas,
            "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
        },
        "paths": paths,
    }


def sized_spec() -> dict[str, Any]:
    fields = 20
    while True:
        spec = make_spec(RESOURCES, fields)
        if len(json.dumps(spec)) >= TARGET_BYTES:
            return spec
        fields += 5


def main() -> None:
    import yaml

    spec = sized_spec()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        as_json = base / "big.json"
        as_json.write_text(json.dumps(spec, indent=1))
        as_yaml = base / "big.yaml"
        as_yaml.write_text(
            yaml.dump(spec, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False)
        )
        operations = sum(len([k for k in item if k != "parameters"]) for item in spec["paths"].values())
        print(
            f"specification: {operations} operations; JSON {as_json.stat().st_size / 1e6:.1f} MB, "
            f"YAML {as_yaml.stat().st_size / 1e6:.1f} MB (libyaml: {yaml.__with_libyaml__})"
        )
        for path in (as_json, as_yaml):
            data = path.read_bytes()
            start = time.perf_counter()
            with gc_paused():  # as import_openapi reads it
                load_document(data, path.name)
            parsed = time.perf_counter() - start
            start = time.perf_counter()
            result = import_openapi(data, source=path.name)
            total = time.perf_counter() - start
            print(
                f"  {path.suffix[1:]:4}  read {parsed:5.2f} s   read + translate {total:5.2f} s   "
                f"({len(result.imported.profiles)} profiles)"
            )
            out = base / f"out-{path.suffix[1:]}"
            start = time.perf_counter()
            done = subprocess.run(
                [*HOOKBENCH, "import", "openapi", str(path), "-o", str(out)],
                capture_output=True,
                text=True,
                env=bytecode_env(),
            )
            whole = time.perf_counter() - start
            written = sum(1 for _ in out.rglob("*.toml"))
            print(
                f"        hookbench import openapi (whole process, writing {written} files): {whole:5.2f} s "
                f"(exit {done.returncode}; goal ≤ 10 s)"
            )


if __name__ == "__main__":
    main()
