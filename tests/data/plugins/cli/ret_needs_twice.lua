-- ret_needs_twice.lua: needs names the same statement twice.
return {
  name = "ret_needs_twice", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx)
      local code = person.profile[1]
      return {{statement = code, priority = 1, reason = "once"},
              {statement = code, priority = 2, reason = "twice"}}
    end,
  },
}
