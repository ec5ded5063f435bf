-- wrk script for benchmarks/server.py: closed-loop GETs over a file of paths, with a token.
--   wrk -c 50 -t 2 -d 20s -s benchmarks/wrk_paths.lua http://127.0.0.1:PORT -- PATHS TOKEN
-- Every connection is one client with no think time; each thread starts at its own place in
-- the paths so that the threads do not ask for the same page at the same moment. Prints one
-- line of JSON with the counts and the latency percentiles (microseconds).

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local paths = {}
local position = 0

function init(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  position = (id * 7919) % #paths
  wrk.headers["Authorization"] = "Token " .. args[2]
  wrk.headers["Accept"] = "application/json"
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "status_errors": %d, "connect_errors": %d, ' ..
    '"read_errors": %d, "write_errors": %d, "timeouts": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
