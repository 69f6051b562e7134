-- chain.lua: extends good.lua's score_activity through ctx.previous.
return {
  name = "chain", version = "1.0", api = 1,
  hooks = {
    score_activity = function(person, activity, ctx)
      local base = ctx.previous(person, activity, ctx)
      return base * 10 + (ctx.options and ctx.options.bonus or 0)
    end,
  },
}
