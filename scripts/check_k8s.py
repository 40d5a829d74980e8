#!/usr/bin/env python3
"""Checks deploy/k8s offline (make test TEST_SUITES=k8s): no cluster needed.

1. `kubectl kustomize` renders the base and every overlay.
2. Every rendered object validates against the Kubernetes 1.30 schemas in strict mode
   (unknown fields are errors), with the kubernetes-validate package.
3. The shape docs/deploy.md promises: the api Deployment probes /api/health (readiness and
   liveness) and has an HPA on CPU and a PodDisruptionBudget; the worker is a StatefulSet
   whose pod index becomes WORKER_INDEX and whose WORKER_COUNT equals its replicas; the
   sweeper runs 2 replicas; a Job runs `tiketi-api migrate`; every workload takes config
   from a ConfigMap and secrets from the Secret `tiketi-secrets`, which is never rendered
   (no secret values in the repository); every ConfigMap key is a variable of .env.example;
   selectors of Services, HPA and PDBs reach a workload.

Needs PyYAML and kubernetes-validate (the suite installs them).
"""

import os
import re
import subprocess
import sys

import kubernetes_validate
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
K8S = os.path.join(ROOT, "deploy", "k8s")
KUBERNETES_VERSION = "1.30.0"
TARGETS = ["base", "overlays/dev", "overlays/production"]
WORKLOADS = {"Deployment", "StatefulSet", "Job"}


def render(target):
    out = subprocess.run(
        ["kubectl", "kustomize", os.path.join(K8S, target)],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise SystemExit(f"{target}: kubectl kustomize failed:\n{out.stderr}")
    return [d for d in yaml.safe_load_all(out.stdout) if d]


def documented_variables():
    with open(os.path.join(ROOT, ".env.example")) as f:
        return {m.group(1) for m in (re.match(r"^([A-Z][A-Z0-9_]*)=", l) for l in f) if m}


def pod_spec(obj):
    return obj["spec"]["template"]["spec"]


def env_of(container):
    return {e["name"]: e for e in container.get("env", [])}


def check(target, docs, errors):
    def fail(msg):
        errors.append(f"{target}: {msg}")

    for doc in docs:
        name = f'{doc["kind"]}/{doc["metadata"]["name"]}'
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as e:
            fail(f"{name} is invalid for Kubernetes {KUBERNETES_VERSION}: {e.message} at {list(e.path)}")
        except (kubernetes_validate.SchemaNotFoundError, kubernetes_validate.InvalidSchemaError) as e:
            fail(f"{name}: no Kubernetes {KUBERNETES_VERSION} schema: {e}")

    by_kind = {}
    for doc in docs:
        by_kind.setdefault(doc["kind"], {})[doc["metadata"]["name"]] = doc
    if "Secret" in by_kind:
        fail("renders a Secret: secret values must not be in the repository")

    variables = documented_variables()
    config_maps = {}
    for name, cm in by_kind.get("ConfigMap", {}).items():
        config_maps[name] = cm
        for key in cm.get("data", {}):
            if key not in variables:
                fail(f"ConfigMap {name} sets {key}, which .env.example does not document")

    workloads = [d for d in docs if d["kind"] in WORKLOADS]
    for w in workloads:
        name = f'{w["kind"]}/{w["metadata"]["name"]}'
        for c in pod_spec(w)["containers"]:
            refs = c.get("envFrom", [])
            cms = [r["configMapRef"]["name"] for r in refs if "configMapRef" in r]
            secrets = [r["secretRef"]["name"] for r in refs if "secretRef" in r]
            if secrets != ["tiketi-secrets"]:
                fail(f"{name} must take its secrets from the Secret tiketi-secrets")
            if not cms:
                fail(f"{name} takes no ConfigMap")
            for cm in cms:
                if cm not in config_maps:
                    fail(f"{name} refers to ConfigMap {cm}, which is not rendered")
            for var in env_of(c):
                if var not in variables:
                    fail(f"{name} sets {var}, which .env.example does not document")

    api = by_kind.get("Deployment", {}).get("tiketi-api")
    if not api:
        fail("no Deployment tiketi-api")
    else:
        c = pod_spec(api)["containers"][0]
        for probe in ("readinessProbe", "livenessProbe"):
            if c.get(probe, {}).get("httpGet", {}).get("path") != "/api/health":
                fail(f"the api's {probe} is not GET /api/health")
    hpa = by_kind.get("HorizontalPodAutoscaler", {}).get("tiketi-api")
    if not hpa or hpa["spec"]["scaleTargetRef"] != {"apiVersion": "apps/v1", "kind": "Deployment", "name": "tiketi-api"}:
        fail("no HPA scaling Deployment tiketi-api")
    elif not any(m.get("resource", {}).get("name") == "cpu" for m in hpa["spec"]["metrics"]):
        fail("the api's HPA does not scale on CPU")

    worker = by_kind.get("StatefulSet", {}).get("tiketi-worker")
    if not worker:
        fail("no StatefulSet tiketi-worker")
    else:
        env = env_of(pod_spec(worker)["containers"][0])
        index = env.get("WORKER_INDEX", {}).get("valueFrom", {}).get("fieldRef", {}).get("fieldPath")
        if index != "metadata.labels['apps.kubernetes.io/pod-index']":
            fail("WORKER_INDEX does not come from the pod index")
        count = env.get("WORKER_COUNT", {}).get("value")
        if count != str(worker["spec"].get("replicas", 1)):
            fail(f"WORKER_COUNT={count} but the StatefulSet has {worker['spec'].get('replicas', 1)} replicas")
        if worker["spec"]["serviceName"] not in by_kind.get("Service", {}):
            fail("the worker StatefulSet's serviceName is not a rendered Service")

    sweeper = by_kind.get("Deployment", {}).get("tiketi-sweeper")
    if not sweeper or sweeper["spec"].get("replicas") != 2:
        fail("the sweeper must be a Deployment with 2 replicas (leader + standby)")

    jobs = by_kind.get("Job", {})
    if not any("tiketi-api migrate" in " ".join(c.get("command", []) + c.get("args", []))
               for j in jobs.values() for c in pod_spec(j)["containers"]):
        fail("no Job runs tiketi-api migrate")

    def selects_workload(selector):
        for w in workloads:
            labels = w["spec"]["template"]["metadata"].get("labels", {})
            if all(labels.get(k) == v for k, v in selector.items()):
                return True
        return False

    for kind, path in (("Service", ("spec", "selector")), ("PodDisruptionBudget", ("spec", "selector", "matchLabels"))):
        for name, obj in by_kind.get(kind, {}).items():
            selector = obj
            for p in path:
                selector = selector.get(p, {})
            if not selector or not selects_workload(selector):
                fail(f"{kind}/{name} selects no workload")
    if "PodDisruptionBudget" not in by_kind or "tiketi-api" not in by_kind["PodDisruptionBudget"]:
        fail("no PodDisruptionBudget for the api")


def main():
    errors = []
    for target in TARGETS:
        docs = render(target)
        check(target, docs, errors)
        kinds = sorted({d["kind"] for d in docs})
        print(f"deploy/k8s/{target}: {len(docs)} objects ({', '.join(kinds)}), Kubernetes {KUBERNETES_VERSION} schemas: "
              + ("ok" if not any(e.startswith(f"{target}:") for e in errors) else "FAILED"))
    for e in errors:
        print(f"  {e}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
