-- mem_table.lua: hostile plugin for test_plugin.c (the host must stop it and stay usable).
return {
  name = "hostile", version = "1", api = 1,
  hooks = {
    eligible = function(person, ctx)
      local t = {} local i = 0 while true do i = i + 1 t[i] = {i, string.rep("x" .. i, 4096)} end
    end,
  },
}
