-- needs_loop.lua: 
return {
  name = "needs_loop", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx)
      while true do end
    end,
  },
}
