-- a local plugin whose score_activity is broken (a negative score); the
-- next plugin passes its result through ctx.previous unchanged
return {
  name = "bad-previous", version = "1", api = 1,
  hooks = {
    score_activity = function(person, activity, ctx)
      return -1, "broken"
    end,
  },
}
