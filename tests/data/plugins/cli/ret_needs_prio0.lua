-- ret_needs_prio0.lua: needs gives a priority of 0.
return {
  name = "ret_needs_prio0", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx)
      return {{statement = person.profile[1], priority = 0, reason = "zero"}}
    end,
  },
}
