#!/usr/bin/env python3
"""Turns one k6 run into a report: report.md (numbers against the plan's targets) and a
self-contained report.html (the same tables plus SVG charts of throughput and latency per
second). Standard library only, so it runs on a fresh machine without installing anything.

    loadtest/report.py DIR --scenario NAME [--audit ok|VIOLATED|skipped] [--k6-status N]
                           [--stack "1 api + 1 worker"] [--note TEXT]...

DIR holds what loadtest/run-k6.sh wrote: samples.csv.gz (k6 --out csv, timestamps in
milliseconds), summary.json (k6 --summary-export) and optionally audit.txt.
With --compare DIR1 DIR2 ... instead, it writes a comparison of finished runs (used for the
1+1 versus 2+2 scale-out run).
"""

import argparse
import csv
import gzip
import html
import json
import math
import os
import sys
from collections import defaultdict

# The plan's targets (seed) and ARCHITECTURE.md's, per scenario. Each row: what, how to
# read the measured value from the run, the goal, and how to compare.
TARGETS = {
    "event-detail": [
        ("event detail requests/s", ("rps", "event_detail"), 30000, ">=", "ARCHITECTURE.md"),
        ("event detail p99 ms", ("p99", "event_detail"), 10, "<", "ARCHITECTURE.md"),
        ("event detail requests/s (plan)", ("rps", "event_detail"), 500, ">=", "plan"),
        ("event detail mean ms (plan)", ("avg", "event_detail"), 100, "<", "plan"),
    ],
    "seat-map": [
        ("4,900-seat map requests/s", ("rps", "seat_map"), 3000, ">=", "ARCHITECTURE.md"),
        ("seat map requests/s (plan)", ("rps", "seat_map"), 300, ">=", "plan"),
        ("seat map mean ms (plan)", ("avg", "seat_map"), 200, "<", "plan"),
        ("seat map p95 ms (plan)", ("p95", "seat_map"), 500, "<", "plan"),
    ],
    "contention": [
        ("winners of the one seat", ("counter", "reservations_won"), 1, "==", "plan"),
        ("unexpected answers", ("counter", "reservations_unexpected"), 0, "==", "plan"),
        ("reserve mean ms (plan)", ("avg", "reserve"), 500, "<", "plan"),
    ],
    "throughput": [
        ("successful reservations/s", ("counter_rate", "reservations_ok"), 2000, ">=", "ARCHITECTURE.md"),
        ("reserve p99 ms", ("p99", "reserve"), 250, "<", "ARCHITECTURE.md"),
        ("reserve requests/s (plan)", ("rps", "reserve"), 100, ">=", "plan"),
        ("rejected reservations", ("counter", "reservations_rejected"), 0, "==", "test design"),
    ],
    "mixed": [
        ("requests/s overall", ("rps", None), 1000, ">=", "ARCHITECTURE.md"),
        ("requests/s overall (plan)", ("rps", None), 100, ">=", "plan"),
        ("mean ms (plan)", ("avg", None), 200, "<", "plan"),
        ("error rate % (plan)", ("error_pct", None), 1, "<", "plan"),
    ],
    "spike": [
        ("fans that could not join or poll", ("counter", "queue_errors"), 0, "==", "ARCHITECTURE.md"),
        ("unexpected reserve answers", ("counter", "reservations_unexpected"), 0, "==", "ARCHITECTURE.md"),
    ],
    "smoke": [
        ("winners of the contested seat", ("counter", "race_won"), 1, "==", "test design"),
        ("unexpected answers", ("counter", "reservations_unexpected"), 0, "==", "test design"),
    ],
}

COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    if lo == hi:
        return sorted_values[lo]
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


class Run:
    """Per-request samples of one k6 run, grouped by the request's `name` tag."""

    def __init__(self, directory):
        self.dir = directory
        self.durations = defaultdict(list)  # name -> [ms]
        self.per_second = defaultdict(lambda: defaultdict(int))  # name -> second -> requests
        self.latency_by_second = defaultdict(list)  # second -> [ms] (all requests)
        self.failed = defaultdict(int)  # name -> failed requests
        self.statuses = defaultdict(lambda: defaultdict(int))  # name -> status -> n
        self.created_per_second = defaultdict(int)  # second -> 201 answers of reserve
        self.tickets = []  # (ms, ticket) of queue_admitted_ticket samples
        self.first = None
        self.last = None
        self.first_ms = None
        self.last_ms = None
        self._read(os.path.join(directory, "samples.csv.gz"))
        with open(os.path.join(directory, "summary.json")) as f:
            self.summary = json.load(f)["metrics"]

    def _read(self, path):
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt", newline="") as f:
            for row in csv.DictReader(f):
                metric = row["metric_name"]
                if metric not in ("http_req_duration", "http_req_failed", "queue_admitted_ticket"):
                    continue
                ts = int(row["timestamp"])
                if metric == "queue_admitted_ticket":
                    self.tickets.append((ts, float(row["metric_value"])))
                    continue
                name = row.get("name") or "other"
                if name.startswith("http"):  # untagged requests are named by their URL
                    name = "other"
                if metric == "http_req_failed":
                    if row["metric_value"] not in ("0", "0.0", "0.000000"):
                        self.failed[name] += 1
                    continue
                ms = float(row["metric_value"])
                second = ts // 1000
                self.first = second if self.first is None else min(self.first, second)
                self.last = second if self.last is None else max(self.last, second)
                self.first_ms = ts if self.first_ms is None else min(self.first_ms, ts)
                self.last_ms = ts if self.last_ms is None else max(self.last_ms, ts)
                self.durations[name].append(ms)
                self.per_second[name][second] += 1
                self.latency_by_second[second].append(ms)
                status = row.get("status") or "0"
                self.statuses[name][status] += 1
                if name == "reserve" and status == "201":
                    self.created_per_second[second] += 1
        for values in self.durations.values():
            values.sort()

    @property
    def seconds(self):
        """Length of the measured window: first to last second with a request."""
        if self.first is None:
            return 0
        return self.last - self.first + 1

    def window(self):
        """Seconds from the first to the last request (at least one)."""
        if self.first_ms is None:
            return 1.0
        return max((self.last_ms - self.first_ms) / 1000.0, 1.0)

    def names(self):
        # Setup requests (seat maps loaded once) would distort the tables; a name needs a
        # steady share of the run to count.
        return sorted(self.durations, key=lambda n: -len(self.durations[n]))

    def stat(self, kind, name):
        if kind in ("counter", "counter_rate"):
            m = self.summary.get(name)
            if m is None:
                return 0.0
            return m.get("count", 0.0) if kind == "counter" else m.get("rate", 0.0)
        values = self._values(name)
        if not values:
            return float("nan")
        if kind == "rps":
            return len(values) / self.window()
        if kind == "avg":
            return sum(values) / len(values)
        if kind == "error_pct":
            failed = sum(self.failed.values()) if name is None else self.failed[name]
            return 100.0 * failed / len(values)
        q = {"p50": 0.5, "p95": 0.95, "p99": 0.99, "max": 1.0}[kind]
        return percentile(values, q)

    def _values(self, name):
        if name is not None:
            return self.durations.get(name, [])
        merged = []
        for v in self.durations.values():
            merged.extend(v)
        merged.sort()
        return merged

    def kendall_tau(self):
        """Rank correlation between ticket number and the moment admission was observed:
        1.0 is perfect arrival order; polling every few seconds blurs it a little."""
        pts = sorted(self.tickets)
        n = len(pts)
        if n < 2:
            return None
        concordant = discordant = 0
        for i in range(n):
            ti, ki = pts[i]
            for j in range(i + 1, n):
                tj, kj = pts[j]
                if ti == tj or ki == kj:
                    continue
                if (tj - ti) * (kj - ki) > 0:
                    concordant += 1
                else:
                    discordant += 1
        total = concordant + discordant
        return None if total == 0 else (concordant - discordant) / total


def fmt(v, digits=1):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:,.{digits}f}"


def meets(value, goal, op):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no data"
    ok = {">=": value >= goal, "<": value < goal, "==": value == goal}[op]
    return "met" if ok else "**missed**"


def route_table(run):
    rows = ["| request | count | req/s | mean ms | p50 ms | p95 ms | p99 ms | max ms | failed | statuses |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for name in run.names():
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(run.statuses[name].items()))
        rows.append(
            f"| {name} | {len(run.durations[name]):,} | {fmt(run.stat('rps', name))} | {fmt(run.stat('avg', name))} "
            f"| {fmt(run.stat('p50', name), 2)} | {fmt(run.stat('p95', name), 2)} | {fmt(run.stat('p99', name), 2)} "
            f"| {fmt(run.stat('max', name))} | {run.failed[name]:,} | {statuses} |")
    return rows


def target_table(run, scenario):
    rows = ["| target | measured | goal | source | verdict |", "|---|---:|---:|---|---|"]
    for label, (kind, name), goal, op, source in TARGETS.get(scenario, []):
        value = run.stat(kind, name)
        rows.append(f"| {label} | {fmt(value)} | {op} {goal:,} | {source} | {meets(value, goal, op)} |")
    return rows


def counters(run):
    rows = []
    for name, m in sorted(run.summary.items()):
        if m.get("type") == "counter" or ("count" in m and "rate" in m and "avg" not in m):
            if name in ("http_reqs", "iterations", "data_sent", "data_received"):
                continue
            rows.append(f"| {name} | {m.get('count', 0):,.0f} | {m.get('rate', 0):,.1f}/s |")
    if not rows:
        return []
    return ["| k6 counter | count | rate |", "|---|---:|---:|"] + rows


def trends(run):
    """The scenario's own timings (queue_wait, reserve_duration, ...), not k6's built-ins."""
    rows = []
    for name, m in sorted(run.summary.items()):
        if "med" not in m or name.startswith(("http_", "iteration_", "ws_", "group_")) or name == "queue_admitted_ticket":
            continue
        rows.append(f"| {name} | {m.get('count', 0):,.0f} | {fmt(m.get('avg'))} | {fmt(m.get('med'))} "
                    f"| {fmt(m.get('p(95)'))} | {fmt(m.get('p(99)'))} | {fmt(m.get('max'))} |")
    if not rows:
        return []
    return ["| k6 trend (ms) | count | mean | p50 | p95 | p99 | max |", "|---|---:|---:|---:|---:|---:|---:|"] + rows


def series(run):
    """Per-second series for the charts: x = seconds since the first request."""
    xs = list(range(run.seconds))
    thr = {"all": [sum(run.per_second[n].get(run.first + x, 0) for n in run.per_second) for x in xs]}
    for name in run.names()[:6]:
        thr[name] = [run.per_second[name].get(run.first + x, 0) for x in xs]
    if run.created_per_second:
        thr["reserved (201)"] = [run.created_per_second.get(run.first + x, 0) for x in xs]
    lat = {"p50": [], "p95": [], "p99": []}
    for x in xs:
        values = sorted(run.latency_by_second.get(run.first + x, []))
        for key, q in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99)):
            lat[key].append(percentile(values, q) if values else None)
    return xs, thr, lat


def svg_chart(title, unit, xs, lines, width=860, height=280):
    """A line chart as inline SVG: axes, a few ticks, one polyline per series, a legend."""
    left, right, top, bottom = 64, 150, 28, 36
    pw, ph = width - left - right, height - top - bottom
    values = [v for ys in lines.values() for v in ys if v is not None]
    ymax = max(values) if values else 1.0
    ymax = ymax * 1.1 if ymax > 0 else 1.0
    xmax = max(xs[-1], 1) if xs else 1
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
           f'<text x="{left}" y="16" font-size="13" font-weight="bold">{html.escape(title)}</text>',
           f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#999"/>']
    for i in range(5):
        y = top + ph - ph * i / 4
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + pw}" y2="{y:.1f}" stroke="#eee"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{fmt(ymax * i / 4)}</text>')
    for i in range(6):
        x = left + pw * i / 5
        out.append(f'<text x="{x:.1f}" y="{top + ph + 16}" text-anchor="middle">{xmax * i / 5:.0f}s</text>')
    out.append(f'<text x="{left - 50}" y="{top + ph / 2}" transform="rotate(-90 {left - 50} {top + ph / 2})" '
               f'text-anchor="middle">{html.escape(unit)}</text>')
    for i, (name, ys) in enumerate(lines.items()):
        color = COLORS[i % len(COLORS)]
        pts = []
        segments = []
        for x, y in zip(xs, ys):
            if y is None:
                if pts:
                    segments.append(pts)
                pts = []
                continue
            pts.append(f"{left + pw * x / xmax:.1f},{top + ph - ph * y / ymax:.1f}")
        if pts:
            segments.append(pts)
        for seg in segments:
            out.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.6" points="{" ".join(seg)}"/>')
        ly = top + 12 + i * 16
        out.append(f'<rect x="{left + pw + 12}" y="{ly - 8}" width="12" height="3" fill="{color}"/>')
        out.append(f'<text x="{left + pw + 30}" y="{ly - 4}">{html.escape(name)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def md_to_html_table(rows):
    """The Markdown tables above, as HTML (only the subset this script writes)."""
    if not rows:
        return ""
    cells = [[c.strip() for c in r.strip("|").split("|")] for r in rows]
    head, body = cells[0], cells[2:]
    out = ["<table><thead><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in head) + "</tr></thead><tbody>"]
    for r in body:
        out.append("<tr>" + "".join(
            f"<td>{'<b>' + html.escape(c.strip('*')) + '</b>' if c.startswith('**') else html.escape(c)}</td>"
            for c in r) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


CSS = """body{font-family:sans-serif;max-width:960px;margin:24px auto;color:#222}
table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}b{color:#b00}code{background:#f4f4f4;padding:1px 4px}"""


def write_report(args):
    run = Run(args.dir)
    scenario = args.scenario
    title = f"Load test: {scenario}"
    facts = [
        f"- when: {args.when}",
        f"- stack: {args.stack}",
        f"- machine: {os.cpu_count()} cores, load generator (k6) on the same machine as every service",
        f"- measured window: {run.window():.1f} s from the first to the last request; k6 exit status {args.k6_status}",
        f"- double-booking and invariant audit after the run (`tiketi-api audit`): **{args.audit}**",
    ]
    tau = run.kendall_tau() if run.tickets else None
    if run.tickets:
        facts.append(f"- fans admitted: {len(run.tickets):,}; admission order vs ticket order (Kendall tau, 1 = "
                     f"arrival order, blurred by the {args.poll}s poll): {fmt(tau, 3)}")
    facts += [f"- {n}" for n in args.note]
    targets = target_table(run, scenario)
    routes = route_table(run)
    ctr = counters(run) + ([""] if counters(run) and trends(run) else []) + trends(run)
    md = [f"# {title}", ""] + facts + [""]
    if len(targets) > 2:
        md += ["## Against the targets", ""] + targets + [""]
    md += ["## Requests", ""] + routes + [""]
    if ctr:
        md += ["## Outcomes", ""] + ctr + [""]
    md += ["Charts (requests/s and latency per second): `report.html` beside this file.",
           "Numbers from one 2-core machine shared with other work are noisy; compare runs, not single digits.", ""]
    with open(os.path.join(args.dir, "report.md"), "w") as f:
        f.write("\n".join(md))

    xs, thr, lat = series(run)
    charts = [svg_chart("Throughput over time", "requests/s", xs, thr),
              svg_chart("Latency over time (all requests)", "ms", xs, lat)]
    body = [f"<h1>{html.escape(title)}</h1>", "<ul>"]
    body += [f"<li>{html.escape(line[2:]).replace('**', '')}</li>" for line in facts]
    body.append("</ul>")
    if len(targets) > 2:
        body += ["<h2>Against the targets</h2>", md_to_html_table(targets)]
    body += ["<h2>Charts</h2>"] + charts
    body += ["<h2>Requests</h2>", md_to_html_table(routes)]
    if counters(run):
        body += ["<h2>Outcomes</h2>", md_to_html_table(counters(run))]
    if trends(run):
        body += ["<h2>Scenario timings</h2>", md_to_html_table(trends(run))]
    with open(os.path.join(args.dir, "report.html"), "w") as f:
        f.write(f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
                f"<style>{CSS}</style></head><body>{''.join(body)}</body></html>\n")
    print("\n".join(md))


def write_comparison(args):
    """Throughput of the same scenario on different stack sizes, one row per run."""
    rows = ["| stack | successful reservations/s | reserve req/s | reserve p50 ms | reserve p95 ms | reserve p99 ms | audit |",
            "|---|---:|---:|---:|---:|---:|---|"]
    runs = []
    for d in args.compare:
        run = Run(d)
        meta = json.load(open(os.path.join(d, "meta.json")))
        runs.append((meta, run))
        rows.append(f"| {meta['stack']} | {fmt(run.stat('counter_rate', 'reservations_ok'))} | {fmt(run.stat('rps', 'reserve'))} "
                    f"| {fmt(run.stat('p50', 'reserve'), 2)} | {fmt(run.stat('p95', 'reserve'), 2)} "
                    f"| {fmt(run.stat('p99', 'reserve'), 2)} | {meta['audit']} |")
    md = ["# Scale-out: reservation throughput by stack size", "",
          f"- when: {args.when}; {os.cpu_count()} cores shared by the load generator, every service and every replica",
          "- each run: `loadtest/k6/throughput.js` (distinct seats, every request should win) on a freshly restarted stack", ""] + rows
    if len(runs) >= 2:
        a = runs[0][1].stat("counter_rate", "reservations_ok")
        b = runs[-1][1].stat("counter_rate", "reservations_ok")
        if a > 0:
            md += ["", f"{runs[-1][0]['stack']} reserved {b / a:.2f}× as many seats per second as {runs[0][0]['stack']}."]
    md += ["", "On one 2-core machine more processes compete for the same cores, so this shows the overhead or gain of "
           "the extra hops (haproxy, more AMQP consumers) rather than what more machines would give.",
           "Per-run reports with charts: " + ", ".join(f"`{os.path.basename(d)}/report.html`" for d in args.compare), ""]
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "report.md"), "w") as f:
        f.write("\n".join(md))
    body = "".join(f"<p>{html.escape(l)}</p>" for l in md[2:4]) + md_to_html_table(rows)
    body += "".join(f"<p>{html.escape(l)}</p>" for l in md[len(rows) + 4:] if l)
    for meta, run in runs:
        xs, thr, _ = series(run)
        body += svg_chart(f"Throughput over time: {meta['stack']}", "requests/s", xs, thr)
    with open(os.path.join(args.out, "report.html"), "w") as f:
        f.write(f"<!doctype html><html><head><meta charset='utf-8'><title>Scale-out</title><style>{CSS}</style></head>"
                f"<body><h1>Scale-out: reservation throughput by stack size</h1>{body}</body></html>\n")
    print("\n".join(md))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("dir", nargs="?")
    p.add_argument("--scenario")
    p.add_argument("--audit", default="skipped")
    p.add_argument("--k6-status", default="0")
    p.add_argument("--stack", default="1 api + 1 worker")
    p.add_argument("--when", default="")
    p.add_argument("--poll", default="2")
    p.add_argument("--note", action="append", default=[])
    p.add_argument("--compare", nargs="+")
    p.add_argument("--out")
    args = p.parse_args()
    if args.compare:
        if not args.out:
            p.error("--compare needs --out")
        write_comparison(args)
    elif args.dir and args.scenario:
        write_report(args)
    else:
        p.error("give DIR --scenario NAME, or --compare DIR... --out DIR")


if __name__ == "__main__":
    sys.exit(main())
