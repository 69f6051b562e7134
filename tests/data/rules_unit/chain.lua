-- a local plugin that doubles the default score through ctx.previous
return {
  name = "double", version = "1", api = 1,
  hooks = {
    score_activity = function(person, activity, ctx)
      local s, why = ctx.previous(person, activity, ctx)
      if s == nil then return nil, why end
      return s * 2, "doubled: " .. why
    end,
  },
}
