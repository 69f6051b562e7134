-- ret_score_nan.lua: score_activity returns NaN.
return {
  name = "ret_score_nan", version = "1", api = 1,
  hooks = {
    score_activity = function(person, activity, ctx)
      return 0/0
    end,
  },
}
