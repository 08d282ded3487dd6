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
