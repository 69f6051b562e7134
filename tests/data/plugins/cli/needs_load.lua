-- needs_load.lua: 
return {
  name = "needs_load", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx)
      return load("\27Lua\84\0")
    end,
  },
}
