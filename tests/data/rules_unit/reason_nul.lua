-- needs with a reason holding a NUL byte: the host keeps the text before it
return {
  name = "reason-nul", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx)
      return {{statement = person.profile[1], priority = 1, reason = "first\0second"}}
    end,
  },
}
