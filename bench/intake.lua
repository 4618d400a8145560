-- wrk script of bench/intake.py: POST /api/v1/feedback/ with a different sender and commune each time,
-- count the answers by status and keep the tracking code of every 201 (for the "lost" check).
-- Input (environment): BENCH_COMMUNES, a file of "province_id commune_id" lines; BENCH_OUT, where done()
-- writes one JSON line: statuses, the codes answered 201, p50/p99 latency (ms), requests, duration.

local contents = {
  "Rác thải ùn ứ nhiều ngày ở đầu ngõ %d, bốc mùi hôi, đề nghị chính quyền thu gom kịp thời.",
  "Đèn đường ở tổ dân phố %d hỏng hơn một tháng, buổi tối rất tối và nguy hiểm cho người đi đường.",
  "Đề nghị kiểm tra việc cấp giấy chứng nhận quyền sử dụng đất chậm so với giấy hẹn %d ngày.",
  "Quán karaoke số %d hát đến khuya gây ồn ào, ảnh hưởng giấc ngủ của người dân xung quanh.",
  "Đoạn đường liên thôn dài %d00 mét xuống cấp, nhiều ổ gà, mùa mưa ngập sâu.",
}

local threads = {}
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("id", thread_id)
  table.insert(threads, thread)
end

function init(args)
  communes = {}
  for line in io.lines(os.getenv("BENCH_COMMUNES")) do
    local province, commune = line:match("^(%d+) (%d+)$")
    if province then table.insert(communes, {province, commune}) end
  end
  math.randomseed(2026 + id)
  counter = 0
  statuses = {}
  codes = {}
end

function request()
  counter = counter + 1
  local pick = communes[math.random(#communes)]
  local n = id * 10000000 + counter
  local body = string.format(
    '{"content":"%s","province":%s,"commune":%s,"name":"Người dân thử tải","phone":"09%08d",'
      .. '"consent_publish":true,"device_id":"bench-%d"}',
    string.format(contents[math.random(#contents)], n % 97 + 1), pick[1], pick[2],
    math.random(0, 99999999), n)
  return wrk.format("POST", "/api/v1/feedback/", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 201 then
    local code = body:match('"code"%s*:%s*"([^"]+)"')
    if code then table.insert(codes, code) end
  end
end

function done(summary, latency, requests)
  local all_statuses, all_codes = {}, {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      all_statuses[tostring(status)] = (all_statuses[tostring(status)] or 0) + n
    end
    for _, code in ipairs(thread:get("codes")) do table.insert(all_codes, '"' .. code .. '"') end
  end
  local parts = {}
  for status, n in pairs(all_statuses) do table.insert(parts, string.format('"%s":%d', status, n)) end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  local out = io.open(os.getenv("BENCH_OUT"), "w")
  out:write(string.format(
    '{"statuses":{%s},"codes":[%s],"p50_ms":%.3f,"p99_ms":%.3f,"requests":%d,"duration_s":%.3f,"errors":%d}\n',
    table.concat(parts, ","), table.concat(all_codes, ","), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.requests, summary.duration / 1e6, errors))
  out:close()
end
