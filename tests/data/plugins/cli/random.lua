-- random.lua: needs with priorities from math.random. The host seeds the
-- generator the same way on every run, so the output must not change.
return {
  name = "random", version = "1.0", api = 1,
  hooks = {
    needs = function(person, ctx)
      local list, strengths = ctx.previous(person, ctx)
      local out = {}
      for i, n in ipairs(list) do
        out[i] = {statement = n.statement, priority = math.random(1, 9) / 3,
                  reason = n.reason .. " (shuffled)", induction = n.induction}
      end
      return out, strengths
    end,
  },
}
