#!/usr/bin/env python3
"""Generates docs/openapi.json from the route list (callgate-mgmt --list-routes)
and gateway/src/config/Config.h. Run it after adding a route or a configuration
field, then review the diff; the committed JSON is what the server embeds and
what tests/integration/mgmt checks every answer against.

    callgate-mgmt --list-routes > routes.json
    python3 webui/server/tools/gen_openapi.py routes.json docs/openapi.json"""
import json, re, sys, collections

import os
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../.."))
routes = json.load(open(sys.argv[1]))
out_path = sys.argv[2]

# --- configuration objects from Config.h ---------------------------------
src = open(ROOT + "/gateway/src/config/Config.h").read()
structs = {}
for m in re.finditer(r"struct (\w+) \{(.*?)\n\};", src, re.S):
    name, body = m.group(1), m.group(2)
    fields = collections.OrderedDict()
    for line in body.split("\n"):
        f = re.match(r"\s*(std::string|uint32_t|int32_t|bool) (\w+)[ ;=]", line)
        if f and f.group(2) != "operator":
            comment = line.split("//", 1)[1].strip() if "//" in line else ""
            fields[f.group(2)] = (f.group(1), comment)
    structs[name] = fields

SECRET = {"password", "private_key_pem", "turn_password", "token_secret", "secret"}

def prop(ctype, comment, name):
    if ctype == "std::string":
        p = {"type": "string"}
    elif ctype == "uint32_t":
        p = {"type": "integer", "minimum": 0, "maximum": 4294967295}
    elif ctype == "int32_t":
        p = {"type": "integer", "minimum": -2147483648, "maximum": 2147483647}
    else:
        p = {"type": "boolean"}
    desc = comment
    if name in SECRET:
        desc = (desc + "; " if desc else "") + 'write-only: reads as "********" when set; sending "********" keeps it'
    if desc:
        p["description"] = desc
    return p

config_types = {
    "SystemSettings": "system", "SipSettings": "sip", "RegistrarSettings": "registrar",
    "TlsSettings": "tls", "MediaSettings": "media", "ManagementSettings": "management",
    "CallmeSettings": "callme",
    "Listener": "listeners", "Peer": "peers", "Route": "routes", "MediaInterface": "media_interfaces",
    "Button": "buttons", "Webhook": "webhooks",
}
schemas = collections.OrderedDict()
ref = lambda n: {"$ref": "#/components/schemas/" + n}

schemas["Error"] = {
    "type": "object", "required": ["error"], "additionalProperties": False,
    "description": "Every 4xx/5xx answer of /api/v1.",
    "properties": {"error": {
        "type": "object", "required": ["code", "message"], "additionalProperties": False,
        "properties": {
            "code": {"type": "string", "description": "machine-readable, e.g. validation_failed"},
            "message": {"type": "string"},
            "field": {"type": "string", "description": "the field at fault, when there is one"},
            "details": {"type": "array", "items": {
                "type": "object", "required": ["field", "message"], "additionalProperties": False,
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}}}}}}

for cname in config_types:
    fields = structs[cname]
    props = collections.OrderedDict((n, prop(t, c, n)) for n, (t, c) in fields.items())
    schemas[cname] = {"type": "object", "required": list(fields), "additionalProperties": False,
                      "properties": props}
    schemas[cname + "Input"] = {
        "type": "object", "additionalProperties": False,
        "description": "Fields of %s; absent ones keep their value (PATCH) or take the default (POST, PUT)." % cname,
        "properties": props}
    schemas[cname + "Change"] = {
        "type": "object", "required": ["applied", "revision", "item"], "additionalProperties": False,
        "properties": {"applied": {"type": "boolean", "description": "callgated took the change"},
                       "revision": {"type": "integer"},
                       "apply_error": {"type": "string", "description": "why callgated did not apply it (it is stored)"},
                       "item": ref(cname),
                       "restart_required": {"type": "boolean", "description": "management section: callgate-mgmt reads it at start"}}}
for cname in ("Listener", "Peer", "Route", "MediaInterface", "Button", "Webhook"):
    schemas[cname + "List"] = {"type": "object", "required": ["items"], "additionalProperties": False,
                               "properties": {"items": {"type": "array", "items": ref(cname)}}}
    schemas[cname + "Input"]["required"] = []
schemas["ChangeResult"] = {
    "type": "object", "required": ["applied", "revision"], "additionalProperties": False,
    "properties": {"applied": {"type": "boolean"}, "revision": {"type": "integer"},
                   "apply_error": {"type": "string"}}}
schemas["ConfigDocument"] = {
    "type": "object", "required": ["version"],
    "description": "The whole configuration as `callgatectl export` prints it (docs/config.md).",
    "properties": {"version": {"type": "integer"},
                   **{s: ref(c) for c, s in config_types.items() if c.endswith("Settings")},
                   **{s: {"type": "array", "items": ref(c)} for c, s in config_types.items() if not c.endswith("Settings")}}}
schemas["Login"] = {"type": "object", "required": ["user", "password"], "additionalProperties": False,
                    "properties": {"user": {"type": "string"}, "password": {"type": "string"}}}
schemas["Session"] = {
    "type": "object", "required": ["user", "role", "must_change_password", "auth"], "additionalProperties": False,
    "properties": {"user": {"type": "string"}, "role": {"type": "string", "enum": ["admin", "readonly", "callme"]},
                   "must_change_password": {"type": "boolean"},
                   "auth": {"type": "string", "enum": ["session", "api_key", "basic"]},
                   "csrf_token": {"type": "string", "description": "sessions: send as X-CSRF-Token on writes"},
                   "api_key": {"type": "string", "description": "API keys: the key's name"}}}
schemas["LoggedOut"] = {"type": "object", "required": ["logged_out"], "additionalProperties": False,
                        "properties": {"logged_out": {"type": "boolean"}}}
schemas["PasswordChange"] = {"type": "object", "required": ["current_password", "new_password"],
                             "additionalProperties": False,
                             "properties": {"current_password": {"type": "string"},
                                            "new_password": {"type": "string", "minLength": 10, "maxLength": 1024}}}
schemas["PasswordChanged"] = {"type": "object", "required": ["password_changed"], "additionalProperties": False,
                              "properties": {"password_changed": {"type": "boolean"}}}
role = {"type": "string", "enum": ["admin", "readonly"]}
key_role = {"type": "string", "enum": ["admin", "readonly", "callme"], "description": "callme: may only issue Call Me tokens (a shop backend's key)"}
schemas["User"] = {"type": "object", "required": ["name", "role", "must_change_password", "created_at"],
                   "additionalProperties": False,
                   "properties": {"name": {"type": "string"}, "role": role,
                                  "must_change_password": {"type": "boolean"}, "created_at": {"type": "string"}}}
schemas["UserList"] = {"type": "object", "required": ["items"], "additionalProperties": False,
                       "properties": {"items": {"type": "array", "items": ref("User")}}}
schemas["NewUser"] = {"type": "object", "required": ["name", "password"], "additionalProperties": False,
                      "properties": {"name": {"type": "string"}, "password": {"type": "string"}, "role": role,
                                     "must_change_password": {"type": "boolean"}}}
schemas["UserUpdate"] = {"type": "object", "additionalProperties": False,
                         "properties": {"password": {"type": "string"}, "role": role,
                                        "must_change_password": {"type": "boolean"}}}
schemas["UserItem"] = {"type": "object", "required": ["item"], "additionalProperties": False,
                       "properties": {"item": ref("User")}}
schemas["Deleted"] = {"type": "object", "required": ["deleted"], "additionalProperties": False,
                      "properties": {"deleted": {"type": "boolean"}}}
schemas["ApiKey"] = {"type": "object", "required": ["name", "owner", "role", "prefix", "created_at", "last_used_at"],
                     "additionalProperties": False,
                     "properties": {"name": {"type": "string"}, "owner": {"type": "string"}, "role": key_role,
                                    "prefix": {"type": "string"}, "created_at": {"type": "string"},
                                    "last_used_at": {"type": "string"}}}
schemas["ApiKeyList"] = {"type": "object", "required": ["items"], "additionalProperties": False,
                         "properties": {"items": {"type": "array", "items": ref("ApiKey")}}}
schemas["NewApiKey"] = {"type": "object", "required": ["name"], "additionalProperties": False,
                        "properties": {"name": {"type": "string"}, "role": key_role}}
schemas["CreatedApiKey"] = {"type": "object", "required": ["item", "key"], "additionalProperties": False,
                            "properties": {"item": ref("ApiKey"),
                                           "key": {"type": "string", "description": "shown once: cgk_ + 64 hex digits"}}}
schemas["Status"] = {"type": "object",
                     "required": ["name", "revision", "uptime_s", "calls", "registrations", "connections",
                                  "listeners", "counters"],
                     "description": "callgated's control method `status`; more members may follow.",
                     "properties": {"name": {"type": "string"}, "revision": {"type": "integer"},
                                    "uptime_s": {"type": "integer"}, "calls": {"type": "integer"},
                                    "registrations": {"type": "integer"}, "connections": {"type": "integer"},
                                    "listeners": {"type": "object", "additionalProperties": {"type": "string"}},
                                    "counters": {"type": "object", "additionalProperties": {"type": "number"}}}}
schemas["Statistics"] = {"type": "object", "required": ["revision", "uptime_s", "gauges", "groups"],
                         "additionalProperties": False,
                         "properties": {"revision": {"type": "integer"}, "uptime_s": {"type": "integer"},
                                        "gauges": {"type": "object", "required": ["calls", "registrations", "connections"],
                                                   "additionalProperties": False,
                                                   "properties": {k: {"type": "integer"} for k in ("calls", "registrations", "connections")}},
                                        "groups": {"type": "object",
                                                   "description": "counter \"sip.requests_in\" is groups.sip.requests_in",
                                                   "additionalProperties": {"type": "object", "additionalProperties": {"type": "number"}}}}}
schemas["Call"] = {"type": "object",
                   "required": ["id", "state", "from", "to", "route", "peer", "inbound_transport",
                                "outbound_transport", "age_s", "connected_s", "media"],
                   "description": "an entry of callgated's `calls.list`; more members may follow.",
                   "properties": {"id": {"type": "integer"}, "state": {"type": "string"}, "from": {"type": "string"},
                                  "to": {"type": "string"}, "route": {"type": "string"}, "peer": {"type": "string"},
                                  "inbound_transport": {"type": "string"}, "outbound_transport": {"type": "string"},
                                  "age_s": {"type": "number"}, "connected_s": {"type": "number"},
                                  "media": {"type": "string"}}}
schemas["CallList"] = {"type": "object", "required": ["items"], "additionalProperties": False,
                       "properties": {"items": {"type": "array", "items": ref("Call")}}}
schemas["HungUp"] = {"type": "object", "required": ["id", "hung_up"], "additionalProperties": False,
                     "properties": {"id": {"type": "integer"}, "hung_up": {"type": "boolean"}}}
schemas["Registration"] = {"type": "object", "required": ["user", "contact", "transport", "source", "expires_s", "user_agent"],
                           "properties": {"user": {"type": "string"}, "contact": {"type": "string"},
                                          "transport": {"type": "string"}, "source": {"type": "string"},
                                          "expires_s": {"type": "integer"}, "user_agent": {"type": "string"}}}
schemas["RegistrationList"] = {"type": "object", "required": ["items"], "additionalProperties": False,
                               "properties": {"items": {"type": "array", "items": ref("Registration")}}}
schemas["AuditEntry"] = {"type": "object", "required": ["id", "at", "actor", "address", "action", "object", "detail"],
                         "additionalProperties": False,
                         "properties": {"id": {"type": "integer"}, "at": {"type": "string"},
                                        "actor": {"type": "string", "description": "user, apikey:<name> or system"},
                                        "address": {"type": "string"},
                                        "action": {"type": "string", "description": "create, update, delete, restore, ..."},
                                        "object": {"type": "string"},
                                        "detail": {"description": "changed fields {from, to}, secrets masked",
                                                   "oneOf": [{"type": "object"}, {"type": "string"}]}}}
schemas["AuditList"] = {"type": "object", "required": ["items"], "additionalProperties": False,
                        "properties": {"items": {"type": "array", "items": ref("AuditEntry")}}}
schemas["Event"] = {"type": "object", "required": ["id", "at", "type", "actor", "address", "message"],
                    "additionalProperties": False,
                    "properties": {"id": {"type": "integer"}, "at": {"type": "string"},
                                   "type": {"type": "string", "enum": [
                                       "login", "login_failed", "config_applied", "config_not_applied",
                                       "config_refused", "daemon_reachable", "daemon_unreachable",
                                       "certificate_replaced", "call.offered", "call.answered", "call.ended",
                                       "call.refused", "webhook_failed", "webhook_dropped"]},
                                   "actor": {"type": "string"}, "address": {"type": "string"},
                                   "message": {"type": "string"},
                                   "data": {"type": "object", "description": "call events: the whole event as webhooks receive it (docs/callme.md)"}}}
schemas["CallmeTokenRequest"] = {
    "type": "object", "required": ["button"], "additionalProperties": False,
    "properties": {"button": {"type": "string", "description": "the button the token is for"},
                   "ttl_s": {"type": "integer", "minimum": 1, "description": "lifetime (default 300; at most callme.token_max_ttl_s)"},
                   "customer_id": {"type": "string", "maxLength": 256},
                   "order_id": {"type": "string", "maxLength": 256},
                   "data": {"type": "object", "maxProperties": 16, "additionalProperties": {"type": "string", "maxLength": 256},
                            "description": "keys [A-Za-z0-9-]{1,32}; delivered as <header_prefix>Data-<key>"}}}
schemas["CallmeToken"] = {
    "type": "object", "required": ["token", "button", "issued_at", "expires_at"], "additionalProperties": False,
    "properties": {"token": {"type": "string"}, "button": {"type": "string"},
                   "issued_at": {"type": "integer", "description": "Unix seconds"},
                   "expires_at": {"type": "integer", "description": "Unix seconds"}}}
schemas["EventList"] = {"type": "object", "required": ["items", "last_id"], "additionalProperties": False,
                        "properties": {"items": {"type": "array", "items": ref("Event")},
                                       "last_id": {"type": "integer", "description": "the newest event's id; pass as since to poll"}}}
schemas["Certificate"] = {"type": "object", "required": ["name", "configured"], "additionalProperties": False,
                          "properties": {"name": {"type": "string", "enum": ["management", "sip"]},
                                         "configured": {"type": "boolean"},
                                         "subject": {"type": "string"}, "issuer": {"type": "string"},
                                         "not_before": {"type": "string"}, "not_after": {"type": "string"},
                                         "sha256_fingerprint": {"type": "string"},
                                         "key_type": {"type": "string", "description": "\"RSA 2048\", \"EC P-256\", ..."},
                                         "subject_alt_names": {"type": "array", "items": {"type": "string"}},
                                         "chain_length": {"type": "integer"}}}
schemas["CertificateList"] = {"type": "object", "required": ["items"], "additionalProperties": False,
                              "properties": {"items": {"type": "array", "items": ref("Certificate")}}}
schemas["CertificateUpload"] = {"oneOf": [
    {"type": "object", "required": ["certificate_pem", "private_key_pem"], "additionalProperties": False,
     "properties": {"certificate_pem": {"type": "string", "description": "the certificate, then any chain certificates"},
                    "private_key_pem": {"type": "string", "description": "unencrypted"}}},
    {"type": "object", "required": ["pkcs12_base64"], "additionalProperties": False,
     "properties": {"pkcs12_base64": {"type": "string"}, "password": {"type": "string"}}}]}
schemas["CertificateChange"] = {"type": "object", "required": ["applied", "revision", "item"], "additionalProperties": False,
                                "properties": {"applied": {"type": "boolean"}, "revision": {"type": "integer"},
                                               "apply_error": {"type": "string"}, "item": ref("Certificate"),
                                               "tls_reloaded": {"type": "boolean", "description": "management: new HTTPS connections use it already"},
                                               "restart_required": {"type": "boolean"}}}
schemas["OpenApiDocument"] = {"type": "object", "required": ["openapi", "info", "paths", "components"]}

# --- operations ------------------------------------------------------------
ERR = {400: "bad request (invalid_json, invalid_body, invalid_field, unknown_field, missing_field, invalid_path, invalid_query)",
       401: "not authenticated", 403: "csrf_failed, password_change_required or forbidden",
       404: "no such object", 409: "conflict", 413: "body too large", 415: "not application/json",
       422: "validation_failed", 429: "too many failed attempts (Retry-After)",
       502: "callgated answered with an error", 503: "callgated is not running"}

def json_content(schema):
    return {"application/json": {"schema": schema}}

def op(summary, ok, ok_schema, errors, body=None, params=(), tag=None, opid=None, ok_desc="OK"):
    o = {"summary": summary, "operationId": opid, "tags": [tag]}
    if params:
        o["parameters"] = list(params)
    if body is not None:
        o["requestBody"] = {"required": True, "content": json_content(body)}
    o["responses"] = {str(ok): {"description": ok_desc, "content": json_content(ok_schema)}}
    for e in sorted(errors):
        o["responses"][str(e)] = {"description": ERR[e], "content": json_content(ref("Error"))}
    return o

name_param = {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
id_param = {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[0-9]{1,19}$"},
            "description": "call id (digits)"}
cert_param = {"name": "name", "in": "path", "required": True, "schema": {"type": "string", "enum": ["management", "sip"]}}
def qint(name, desc, lo, hi):
    return {"name": name, "in": "query", "required": False, "description": desc,
            "schema": {"type": "integer", "minimum": lo, "maximum": hi}}

R = [400, 401, 403]          # every guarded route
W = R + [413, 415]           # with a body
ops = {}
def add(method, path, o):
    ops[(method, path)] = o

B = "/api/v1"
add("POST", B + "/session", op("log in", 200, ref("Session"), [400, 401, 413, 415, 429], ref("Login"), tag="session", opid="login"))
add("GET", B + "/session", op("who am I", 200, ref("Session"), R, tag="session", opid="whoami"))
add("DELETE", B + "/session", op("log out", 200, ref("LoggedOut"), R, tag="session", opid="logout"))
add("POST", B + "/session/password", op("change your own password", 200, ref("PasswordChanged"), W + [422, 429], ref("PasswordChange"), tag="session", opid="changePassword"))
for cname, coll in (("Listener", "listeners"), ("Peer", "peers"), ("Route", "routes"), ("MediaInterface", "media_interfaces"), ("Button", "buttons"), ("Webhook", "webhooks")):
    t = coll
    cap = "".join(w.capitalize() for w in coll.split("_"))
    one = cap[:-1]
    add("GET", B + "/" + coll, op("list " + coll, 200, ref(cname + "List"), R, tag=t, opid="list" + cap))
    add("POST", B + "/" + coll, op("create", 201, ref(cname + "Change"), W + [409, 422], ref(cname + "Input"), tag=t, opid="create" + one, ok_desc="Created"))
    add("GET", B + "/" + coll + "/{name}", op("read one", 200, ref(cname), R + [404], params=[name_param], tag=t, opid="get" + one))
    add("PUT", B + "/" + coll + "/{name}", op("replace (absent fields take defaults; write-only fields keep theirs)", 200, ref(cname + "Change"), W + [404, 422], ref(cname + "Input"), params=[name_param], tag=t, opid="replace" + one))
    add("PATCH", B + "/" + coll + "/{name}", op("change the fields given", 200, ref(cname + "Change"), W + [404, 422], ref(cname + "Input"), params=[name_param], tag=t, opid="update" + one))
    add("DELETE", B + "/" + coll + "/{name}", op("remove (422 while something refers to it)", 200, ref("ChangeResult"), R + [404, 422], params=[name_param], tag=t, opid="delete" + one))
for cname, section in config_types.items():
    if not cname.endswith("Settings"):
        continue
    p = B + "/settings/" + section
    cap = section.capitalize()
    add("GET", p, op("read the %s settings" % section, 200, ref(cname), R, tag="settings", opid="get%sSettings" % cap))
    add("PUT", p, op("replace the %s settings (absent fields take defaults)" % section, 200, ref(cname + "Change"), W + [422], ref(cname + "Input"), tag="settings", opid="replace%sSettings" % cap))
    add("PATCH", p, op("change fields of the %s settings" % section, 200, ref(cname + "Change"), W + [422], ref(cname + "Input"), tag="settings", opid="update%sSettings" % cap))
add("GET", B + "/backup", op("the whole configuration (with secrets)", 200, ref("ConfigDocument"), R, tag="backup", opid="backup"))
add("POST", B + "/restore", op("replace the whole configuration with a backup", 200, ref("ChangeResult"), W + [422], ref("ConfigDocument"), tag="backup", opid="restore"))
add("GET", B + "/users", op("list users", 200, ref("UserList"), R, tag="users", opid="listUsers"))
add("POST", B + "/users", op("create a user", 201, ref("UserItem"), W + [409, 422], ref("NewUser"), tag="users", opid="createUser", ok_desc="Created"))
add("GET", B + "/users/{name}", op("read a user", 200, ref("User"), R + [404], params=[name_param], tag="users", opid="getUser"))
add("PATCH", B + "/users/{name}", op("change a user's role, password or must_change_password", 200, ref("UserItem"), W + [404, 409, 422], ref("UserUpdate"), params=[name_param], tag="users", opid="updateUser"))
add("DELETE", B + "/users/{name}", op("remove a user and their API keys", 200, ref("Deleted"), R + [404, 409], params=[name_param], tag="users", opid="deleteUser"))
add("GET", B + "/api_keys", op("list API keys (never the keys)", 200, ref("ApiKeyList"), R, tag="api_keys", opid="listApiKeys"))
add("POST", B + "/api_keys", op("create an API key; the key is shown once", 201, ref("CreatedApiKey"), W + [409, 422], ref("NewApiKey"), tag="api_keys", opid="createApiKey", ok_desc="Created"))
add("DELETE", B + "/api_keys/{name}", op("revoke an API key", 200, ref("Deleted"), R + [404], params=[name_param], tag="api_keys", opid="deleteApiKey"))
D = R + [502, 503]
add("GET", B + "/status", op("callgated status and counters", 200, ref("Status"), D, tag="daemon", opid="status"))
add("GET", B + "/statistics", op("callgated counters grouped by subsystem", 200, ref("Statistics"), D, tag="daemon", opid="statistics"))
add("GET", B + "/calls", op("calls in progress", 200, ref("CallList"), D, tag="daemon", opid="listCalls"))
add("GET", B + "/calls/{id}", op("one call in progress", 200, ref("Call"), D + [404], params=[id_param], tag="daemon", opid="getCall"))
add("DELETE", B + "/calls/{id}", op("hang up a call", 200, ref("HungUp"), D + [404], params=[id_param], tag="daemon", opid="hangupCall"))
add("GET", B + "/registrations", op("registered users", 200, ref("RegistrationList"), D, tag="daemon", opid="listRegistrations"))
add("GET", B + "/audit", op("who changed what, newest first", 200, ref("AuditList"), R,
                            params=[qint("limit", "at most this many (default 100)", 1, 1000), qint("before", "entries with a smaller id (paging)", 0, 4611686018427387903)],
                            tag="audit", opid="audit"))
add("GET", B + "/events", op("recent events of callgate-mgmt, oldest first (in memory, bounded)", 200, ref("EventList"), R,
                             params=[qint("since", "events with a larger id (default 0: all kept)", 0, 4611686018427387903), qint("limit", "at most the newest this many (default 100)", 1, 1000)],
                             tag="events", opid="events"))
add("GET", B + "/certificates", op("the TLS certificates", 200, ref("CertificateList"), R, tag="certificates", opid="listCertificates"))
add("GET", B + "/certificates/{name}", op("describe a TLS certificate", 200, ref("Certificate"), R + [404], params=[cert_param], tag="certificates", opid="getCertificate"))
add("PUT", B + "/certificates/{name}", op("replace a TLS certificate (PEM pair or PKCS#12)", 200, ref("CertificateChange"), W + [404, 422], ref("CertificateUpload"), params=[cert_param], tag="certificates", opid="putCertificate"))
add("POST", B + "/callme/tokens", op("issue a Call Me token for a button and the customer's context (admin, or an API key with the callme role)", 201, ref("CallmeToken"), W + [404, 422], ref("CallmeTokenRequest"), tag="callme", opid="issueCallmeToken", ok_desc="Created"))
add("GET", B + "/openapi.json", op("this document", 200, ref("OpenApiDocument"), [400], tag="meta", opid="openapi"))
rpc = {"summary": "XML-RPC: the same operations (system.listMethods lists them)", "operationId": "xmlrpc", "tags": ["xmlrpc"],
       "description": "Every answer is 200 text/xml: a methodResponse or a fault (docs/api.md lists fault codes). Authentication per call: API key (Bearer) or HTTP Basic.",
       "requestBody": {"required": True, "content": {"text/xml": {"schema": {"type": "string"}}}},
       "responses": {"200": {"description": "methodResponse or fault", "content": {"text/xml": {"schema": {"type": "string"}}}}}}
for e in (400, 413, 415):
    rpc["responses"][str(e)] = {"description": ERR[e] if e != 415 else "not text/xml", "content": json_content(ref("Error"))}
add("POST", "/RPC2", rpc)

# --- assemble, in route-table order ----------------------------------------
paths = collections.OrderedDict()
seen = set()
for r in routes:
    key = (r["method"], r["path"])
    if key not in ops:
        sys.exit("no operation for %s %s" % key)
    o = ops[key]
    seen.add(key)
    access = r["access"]
    o["x-callgate-access"] = access
    if access == "public":
        o["security"] = []
    elif r["path"] == "/RPC2":
        pass
    elif r["method"] == "GET":
        o["security"] = [{"sessionCookie": []}, {"apiKey": []}]
    else:
        o["security"] = [{"sessionCookie": [], "csrfToken": []}, {"apiKey": []}]
    if r["path"] == "/RPC2":
        o["security"] = [{"apiKey": []}, {"basic": []}]
    paths.setdefault(r["path"], collections.OrderedDict())[r["method"].lower()] = o
missing = set(ops) - seen
if missing:
    sys.exit("operations without a route: %r" % missing)

doc = collections.OrderedDict()
doc["openapi"] = "3.0.3"
doc["info"] = {"title": "Callgate management API", "version": "1",
               "description": "callgate-mgmt: the REST API of a Callgate node (docs/api.md). "
                              "Errors have one shape (Error). Writes with a session cookie need the X-CSRF-Token header."}
doc["servers"] = [{"url": "https://127.0.0.1:8443"}]
doc["security"] = [{"sessionCookie": []}, {"apiKey": []}]
doc["paths"] = paths
doc["components"] = {
    "securitySchemes": {
        "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "cg_session", "description": "from POST /api/v1/session"},
        "csrfToken": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token", "description": "the session's csrf_token; required on POST, PUT, PATCH, DELETE with the cookie"},
        "apiKey": {"type": "http", "scheme": "bearer", "description": "Authorization: Bearer cgk_..."},
        "basic": {"type": "http", "scheme": "basic", "description": "XML-RPC only: user name and password"}},
    "schemas": schemas}
with open(out_path, "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")
print("wrote %s: %d paths, %d operations, %d schemas" % (out_path, len(paths), len(seen), len(schemas)))
