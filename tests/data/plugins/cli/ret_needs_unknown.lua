-- ret_needs_unknown.lua: needs names a statement code no framework holds.
return {
  name = "ret_needs_unknown", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx)
      return {{statement = "NOPE-9.9", priority = 1, reason = "no such statement"}}
    end,
  },
}
