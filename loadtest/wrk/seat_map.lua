-- wrk script: GET /api/seats/events/<id> (seat map snapshot), asking for a
-- compressed answer as a browser does: the stadium map is large, and whether
-- the server serves it pre-compressed is much of what this measures.
--
--   wrk -t2 -c64 -d15s -s loadtest/wrk/seat_map.lua \
--       http://127.0.0.1:3001/api/seats/events/5eed0000-0000-4000-8000-000000000003
--
-- No request()/response() callbacks (wrk builds the request once); the
-- summary comes from done(). WRK_SCENARIO (environment) names its line.

wrk.method = "GET"
wrk.headers["Accept"] = "application/json"
wrk.headers["Accept-Encoding"] = "gzip, br"

local function ms(us)
  return us / 1000.0
end

-- One line that loadtest/run-wrk.sh parses. errors.status counts responses
-- with a status >= 400 (wrk does not count 3xx); none are expected here.
-- bytes_per_req shows whether compression happened.
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "SUMMARY scenario=%s requests=%d rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d errors=%d bytes_per_req=%.0f\n",
    os.getenv("WRK_SCENARIO") or "seat-map",
    summary.requests,
    summary.requests / seconds,
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)), ms(latency.max),
    e.status,
    e.connect + e.read + e.write + e.timeout,
    summary.requests > 0 and summary.bytes / summary.requests or 0))
end
