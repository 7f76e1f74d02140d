-- wrk script for the autosave load of `python -m bench load`: every wrk thread is one
-- logged-in user on one connection, autosaving one answer back and forth (1, 3, 1, ...) and
-- sending each time the revision the previous save returned, as the questionnaire's script
-- does. The argument after `--` names a file with one
-- "<autosave path> <revision> <CSRF token> <cookie header>" line per thread. Any status but 200
-- counts as an error. done() prints one JSON line like sessions.lua.
local threads = {}
local count = 0

function setup(thread)
  count = count + 1
  thread:set("number", count)
  table.insert(threads, thread)
end

function init(args)
  local lines = {}
  for line in io.lines(args[1]) do
    table.insert(lines, line)
  end
  path, revision, token, cookie = lines[(number - 1) % #lines + 1]:match(
    "^(%S+) (%d+) (%S+) (.+)$")
  value = "1"
  failed = 0
end

function request()
  value = value == "1" and "3" or "1"
  return wrk.format("POST", path, {
    ["Cookie"] = cookie,
    ["Host"] = "127.0.0.1",
    ["X-CSRFToken"] = token,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "value=" .. value .. "&revision=" .. revision)
end

function response(status, headers, body)
  if status ~= 200 then
    failed = failed + 1
  end
  -- A conflict (409) carries the stored revision too: the next save goes on from there.
  revision = body:match('"revision":%s*(%d+)') or revision
end

function done(summary, latency, requests)
  local failures = 0
  for _, thread in ipairs(threads) do
    failures = failures + thread:get("failed")
  end
  local broken = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "median_ms": %.2f, "p95_ms": %.2f, "errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, failures + broken))
end
