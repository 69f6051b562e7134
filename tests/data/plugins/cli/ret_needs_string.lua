-- ret_needs_string.lua: needs returns a string, not a list of needs.
return {
  name = "ret_needs_string", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx)
      return "WEIP-1"
    end,
  },
}
