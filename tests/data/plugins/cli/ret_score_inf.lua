-- ret_score_inf.lua: score_activity returns math.huge.
return {
  name = "ret_score_inf", version = "1", api = 1,
  hooks = {
    score_activity = function(person, activity, ctx)
      return math.huge
    end,
  },
}
