-- ret_needs_prio_str.lua: needs gives a priority that is a string.
return {
  name = "ret_needs_prio_str", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx)
      return {{statement = person.profile[1], priority = "high", reason = "a word"}}
    end,
  },
}
