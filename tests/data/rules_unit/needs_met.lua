-- reports what ctx.needs_met gives for an activity, a list of codes and a
-- codes view; and, inside needs, that it sees no needs
return {
  name = "needs-met", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx)
      local v, n = ctx.needs_met(person.profile)
      if v ~= 0 or n ~= 0 then error("needs_met inside needs gave " .. v) end
      return ctx.previous(person, ctx)
    end,
    score_activity = function(person, activity, ctx)
      local a, an = ctx.needs_met(activity)
      local l, ln = ctx.needs_met({"WEIP-1", "WEIP-9", 7})
      local p, pn = ctx.needs_met(person.profile)
      return 1, string.format("%g/%d %g/%d %g/%d", a, an, l, ln, p, pn)
    end,
  },
}
