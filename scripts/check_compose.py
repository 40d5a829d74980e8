#!/usr/bin/env python3
"""Checks docker-compose.yml without a Docker engine (make test TEST_SUITES=compose).

1. The file, interpolated as Compose does (${VAR}, ${VAR:-default}, ${VAR-default}, $$)
   with an empty environment and the values cast back to numbers/booleans where a whole
   value was a variable, validates against the Compose Specification's JSON schema.
   The schema is vendored as scripts/compose-spec.schema.json: it is the
   compose/config/compose_spec.json that the docker-compose 1.29.2 package on PyPI ships
   (the compose-spec project's schema, draft 2019-09), unchanged.
2. Every variable a binary reads (found in its crate's sources and core/, the way
   core/tests/env_example.rs finds them) is set in the environment of its services:
   api, worker, sweeper, and migrate (`tiketi-api migrate`, shared settings only).
3. Every variable set for those services is one of .env.example's, so the scripts and
   Compose speak the same names.
4. Stack hygiene: every long-running service has a health check and sits on the one
   network; named volumes are declared; files mounted or built from exist; Prometheus and
   Grafana are provisioned from grafana/.

Needs PyYAML and jsonschema (the suite installs them when missing).
"""

import os
import re
import sys

import jsonschema
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMPOSE = os.path.join(ROOT, "docker-compose.yml")
SCHEMA = os.path.join(ROOT, "scripts", "compose-spec.schema.json")

# Which crate's variables each binary reads (core/ is read by all of them). RUST_LOG is read
# by tracing's EnvFilter rather than by our config code.
# `tiketi-api migrate` / `seed` (the migrate service) read the shared settings only.
BINARIES = {"tiketi-api": "api", "tiketi-worker": "worker", "tiketi-sweeper": "sweeper", "tiketi-api migrate": None}
SERVICE_BINARY = {"api": "tiketi-api", "migrate": "tiketi-api migrate", "worker": "tiketi-worker", "sweeper": "tiketi-sweeper"}
ALWAYS_READ = {"RUST_LOG"}
# Variables Compose refuses to start without (no known default secret), with stand-ins.
REQUIRED_FROM_OPERATOR = {
    "JWT_SECRET": "compose-check-stand-in-secret",
    "TICKET_SIGNING_SECRET": "compose-check-stand-in-ticket-secret",
}
CONFIG_CALL = re.compile(r'\b(?:var_or|required|optional|ranged)(?:::<[^>]*>)?\(\s*"([A-Z][A-Z0-9_]*)"')
VARIABLE = re.compile(r"\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")


def variables_read(crate):
    found = set()
    for folder in ("core/src",) + ((f"{crate}/src",) if crate else ()):
        for root, _, files in os.walk(os.path.join(ROOT, folder)):
            for name in files:
                if name.endswith(".rs"):
                    with open(os.path.join(root, name)) as f:
                        found.update(CONFIG_CALL.findall(f.read()))
    return {v for v in found if not v.startswith("TIKETI_CONFIG_TEST")} | ALWAYS_READ


def documented_variables():
    names = set()
    with open(os.path.join(ROOT, ".env.example")) as f:
        for line in f:
            m = re.match(r"^([A-Z][A-Z0-9_]*)=", line)
            if m:
                names.add(m.group(1))
    return names


class Interpolation(Exception):
    pass


def interpolate(value, env):
    """One string, as Compose interpolates it; returns (result, whole_value_was_variable)."""
    def sub(m):
        if m.group(0) == "$$":
            return "$"
        name = m.group(1) or m.group(4)
        op, arg = m.group(2), m.group(3)
        current = env.get(name)
        if op == ":-":
            return current if current else arg
        if op == "-":
            return current if current is not None else arg
        if op in (":?", "?"):
            if not current:
                raise Interpolation(f"${{{name}}} is required: {arg}")
            return current
        return current or ""

    whole = bool(re.fullmatch(r"\$\{[^}]+\}|\$[A-Za-z_][A-Za-z0-9_]*", value))
    return VARIABLE.sub(sub, value), whole


def cast(text):
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    if re.fullmatch(r"-?[0-9]+\.[0-9]+", text):
        return float(text)
    return {"true": True, "false": False}.get(text.lower(), text)


def resolve(node, env):
    if isinstance(node, dict):
        return {k: resolve(v, env) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(v, env) for v in node]
    if isinstance(node, str):
        text, whole = interpolate(node, env)
        # Compose casts interpolated values to the type its schema wants.
        return cast(text) if whole else text
    return node


def environment_of(service):
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return env


def main():
    problems = []
    with open(COMPOSE) as f:
        raw = yaml.safe_load(f)
    with open(SCHEMA) as f:
        schema = yaml.safe_load(f)

    # 1. schema, after interpolation as `docker compose config` would do it, with the
    # variables an operator must provide set (and refused when they are not)
    try:
        resolve(raw, {})
        problems.append("interpolation: JWT_SECRET must be required (${JWT_SECRET:?...})")
    except Interpolation as e:
        if "JWT_SECRET" not in str(e):
            problems.append(f"interpolation: {e}")
    try:
        doc = resolve(raw, REQUIRED_FROM_OPERATOR)
    except Interpolation as e:
        doc = None
        problems.append(f"interpolation: {e}")
    if doc is not None:
        validator = jsonschema.Draft201909Validator(schema)
        for error in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
            where = "/".join(str(p) for p in error.absolute_path) or "(top)"
            problems.append(f"schema: {where}: {error.message}")
    services = raw.get("services", {})

    # 2. every variable each binary reads is set for its services
    documented = documented_variables()
    read = {binary: variables_read(crate) for binary, crate in BINARIES.items()}
    for name, binary in SERVICE_BINARY.items():
        if name not in services:
            problems.append(f"service {name} ({binary}) is missing")
            continue
        env = environment_of(services[name])
        missing = sorted(read[binary] - set(env))
        if missing:
            problems.append(f"service {name} ({binary}) does not set {', '.join(missing)}")
        # 3. the same names as the scripts
        unknown = sorted(set(env) - documented)
        if unknown:
            problems.append(f"service {name} sets {', '.join(unknown)}, which .env.example does not document")
    for binary, names in read.items():
        undocumented = sorted(names - documented)
        if undocumented:
            problems.append(f"{binary} reads {', '.join(undocumented)}, which .env.example does not document")

    # 4. hygiene
    declared_volumes = set((raw.get("volumes") or {}).keys())
    networks = set((raw.get("networks") or {}).keys())
    if len(networks) != 1:
        problems.append(f"expected exactly one network, found {sorted(networks)}")
    for name, svc in services.items():
        one_shot = svc.get("restart") == "no"
        if not one_shot and "healthcheck" not in svc:
            problems.append(f"service {name} has no healthcheck")
        if set(svc.get("networks") or []) != networks:
            problems.append(f"service {name} is not on the network {sorted(networks)}")
        for vol in svc.get("volumes") or []:
            source = vol.split(":", 1)[0] if isinstance(vol, str) else vol.get("source", "")
            if source.startswith((".", "/")):
                if not os.path.exists(os.path.join(ROOT, source)):
                    problems.append(f"service {name} mounts {source}, which does not exist")
            elif source not in declared_volumes:
                problems.append(f"service {name} uses volume {source}, which is not declared")
        build = svc.get("build")
        if build:
            context = build if isinstance(build, str) else build.get("context", ".")
            dockerfile = os.path.join(ROOT, context, (build.get("dockerfile") if isinstance(build, dict) else None) or "Dockerfile")
            if not os.path.exists(dockerfile):
                problems.append(f"service {name} builds from {dockerfile}, which does not exist")
            else:
                target = build.get("target") if isinstance(build, dict) else None
                with open(dockerfile) as f:
                    stages = re.findall(r"(?im)^FROM\s+\S+\s+AS\s+(\S+)", f.read())
                if target and target not in stages:
                    problems.append(f"service {name} builds target {target}; {dockerfile} has {stages}")
                if len(stages) < 2:
                    problems.append(f"{dockerfile} is not a multi-stage build")
    for name in ("postgres", "dragonfly", "rabbitmq", "api", "worker", "sweeper", "prometheus", "grafana"):
        if name not in services:
            problems.append(f"service {name} is missing")
    mounts = " ".join(str(v) for s in services.values() for v in (s.get("volumes") or []))
    for needed in ("./grafana/prometheus/prometheus.yml", "./grafana/provisioning", "./grafana/dashboards"):
        if needed not in mounts:
            problems.append(f"nothing mounts {needed}")
    if "postgres:15" not in str(services.get("postgres", {}).get("image", "")):
        problems.append("postgres must be PostgreSQL 15")

    for p in problems:
        print(f"compose: {p}")
    checked = len(services)
    print(f"docker-compose.yml: {checked} services, schema {os.path.basename(SCHEMA)}: "
          + ("ok" if not problems else f"{len(problems)} problem(s)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
