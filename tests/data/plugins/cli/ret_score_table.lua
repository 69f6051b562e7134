-- ret_score_table.lua: score_activity returns a table.
return {
  name = "ret_score_table", version = "1", api = 1,
  hooks = {
    score_activity = function(person, activity, ctx)
      return {score = 1}
    end,
  },
}
