-- good_local.lua: a well-behaved local plugin. It extends the default
-- score_activity through ctx.previous: the default score, plus
-- ctx.options.x (0 when not given), with "(local)" added to the reason.
return {
  name = "good_local", version = "1.0", api = 1,
  description = "adds a local bonus to the default activity scores",
  hooks = {
    score_activity = function(person, activity, ctx)
      local score, why = ctx.previous(person, activity, ctx)
      if score == nil then return nil, why end
      local bonus = ctx.options and ctx.options.x or 0
      return score + bonus, (why or "") .. " (local)"
    end,
  },
}
