-- ret_needs_outside.lua: needs names a real statement that is not in the person's profile.
return {
  name = "ret_needs_outside", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx)
      -- a real statement of another nation's framework
      local code = person.profile["ASP05-1.K.1"] and "WEIP-1" or "ASP05-1.K.1"
      return {{statement = code, priority = 1, reason = "outside the profile"}}
    end,
  },
}
