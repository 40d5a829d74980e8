-- wrk script: GET /api/events/<id> (event detail, the hottest read).
--
--   wrk -t2 -c64 -d15s -s loadtest/wrk/event_detail.lua \
--       http://127.0.0.1:3001/api/events/5eed0000-0000-4000-8000-000000000003
--
-- The URL on the command line chooses the event. No request()/response()
-- callbacks: wrk then builds the request once and stays fast; the summary
-- comes from done(). WRK_SCENARIO (environment) names the line it prints.

wrk.method = "GET"
wrk.headers["Accept"] = "application/json"

local function ms(us)
  return us / 1000.0
end

-- One line that loadtest/run-wrk.sh parses. errors.status counts responses
-- with a status >= 400 (wrk does not count 3xx); none are expected here.
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "SUMMARY scenario=%s requests=%d rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d errors=%d bytes_per_req=%.0f\n",
    os.getenv("WRK_SCENARIO") or "event-detail",
    summary.requests,
    summary.requests / seconds,
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)), ms(latency.max),
    e.status,
    e.connect + e.read + e.write + e.timeout,
    summary.requests > 0 and summary.bytes / summary.requests or 0))
end
