-- default.lua: the rules the seeds give, loaded before any local plugin.
--
-- Needs (Wales EIP guidance notes, four-level grading model): an agreed
-- grade 4 ("good in only a limited number of respects; needs regular
-- support") is an urgent need, 3 ("some support is required") a need, 2 no
-- need, 1 ("much of it exemplary and could be shared with others") a
-- strength that can be shared. N/A and statements outside the profile are
-- never needs. A newly appointed person's relevant statements not yet
-- assessed are initial training needs, flagged as induction.
--
-- Eligibility (VSC Cymru CPD strategy): each activity names the career
-- stages it is for (induction for the newly appointed; the Reflective
-- Manager module for established and experienced managers, the Strategic
-- Leader module after it; learning sets, the summer school and the chief
-- officers' co-coaching workshops for experienced leaders; coaching,
-- mentoring, exchanges, secondments and international links as the
-- catalogue says). Prerequisites are sequenced by the planner, not here.
--
-- Scores: an activity is worth the priorities of the needs it develops,
-- less for a Welsh speaker when it is taught only in English, and less the
-- more it costs; a mentor is worth the priorities of the mentee's needs on
-- which the mentor has a strength, more for contemporaries at a similar
-- level; never the mentee's own line manager, nor someone unwilling or at
-- capacity.
--
-- Options (cpdplan plugin enable default --options '{...}'):
--   newly_appointed_days  appointed this many days ago or fewer (365)
--   urgent_priority       priority of a grade 4 need (2)
--   need_priority         priority of a grade 3 need (1)
--   induction_priority    priority of an initial training need (1)
--   cost_scale            cost at which an activity's score halves (5000)
--   welsh_english_factor  score factor of an English-only activity for a
--                         Welsh-medium learner (0.6)
--   across_services       mentors may come from other services (false)
--   induction             {post = {codes...}} induction programme by post;
--                         otherwise the shipped programme below

local function opt(ctx, key, default)
  local o = ctx.options
  if o ~= nil and o[key] ~= nil then return o[key] end
  return default
end

local function newly_appointed(person, ctx)
  local days = person.days_in_post
  if days ~= nil then return days >= 0 and days <= opt(ctx, "newly_appointed_days", 365) end
  return person.stage == "new"
end

local reason4 = "agreed grade 4: good in only a limited number of respects; needs regular support"
local reason3 = "agreed grade 3: good in most respects; some support is required"
local reason_new = "not yet assessed: initial training need of the newly appointed"

-- (counters, not #list: this runs for every person of a whole service)
local function needs(person, ctx)
  local list, strengths, n, ns = {}, {}, 0, 0
  local new = newly_appointed(person, ctx)
  local urgent, need, initial = opt(ctx, "urgent_priority", 2), opt(ctx, "need_priority", 1),
                                opt(ctx, "induction_priority", 1)
  local grades, profile = person.grades, person.profile
  for i = 1, #profile do
    local code = profile[i]
    local g = grades[code]
    if g == 4 then
      n = n + 1
      list[n] = {statement = code, priority = urgent, reason = reason4}
    elseif g == 3 then
      n = n + 1
      list[n] = {statement = code, priority = need, reason = reason3}
    elseif g == 1 then
      ns = ns + 1
      strengths[ns] = code
    elseif g == nil and new then
      n = n + 1
      list[n] = {statement = code, priority = initial, reason = reason_new, induction = true}
    end
  end
  return list, strengths
end

local function stage_list(activity)
  local names = {}
  for i, s in ipairs(activity.stages) do names[i] = s end
  return table.concat(names, ", ")
end

local function eligible(person, activity, ctx)
  if activity.strand == "induction" and not newly_appointed(person, ctx) then
    return false, "for newly appointed staff"
  end
  if #activity.stages > 0 and not activity.stages[person.stage] then
    if activity.strand == "induction" and newly_appointed(person, ctx) then return true end
    return false, "open to " .. stage_list(activity) .. "; this person is " .. person.stage
  end
  if activity.language == "cy" and person.language == "en" then
    return false, "taught in Welsh only"
  end
  return true
end

local function score_activity(person, activity, ctx)
  local value, met = ctx.needs_met(activity) -- the priorities of the needs it develops
  if value == 0 then return nil, "develops none of the person's needs" end
  local factor = 1
  if person.language == "cy" and activity.language == "en" then
    factor = opt(ctx, "welsh_english_factor", 0.6)
  end
  local cost = activity.cost or 0
  local score = value * factor / (1 + cost / opt(ctx, "cost_scale", 5000))
  return score, string.format("meets %d need%s (priority %g)", met, met == 1 and "" or "s", value)
end

local level = {new = 1, established = 1, experienced = 2, senior = 3, chief = 4}

-- "strengths on 3 needs; a contemporary": made once for each count, then
-- reused (score_mentor runs for every candidate pair of a whole service)
local reasons = {[true] = {}, [false] = {}}
local function mentor_reason(met, contemporary)
  local r = reasons[contemporary][met]
  if r == nil then
    r = string.format("strengths on %d need%s%s", met, met == 1 and "" or "s",
                      contemporary and "; a contemporary" or "")
    reasons[contemporary][met] = r
  end
  return r
end

-- (the cheap tests first, each field read once: this runs for every
-- candidate pair of a whole service)
local abs = math.abs

local function score_mentor(mentee, mentor, ctx)
  local email = mentor.email
  if email == mentee.email then return nil, "the mentee themself" end
  if mentee.line_manager == email then return nil, "own line manager" end
  local capacity = mentor.mentor_capacity
  if capacity == 0 then return nil, "not willing to mentor" end
  local taken = mentor.mentees
  if taken >= capacity then
    return nil, string.format("at capacity (%d of %d)", taken, capacity)
  end
  if mentor.service ~= mentee.service and not opt(ctx, "across_services", false) then
    return nil, "another service"
  end
  local strengths = mentor.strengths
  if strengths == nil then return nil, "no strengths to share" end
  local value, met = ctx.needs_met(strengths) -- the mentee's needs on the mentor's strengths
  if value == 0 then
    if #strengths == 0 then return nil, "no strengths to share" end
    return nil, "no strength on the mentee's needs"
  end
  local gap = abs((level[mentor.stage] or 1) - (level[mentee.stage] or 1))
  if gap == 0 then return value * 1.25, reasons[true][met] or mentor_reason(met, true) end
  return value * (gap == 1 and 1.1 or 1), reasons[false][met] or mentor_reason(met, false)
end

local programme = {"VSC-IND-EL", "VSC-IND-RES", "VSC-X-UPDATE"}

local function induction(person, ctx)
  if not newly_appointed(person, ctx) then return {} end
  local by_post = opt(ctx, "induction", nil)
  local codes = by_post and person.post and by_post[person.post] or programme
  local list = {}
  for _, code in ipairs(codes) do
    if ctx.activities[code] then list[#list + 1] = code end
  end
  return list
end

return {
  name = "default",
  version = "1.0",
  api = 1,
  description = "the seeds' rules: Wales EIP grading, VSC Cymru CPD strategy",
  -- score_mentor values a pair only when the mentor has a strength on one of
  -- the mentee's needs, and (unless across_services) in the mentee's
  -- service: the planner then scores only those pairs
  mentor_pairs = function(ctx)
    return opt(ctx, "across_services", false) and "strengths" or "strengths in service"
  end,
  hooks = {
    needs = needs,
    eligible = eligible,
    score_activity = score_activity,
    score_mentor = score_mentor,
    induction = induction,
  },
}
