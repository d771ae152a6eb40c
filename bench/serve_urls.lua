-- wrk script of bench/serve.sh: cycles through a file of request targets,
-- one per line, each thread starting at its own place, and prints one JSON
-- line of figures when the run ends (bench/serve_report.py reads it).
--
--   wrk ... -s serve_urls.lua URL -- FILE [PREFIX] [ACCEPT]
--
-- FILE    one target per line: a path (/page/ID) or, with PREFIX, what goes
--         after PREFIX and "?" (query=...), for endpoints at other paths
-- ACCEPT  the Accept header (default text/html)
--
-- Counted per thread: answers outside 200-299 (wrk itself counts only
-- status >= 400 as errors), and answers with an X-SQL-State header: what
-- Virtuoso sends with the partial result of a query cut at its time limit. Latency percentiles are wrk's, over every
-- completed request.

local threads = {}
local counter = 0

function setup(thread)
    thread:set("id", counter)
    counter = counter + 1
    table.insert(threads, thread)
end

function init(args)
    local file = args[1]
    local prefix = args[2] or ""
    local accept = args[3] or "text/html"
    targets = {}
    for line in io.lines(file) do
        if line ~= "" then
            if prefix ~= "" then
                table.insert(targets, prefix .. "?" .. line)
            else
                table.insert(targets, line)
            end
        end
    end
    if #targets == 0 then
        error("no request targets in " .. file)
    end
    headers = { ["Accept"] = accept }
    -- Threads start apart, so that they do not ask for the same thing at once.
    position = (id * 7919) % #targets
    non2xx = 0
    partial = 0
    statuses = {}
end

function request()
    position = position % #targets + 1
    return wrk.format("GET", targets[position], headers)
end

function response(status, response_headers, _body)
    if status < 200 or status > 299 then
        non2xx = non2xx + 1
        statuses[status] = (statuses[status] or 0) + 1
    end
    if response_headers["X-SQL-State"] or response_headers["x-sql-state"] then
        partial = partial + 1
    end
end

function done(summary, latency, _requests)
    local bad = 0
    local cut = 0
    local codes = {}
    for _, thread in ipairs(threads) do
        bad = bad + thread:get("non2xx")
        cut = cut + thread:get("partial")
        local s = thread:get("statuses")
        for code, n in pairs(s) do
            codes[code] = (codes[code] or 0) + n
        end
    end
    local parts = {}
    for code, n in pairs(codes) do
        table.insert(parts, string.format('"%d":%d', code, n))
    end
    table.sort(parts)
    local e = summary.errors
    io.write(string.format(
        'WRK-JSON {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,'
            .. '"non2xx":%d,"partial":%d,"statuses":{%s},"connect":%d,"read":%d,"write":%d,"timeout":%d}\n',
        summary.requests, summary.duration, summary.bytes,
        summary.requests > 0 and latency:percentile(50) or 0,
        summary.requests > 0 and latency:percentile(99) or 0,
        summary.requests > 0 and latency.max or 0,
        bad, cut, table.concat(parts, ","), e.connect, e.read, e.write, e.timeout))
end
