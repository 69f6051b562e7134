-- needs_pattern.lua: 
return {
  name = "needs_pattern", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx)
      local found = string.rep("a", 5000):find(".-.-.-.-.-b")
      return {}
    end,
  },
}
