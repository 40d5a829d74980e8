#!/usr/bin/env python3
"""Helpers of the `observability` test suite (scripts/stack.sh suite_observability).

  observability.py local-config --api HOST:PORT... --worker HOST:PORT... --sweeper HOST:PORT...
                                [--rabbitmq HOST:PORT] [--interval 2s]
      Prints grafana/prometheus/prometheus.yml with every job's targets replaced by local
      addresses (the file itself finds the containers of docker-compose.yml by DNS). Jobs,
      metrics paths and parameters stay as they are, so the test scrapes what Compose does.

  observability.py check-dashboard --prometheus URL [--dashboard FILE]
      Evaluates every query of every panel through Prometheus's HTTP API (/api/v1/query).
      A query that errors or returns no series fails. Grafana's variables are replaced
      ($__rate_interval by 1m, dashboard variables by their "All" value).

Needs PyYAML for local-config (the suite installs it when missing); check-dashboard uses
the standard library only.
"""

import argparse
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Metrics the waiting room (sweeper) exports (tiketi_queue_*). Named in the verdict so that a
# build without the waiting room says why its panels are empty.
WAITING_ROOM_METRICS = ("tiketi_queue_",)


def local_config(args):
    import yaml  # only this subcommand needs it

    with open(os.path.join(ROOT, "grafana", "prometheus", "prometheus.yml")) as f:
        config = yaml.safe_load(f)
    local = {
        "tiketi-api": args.api,
        "tiketi-worker": args.worker,
        "tiketi-sweeper": args.sweeper,
        "rabbitmq": args.rabbitmq,
        "rabbitmq-queues": args.rabbitmq,
    }
    config["global"]["scrape_interval"] = args.interval
    config["global"]["evaluation_interval"] = args.interval
    jobs = []
    for job in config["scrape_configs"]:
        name = job["job_name"]
        if name not in local:
            sys.exit(f"observability.py: job {name} of prometheus.yml has no local counterpart; add it here")
        targets = local[name] or []
        if not targets:
            print(f"observability.py: no local targets for job {name}; leaving it out", file=sys.stderr)
            continue
        job = {k: v for k, v in job.items() if not k.endswith("_sd_configs") and k != "static_configs"}
        job["static_configs"] = [{"targets": targets}]
        jobs.append(job)
    config["scrape_configs"] = jobs
    yaml.safe_dump(config, sys.stdout, sort_keys=False)


def panel_queries(dashboard):
    """(panel title, refId, expr) of every query, rows' nested panels included."""
    def walk(panels):
        for p in panels:
            if p.get("type") == "row":
                yield from walk(p.get("panels", []))
                continue
            for t in p.get("targets", []):
                if t.get("expr"):
                    yield p.get("title", "?"), t.get("refId", "?"), t["expr"]

    return list(walk(dashboard.get("panels", [])))


def substitute(expr, dashboard):
    expr = expr.replace("$__rate_interval", "1m").replace("$__interval", "15s")
    for var in dashboard.get("templating", {}).get("list", []):
        value = var.get("allValue") or ".*"
        expr = re.sub(r"\$\{?" + re.escape(var["name"]) + r"\}?", value, expr)
    return expr


def query(base, expr):
    url = f"{base.rstrip('/')}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    try:
        with urllib.request.urlopen(url, timeout=15) as r:
            body = json.load(r)
    except urllib.error.HTTPError as e:
        body = json.load(e)
    if body.get("status") != "success":
        return None, f"{body.get('errorType', 'error')}: {body.get('error', body)}"
    return body["data"]["result"], None


def check_dashboard(args):
    with open(args.dashboard) as f:
        dashboard = json.load(f)
    queries = panel_queries(dashboard)
    failed = []
    waiting_room = []
    for title, ref, expr in queries:
        concrete = substitute(expr, dashboard)
        result, error = query(args.prometheus, concrete)
        if error:
            verdict = f"ERROR {error}"
        elif not result:
            verdict = "NO SERIES"
        else:
            print(f"ok       {title} [{ref}]: {len(result)} series")
            continue
        if any(m in expr for m in WAITING_ROOM_METRICS):
            waiting_room.append(title)
            verdict += " (waiting-room metric: exported by the sweeper's waiting room)"
        print(f"FAILED   {title} [{ref}]: {verdict}\n         {concrete}")
        failed.append(title)
    print(f"\n{len(queries) - len(failed)} passed, {len(failed)} failed")
    if waiting_room:
        print("panels without data because no process exports the waiting-room metrics "
              f"(tiketi_queue_*): {', '.join(sorted(set(waiting_room)))}")
    return 1 if failed else 0


def venue_day(args):
    """Check-in traffic for the venue-day panels: a fan books and pays a seat, and an admin
    scans its ticket twice at gate A (admitted, then duplicate) and reads the numbers."""
    base = args.api.rstrip("/")

    def call(method, path, body=None, token=None, headers=None):
        req = urllib.request.Request(base + path, method=method,
                                     data=None if body is None else json.dumps(body).encode())
        req.add_header("content-type", "application/json")
        if token:
            req.add_header("authorization", f"Bearer {token}")
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=15) as r:
                return r.status, json.load(r)
        except urllib.error.HTTPError as e:
            return e.code, json.load(e)

    def login(email, password):
        status, body = call("POST", "/api/auth/login", {"email": email, "password": password})
        if status != 200:
            raise SystemExit(f"venue day: login {email}: {status} {body}")
        return body["token"]

    fan, admin = login(args.fan, args.fan_password), login(args.admin, args.admin_password)
    _, listing = call("GET", "/api/events?status=on_sale&limit=50")
    for event in listing["events"]:
        if event["seating"] != "reserved" or event["queue"]["enabled"]:
            continue
        _, seat_map = call("GET", f"/api/seats/events/{event['id']}")
        free = [s["id"] for s in seat_map.get("seats", []) if s["status"] == "available"]
        if not free:
            continue
        status, held = call("POST", "/api/seats/reserve", {"eventId": event["id"], "seatIds": free[-1:]}, fan)
        if status == 201:
            break
    else:
        raise SystemExit("venue day: no seat could be reserved on an on-sale event without a queue")
    reservation = held["reservation"]["id"]
    status, paid = call("POST", "/api/payments/process",
                        {"reservationId": reservation, "paymentMethod": "kakao_pay"}, fan)
    if status != 200:
        raise SystemExit(f"venue day: payment: {status} {paid}")
    _, tickets = call("GET", f"/api/reservations/{reservation}/tickets", token=fan)
    code = tickets["tickets"][0]["code"]
    results = []
    for _ in range(2):
        status, scan = call("POST", "/api/checkin/scan", {"eventId": event["id"], "code": code, "gate": "A"}, admin)
        results.append(scan.get("result") if status == 200 else f"{status} {scan}")
    status, _ = call("GET", f"/api/admin/events/{event['id']}/checkin", token=admin)
    print(f"venue day: event {event['id']}: scans {results}, numbers {status}")
    return 0 if results == ["admitted", "duplicate"] and status == 200 else 1


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("local-config")
    c.add_argument("--api", nargs="+", required=True)
    c.add_argument("--worker", nargs="+", required=True)
    c.add_argument("--sweeper", nargs="+", required=True)
    c.add_argument("--rabbitmq", nargs="*", default=[])
    c.add_argument("--interval", default="2s")
    d = sub.add_parser("check-dashboard")
    d.add_argument("--prometheus", required=True)
    d.add_argument("--dashboard", default=os.path.join(ROOT, "grafana", "dashboards", "tiketi-onsale.json"))
    v = sub.add_parser("venue-day")
    v.add_argument("--api", required=True)
    v.add_argument("--fan", default="test@tiketi.gg")
    v.add_argument("--fan-password", default="test1234")
    v.add_argument("--admin", default="admin@tiketi.gg")
    v.add_argument("--admin-password", default="admin123")
    args = p.parse_args()
    if args.cmd == "venue-day":
        return venue_day(args)
    if args.cmd == "local-config":
        local_config(args)
        return 0
    return check_dashboard(args)


if __name__ == "__main__":
    sys.exit(main())
