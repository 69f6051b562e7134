-- ret_score_neg.lua: score_activity returns -1.
return {
  name = "ret_score_neg", version = "1", api = 1,
  hooks = {
    score_activity = function(person, activity, ctx)
      return -1, "negative"
    end,
  },
}
