/**
 * Lua scripts of the handoff store: each checks a request's status and changes it in one step, so two
 * officers (or an officer and the worker) acting at the same moment cannot both win.
 */

// KEYS: by-conversation key, open set. ARGV: record key prefix, new id, score, then the record's field
// pairs. Returns {0, id} when the conversation already has a request that is not closed, {-1, id} when
// the drawn id exists already (draw again), {1, id} when created.
export const REQUEST = `
local existing = redis.call('GET', KEYS[1])
if existing then
  local status = redis.call('HGET', ARGV[1] .. existing, 'status')
  if status and status ~= 'closed' then return {0, existing} end
end
local key = ARGV[1] .. ARGV[2]
if redis.call('EXISTS', key) == 1 then return {-1, ARGV[2]} end
redis.call('HSET', key, unpack(ARGV, 4))
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
redis.call('SET', KEYS[1], ARGV[2])
return {1, ARGV[2]}
`;

// KEYS: record, open set, assigned set. ARGV: id, officer id, officer name, time, score, force ('1').
// Returns {outcome, previous assignee id, previous assignee name} ('' when it was open).
export const TAKE = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'not_found'} end
if status == 'closed' then return {'closed'} end
local current = ''
local currentName = ''
if status == 'assigned' then
  current = redis.call('HGET', KEYS[1], 'assigneeId') or ''
  currentName = redis.call('HGET', KEYS[1], 'assigneeName') or ''
end
if current == ARGV[2] then return {'already_yours', current, currentName} end
if current ~= '' and ARGV[6] ~= '1' then return {'assigned_to_other', current, currentName} end
redis.call('HSET', KEYS[1], 'status', 'assigned', 'assigneeId', ARGV[2], 'assigneeName', ARGV[3], 'takenAt', ARGV[4])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
return {'taken', current, currentName}
`;

// KEYS: record, open set, assigned set, closed set, messages list, by-conversation key. ARGV: id, time,
// score, closedBy JSON, officer id that must be the assignee ('' = no check), max closed listed, TTL.
export const CLOSE = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'not_found'} end
if status == 'closed' then return {'closed'} end
if ARGV[5] ~= '' and status == 'assigned' and redis.call('HGET', KEYS[1], 'assigneeId') ~= ARGV[5] then
  return {'assigned_to_other'}
end
redis.call('HSET', KEYS[1], 'status', 'closed', 'closedAt', ARGV[2], 'closedBy', ARGV[4])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[4], 0, -(tonumber(ARGV[6]) + 1))
if redis.call('GET', KEYS[6]) == ARGV[1] then redis.call('DEL', KEYS[6]) end
redis.call('EXPIRE', KEYS[1], ARGV[7])
redis.call('EXPIRE', KEYS[5], ARGV[7])
return {'closed_now', status}
`;

// KEYS: record, messages list. ARGV: message JSON, max messages, last message time ('' = leave),
// last text. A closed request's messages keep expiring with it.
export const ADD_MESSAGE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[2]), -1)
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'lastMessageAt', ARGV[3], 'lastText', ARGV[4]) end
local ttl = redis.call('TTL', KEYS[1])
if ttl > 0 then redis.call('EXPIRE', KEYS[2], ttl) end
return 1
`;
