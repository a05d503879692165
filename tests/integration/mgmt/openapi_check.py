"""Holds callgate-mgmt's answers to docs/openapi.json: every response's status
must be documented for its operation and its body must match the schema for
that status; every request that succeeded must match the request schema.
Needs python3-jsonschema."""

import json
import os
import re

import jsonschema

DOC_PATH = os.path.join(os.path.dirname(__file__), "..", "..", "..", "docs", "openapi.json")


def load_document():
    with open(DOC_PATH, "rb") as f:
        raw = f.read()
    return raw, json.loads(raw)


def resolve(schema, doc, depth=0):
    """The schema with every local $ref replaced by its target (ours has no cycles)."""
    if depth > 50:
        raise ValueError("$ref nesting too deep")
    if isinstance(schema, dict):
        if "$ref" in schema:
            target = doc
            for part in schema["$ref"].lstrip("#/").split("/"):
                target = target[part]
            return resolve(target, doc, depth + 1)
        return {k: resolve(v, doc, depth + 1) for k, v in schema.items()}
    if isinstance(schema, list):
        return [resolve(v, doc, depth + 1) for v in schema]
    return schema


class Checker:
    """Matches requests to the document's operations and validates both ends."""

    def __init__(self, doc):
        self.doc = doc
        self.operations = []  # (METHOD, regex, template, operation)
        for template, item in doc["paths"].items():
            regex = "^" + re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(template)) + "$"
            for method, op in item.items():
                self.operations.append((method.upper(), re.compile(regex), template, op))
        self.seen = {}  # (METHOD, template) -> set of statuses
        self.problems = []

    def find(self, method, path):
        path = path.split("?", 1)[0]
        for m, regex, template, op in self.operations:
            if m == method and regex.match(path):
                return template, op
        return None, None

    def validate(self, instance, schema, what):
        try:
            jsonschema.Draft7Validator(resolve(schema, self.doc)).validate(instance)
        except jsonschema.ValidationError as e:
            self.problems.append("%s: %s at %s" % (what, e.message, "/".join(map(str, e.path))))

    def check(self, method, path, request_body, content_type, reply):
        template, op = self.find(method, path)
        what = "%s %s → %d" % (method, path, reply.status)
        if op is None:
            self.problems.append("%s: no such operation in the document" % what)
            return
        self.seen.setdefault((method, template), set()).add(reply.status)
        response = op["responses"].get(str(reply.status))
        if response is None:
            self.problems.append("%s: status not documented (has %s)" % (what, sorted(op["responses"])))
            return
        media = next(iter(response.get("content", {})), None)
        got_type = reply.headers.get("content-type", "").split(";")[0].strip()
        if media is None:
            if reply.body:
                self.problems.append("%s: undocumented body" % what)
            return
        if got_type != media:
            self.problems.append("%s: content type %r, documented %r" % (what, got_type, media))
            return
        schema = response["content"][media]["schema"]
        if media == "application/json":
            if reply.json is None:
                self.problems.append("%s: body is not JSON: %r" % (what, reply.body[:200]))
                return
            self.validate(reply.json, schema, what + " response")
        # A request the server accepted must be one the document allows.
        if 200 <= reply.status < 300 and "requestBody" in op and request_body is not None:
            req_media = next(iter(op["requestBody"]["content"]))
            if content_type != req_media:
                self.problems.append("%s: sent %r, documented %r" % (what, content_type, req_media))
            elif req_media == "application/json":
                self.validate(json.loads(request_body), op["requestBody"]["content"][req_media]["schema"],
                              what + " request")
