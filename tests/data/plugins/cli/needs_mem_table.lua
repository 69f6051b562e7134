-- needs_mem_table.lua: 
return {
  name = "needs_mem_table", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx)
      local t, i = {}, 0
      while true do i = i + 1 t[i] = {i, string.rep("x", 4096) .. i} end
    end,
  },
}
