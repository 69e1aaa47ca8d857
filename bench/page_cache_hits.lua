-- wrk script: counts the responses the page cache served (header X-Page-Cache: hit), over all threads,
-- and prints "page-cache-hits <hits> of <responses>" for bench/load.py to parse.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  hits = 0
  counted = 0
end

function response(status, headers, body)
  counted = counted + 1
  local value = headers["X-Page-Cache"] or headers["x-page-cache"]
  if value == "hit" then
    hits = hits + 1
  end
end

function done(summary, latency, requests)
  local all_hits, all_counted = 0, 0
  for _, thread in ipairs(threads) do
    all_hits = all_hits + thread:get("hits")
    all_counted = all_counted + thread:get("counted")
  end
  io.write(string.format("page-cache-hits %d of %d\n", all_hits, all_counted))
end
