"""Make the generated OpenAPI document follow the Dutch REST API Design Rules (Logius):
every 2xx/3xx response declares the API-Version header, every operation can answer with a
problem+json error (RFC 9457)."""

from __future__ import annotations

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "Problem details (RFC 9457).",
    "properties": {
        "type": {"type": "string", "format": "uri", "example": "about:blank"},
        "title": {"type": "string", "example": "Not Found"},
        "status": {"type": "integer", "example": 404},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "invalidParams": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "reason": {"type": "string"}},
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}
VERSION_HEADER = {
    "description": "The full version number of the API.",
    "schema": {"type": "string", "example": "1.0.0"},
}
ERRORS = {
    "400": "Bad request: invalid input or parameters.",
    "401": "Not logged in.",
    "403": "Logged in, but not allowed to do this.",
    "404": "Not found, or not visible to the caller.",
    "429": (
        "Too many requests: the caller went over a rate limit (portal.api_throttling). "
        "Retry-After says after how many seconds to try again."
    ),
}
RETRY_AFTER_HEADER = {
    "description": "Seconds to wait before trying again.",
    "schema": {"type": "integer", "example": 30},
}
# An operation that reads a body also refuses one it cannot parse (a broken multipart body,
# an unknown content type).
BODY_ERRORS = {"415": "Unsupported media type: the body cannot be read."}


def postprocess(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    headers = result["components"].setdefault("headers", {})
    headers["API-Version"] = VERSION_HEADER
    headers["Retry-After"] = RETRY_AFTER_HEADER
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, response in responses.items():
                if code[0] in "23":
                    response.setdefault("headers", {})["API-Version"] = {
                        "$ref": "#/components/headers/API-Version"
                    }
                elif code[0] in "45":
                    response["content"] = problem
            errors = ERRORS | (BODY_ERRORS if "requestBody" in operation else {})
            for code, description in errors.items():
                responses.setdefault(code, {"description": description, "content": problem})
            responses["429"]["headers"] = {
                "Retry-After": {"$ref": "#/components/headers/Retry-After"}
            }
    return result
