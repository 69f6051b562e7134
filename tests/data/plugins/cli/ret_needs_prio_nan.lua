-- ret_needs_prio_nan.lua: needs gives a priority of NaN.
return {
  name = "ret_needs_prio_nan", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx)
      return {{statement = person.profile[1], priority = 0/0, reason = "NaN"}}
    end,
  },
}
