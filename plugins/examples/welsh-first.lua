-- welsh-first.lua: Welsh-language provision first. An example local plugin
-- that extends the default rules through ctx.previous instead of copying
-- them (see plugins/README.md).
--
-- For people whose language is "cy" or "both", an activity that can be
-- taught in Welsh (language "cy" or "both") is worth more: score_activity
-- multiplies the score the earlier rules give by welsh_factor. An activity
-- the earlier rules give no value (nil) stays of no value.
--
-- With welsh_only, an activity taught only in English ("en") is refused to
-- Welsh-medium learners (language "cy"); everything else is left to the
-- earlier rules' eligibility.
--
-- Options (cpdplan plugin enable plugins/examples/welsh-first.lua --options '{...}'):
--   welsh_factor  score factor of a Welsh or bilingual activity for a Welsh
--                 speaker (1.5); 1 leaves the scores as they were
--   welsh_only    refuse English-only activities to "cy" speakers (false)

local function opt(ctx, key, default)
  local o = ctx.options
  if type(o) == "table" and o[key] ~= nil then return o[key] end
  return default
end

local function speaks_welsh(person)
  return person.language == "cy" or person.language == "both"
end

local function in_welsh(activity)
  return activity.language == "cy" or activity.language == "both"
end

local function score_activity(person, activity, ctx)
  local score, reason = ctx.previous(person, activity, ctx)
  if score == nil then return nil, reason end
  if speaks_welsh(person) and in_welsh(activity) then
    local factor = opt(ctx, "welsh_factor", 1.5)
    if type(factor) ~= "number" or factor < 0 then
      error("option welsh_factor must be a number >= 0 (got " .. tostring(factor) .. ")")
    end
    score = score * factor
    reason = string.format("%s%sWelsh-medium provision x%g", reason or "", (reason or "") ~= "" and "; " or "", factor)
  end
  return score, reason
end

local function eligible(person, activity, ctx)
  if opt(ctx, "welsh_only", false) and person.language == "cy" and activity.language == "en" then
    return false, "taught in English only (welsh_only)"
  end
  return ctx.previous(person, activity, ctx)
end

return {
  name = "welsh-first",
  version = "1.0",
  api = 1,
  description = "Welsh-language provision first: Welsh and bilingual activities score higher for Welsh speakers",
  hooks = {
    score_activity = score_activity,
    eligible = eligible,
  },
}
