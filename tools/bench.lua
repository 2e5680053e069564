-- wrk script for tools/bench.py: one file, the workload chosen by BENCH_WORKLOAD.
--
-- Environment (set by bench.py):
--   BENCH_WORKLOAD  tokens | siteinfo | userinfo | validatepassword | login | write | soak
--   BENCH_PATH      the api.php path, e.g. /w/api.php
--   BENCH_COOKIE    Cookie header of a logged-in session (userinfo, write, soak)
--   BENCH_CSRF      the session's csrf token (write)
--   BENCH_USERS     name:password pairs separated by newlines (login)
--   BENCH_RUN       a short id that makes page titles unique per run (write)
--   BENCH_TITLES    the title prefix of the pages written (write)
--
-- Besides wrk's own numbers, every response is checked: a non-2xx status or an
-- API error in the body counts as an error, and the login and write workloads
-- count the operations that succeeded. done() prints one line starting with
-- BENCH-JSON that bench.py parses.

local workload = os.getenv("BENCH_WORKLOAD") or "tokens"
local path = os.getenv("BENCH_PATH") or "/w/api.php"
local cookie = os.getenv("BENCH_COOKIE") or ""
local csrf = os.getenv("BENCH_CSRF") or ""
local run_id = os.getenv("BENCH_RUN") or "0"
local title_prefix = os.getenv("BENCH_TITLES") or "Bench "

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("number", thread_count)
  table.insert(threads, thread)
end

local function urlencode(text)
  return (string.gsub(text, "[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local function form(fields)
  local parts = {}
  for _, pair in ipairs(fields) do
    table.insert(parts, pair[1] .. "=" .. urlencode(pair[2]))
  end
  return table.concat(parts, "&")
end

local function post(body, extra_cookie)
  local headers = {["Content-Type"] = "application/x-www-form-urlencoded"}
  if extra_cookie and extra_cookie ~= "" then headers["Cookie"] = extra_cookie end
  return wrk.format("POST", path, headers, body)
end

local function get(query, with_cookie)
  local headers = {}
  if with_cookie and cookie ~= "" then headers["Cookie"] = cookie end
  return wrk.format("GET", path .. "?" .. query, headers)
end

-- A JSON string value from the body, unescaped (tokens end in a backslash, which
-- JSON escapes; titles may contain escaped slashes).
local function json_string(body, key)
  local marker = '"' .. key .. '":"'
  local start = string.find(body, marker, 1, true)
  if start == nil then return nil end
  local chars = {}
  local i = start + #marker
  while i <= #body do
    local c = string.sub(body, i, i)
    if c == '"' then return table.concat(chars) end
    if c == "\\" then
      i = i + 1
      c = string.sub(body, i, i)
    end
    table.insert(chars, c)
    i = i + 1
  end
  return nil
end

local function session_cookie(headers)
  for name, value in pairs(headers) do
    if string.lower(name) == "set-cookie" then
      local pair = string.match(value, "^([^;]+)")
      if pair and string.find(pair, "_session=", 1, true) then return pair end
    end
  end
  return nil
end

-- Per-thread state (each wrk thread runs its own copy of this script). The
-- counters are globals so that done() can read them with thread:get().
local prepared = {}
local next_index = 0
local queue = {}
local users = {}
local user_index = 0
local page_counter = 0

function init(args)
  local number = wrk.thread:get("number") or 1
  seen, errors, api_errors, bad_status, done_ops, failed_ops = 0, 0, 0, 0, 0, 0
  first_error = ""
  page_counter = 0
  if workload == "tokens" then
    prepared = {get("action=query&meta=tokens&type=login&format=json", false)}
  elseif workload == "siteinfo" then
    prepared = {get("action=query&meta=siteinfo&format=json", false)}
  elseif workload == "userinfo" then
    prepared = {get("action=query&meta=tokens%7Cuserinfo&format=json", true)}
  elseif workload == "validatepassword" then
    local passwords = {"a-much-better-passw0rd!", "password", "abc", "Tr0ub4dor&3-horse-staple",
                       "123456", "xy", "qwerty", "Zebra-Kettle-Ocean-42"}
    for _, password in ipairs(passwords) do
      table.insert(prepared, post(form({{"action", "validatepassword"}, {"password", password},
                                        {"format", "json"}})))
    end
  elseif workload == "login" then
    for line in string.gmatch(os.getenv("BENCH_USERS") or "", "[^\n]+") do
      local name, password = string.match(line, "^([^:]+):(.*)$")
      table.insert(users, {name, password})
    end
    user_index = number  -- threads start on different users
    prepared = {get("action=query&meta=tokens&type=login&format=json", false)}
  elseif workload == "write" then
    run_id = run_id .. "-" .. number
  elseif workload == "soak" then
    prepared = {get("action=query&meta=tokens&type=login&format=json", false),
                get("action=query&meta=siteinfo&format=json", false),
                get("action=query&meta=tokens%7Cuserinfo&format=json", true)}
  end
end

local function next_prepared()
  next_index = next_index % #prepared + 1
  return prepared[next_index]
end

function request()
  if workload == "login" and #queue > 0 then
    local item = table.remove(queue, 1)
    user_index = user_index % #users + 1
    local user = users[user_index]
    return post(form({{"action", "clientlogin"}, {"username", user[1]}, {"password", user[2]},
                      {"loginreturnurl", "http://127.0.0.1/"}, {"logintoken", item.token},
                      {"format", "json"}}), item.cookie)
  elseif workload == "write" then
    if #queue > 0 then
      local title = table.remove(queue, 1)
      return post(form({{"action", "protect"}, {"title", title},
                        {"protections", "edit=sysop|move=sysop"}, {"expiry", "infinite"},
                        {"reason", "benchmark"}, {"token", csrf}, {"format", "json"}}), cookie)
    end
    page_counter = page_counter + 1
    local title = title_prefix .. run_id .. " " .. page_counter
    return post(form({{"action", "edit"}, {"title", title},
                      {"text", "Benchmark page " .. page_counter .. " of run " .. run_id .. "."},
                      {"summary", "benchmark"}, {"token", csrf}, {"format", "json"}}), cookie)
  end
  return next_prepared()
end

function response(status, headers, body)
  seen = seen + 1
  local failed = false
  if status < 200 or status > 299 then
    bad_status = bad_status + 1
    failed = true
  end
  if string.find(body, '"error":{', 1, true) then
    api_errors = api_errors + 1
    failed = true
  end
  if workload == "login" then
    if string.find(body, '"logintoken":"', 1, true) then
      local token = json_string(body, "logintoken")
      local pair = session_cookie(headers)
      if token and pair then table.insert(queue, {token = token, cookie = pair}) end
    elseif string.find(body, '"clientlogin":{', 1, true) then
      if string.find(body, '"status":"PASS"', 1, true) then done_ops = done_ops + 1
      else
        failed_ops = failed_ops + 1
        failed = true
      end
    end
  elseif workload == "write" then
    if string.find(body, '"protect":{', 1, true) then
      done_ops = done_ops + 1
    elseif string.find(body, '"edit":{', 1, true) then
      if string.find(body, '"result":"Success"', 1, true) then
        done_ops = done_ops + 1
        local title = json_string(body, "title")
        if title then table.insert(queue, title) end
      else
        failed_ops = failed_ops + 1
        failed = true
      end
    end
  end
  if failed then
    errors = errors + 1
    if errors == 1 then first_error = string.gsub(status .. " " .. string.sub(body, 1, 300), "%c", " ") end
  end
end

function done(summary, latency, requests)
  local totals = {seen = 0, errors = 0, api_errors = 0, bad_status = 0, done_ops = 0, failed_ops = 0}
  for _, thread in ipairs(threads) do
    for key, _ in pairs(totals) do
      totals[key] = totals[key] + (tonumber(thread:get(key)) or 0)
    end
  end
  local samples = {}
  for _, thread in ipairs(threads) do
    local sample = thread:get("first_error")
    if sample and sample ~= "" then table.insert(samples, string.format("%q", sample)) end
  end
  local socket_errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    'BENCH-JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,'
      .. '"non2xx":%d,"socket_errors":%d,"checked":%d,"errors":%d,"api_errors":%d,"bad_status":%d,'
      .. '"ops_ok":%d,"ops_failed":%d,"error_samples":[%s]}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, summary.errors.status, socket_errors, totals.seen,
    totals.errors, totals.api_errors, totals.bad_status, totals.done_ops, totals.failed_ops,
    table.concat(samples, ",")))
end
