-- needs_loop_pcall.lua: 
return {
  name = "needs_loop_pcall", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx)
      while true do pcall(function() while true do end end) end
    end,
  },
}
