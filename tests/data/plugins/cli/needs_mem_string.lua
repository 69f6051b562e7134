-- needs_mem_string.lua: 
return {
  name = "needs_mem_string", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx)
      local s = "x" while true do s = s .. s end
    end,
  },
}
