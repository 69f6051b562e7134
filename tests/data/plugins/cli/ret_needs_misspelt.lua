-- ret_needs_misspelt.lua: needs misspells a field of a need (priorty).
return {
  name = "ret_needs_misspelt", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx)
      return {{statement = person.profile[1], priorty = 2, reason = "typo"}}
    end,
  },
}
