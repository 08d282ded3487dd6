"""OpenAPI additions for the few endpoints that are plain Django views (kept out of DRF for speed)."""

from __future__ import annotations

from typing import Any


def add_plain_views(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    result.setdefault("paths", {})["/api/branding/"] = {
        "get": {
            "operationId": "branding_retrieve",
            "summary": "Public branding of the current host",
            "tags": ["branding"],
            "security": [{}],
            "responses": {
                "200": {
                    "description": "Branding document",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Branding"}}},
                }
            },
        }
    }
    result["paths"]["/api/learning/lessons/{lesson_id}/progress/"] = {
        "put": {
            "operationId": "learning_progress_heartbeat",
            "summary": "Playback heartbeat (every few seconds while a video plays)",
            "tags": ["learning"],
            "security": [{"bearerJWT": []}],
            "parameters": [{"name": "lesson_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["position_seconds", "watched_seconds"],
                            "properties": {
                                "position_seconds": {"type": "number", "minimum": 0},
                                "watched_seconds": {"type": "number", "minimum": 0},
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "Stored progress",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "position_seconds": {"type": "number"},
                                    "watched_seconds": {"type": "number"},
                                    "completed": {"type": "boolean"},
                                    "course_progress_percent": {"type": "integer"},
                                },
                            }
                        }
                    },
                },
                "400": {"description": "implausible_progress / validation_error"},
                "401": {"description": "not authenticated"},
                "403": {"description": "not enrolled"},
                "404": {"description": "no such lesson on this host"},
            },
        }
    }
    result.setdefault("components", {}).setdefault("schemas", {})["Branding"] = {
        "type": "object",
        "required": ["display_name", "primary_color", "accent_color", "tenant"],
        "properties": {
            "display_name": {"type": "string"},
            "logo_url": {"type": "string", "nullable": True},
            "favicon_url": {"type": "string", "nullable": True},
            "primary_color": {"type": "string", "pattern": "^#[0-9A-Fa-f]{6}$"},
            "accent_color": {"type": "string", "pattern": "^#[0-9A-Fa-f]{6}$"},
            "support_email": {"type": "string", "format": "email", "nullable": True},
            "metrika_id": {"type": "string", "nullable": True},
            "tenant": {
                "type": "object",
                "properties": {"slug": {"type": "string"}, "kind": {"type": "string"}, "name": {"type": "string"}},
            },
        },
    }
    return result


def _last_parameter(path: str) -> str | None:
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return last[1:-1] if last.startswith("{") and last.endswith("}") else None


def name_colliding_operations(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Readable operationIds where drf-spectacular derives the same one for a collection and its
    item (plain APIViews give both `GET` a `_retrieve` id): the collection's `GET` becomes `_list`,
    and an item's other methods get `_by_<parameter>`. Without this the generator appends numbers
    (`_2`) and warns, and the warning fails `manage.py check --deploy`."""
    seen: dict[str, list[tuple[str, str]]] = {}
    for path, methods in result.get("paths", {}).items():
        for method, operation in methods.items():
            if isinstance(operation, dict) and "operationId" in operation:
                seen.setdefault(operation["operationId"], []).append((path, method))
    for operation_id, places in seen.items():
        if len(places) < 2:
            continue
        for path, method in places:
            operation = result["paths"][path][method]
            parameter = _last_parameter(path)
            if parameter is None and method == "get" and operation_id.endswith("_retrieve"):
                operation["operationId"] = operation_id.removesuffix("_retrieve") + "_list"
            elif parameter is not None and not (method == "get" and operation_id.endswith("_retrieve")):
                operation["operationId"] = f"{operation_id}_by_{parameter}"
    return result
