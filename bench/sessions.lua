-- wrk script for `python -m bench load`: every wrk thread is one logged-in user on one
-- connection. The argument after `--` names a file with one line per thread, either
--   "<path> <cookie header>": GET requests of that path, or
--   "autosave <path> <revision> <CSRF token> <cookie header>": autosaves of one answer, back and
--   forth between 1 and 3, each sending the revision the previous one returned (a conflict's
--   too), as the questionnaire's script does.
-- Any status but 200 counts as an error. done() prints one JSON line with requests/s, median and
-- p95 latency and the errors.
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
  local line = lines[(number - 1) % #lines + 1]
  failed = 0
  if line:match("^autosave ") then
    path, revision, token, cookie = line:match("^autosave (%S+) (%d+) (%S+) (.+)$")
    value = "1"
  else
    local get_path, get_cookie = line:match("^(%S+) (.+)$")
    prepared = wrk.format("GET", get_path, { ["Cookie"] = get_cookie, ["Host"] = "127.0.0.1" })
  end
end

function request()
  if prepared then
    return prepared
  end
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
  if not prepared then
    revision = body:match('"revision":%s*(%d+)') or revision
  end
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
