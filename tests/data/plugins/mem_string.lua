-- mem_string.lua: hostile plugin for test_plugin.c (the host must stop it and stay usable).
return {
  name = "hostile", version = "1", api = 1,
  hooks = {
    eligible = function(person, ctx)
      local s = "x" while true do s = s .. s end
    end,
  },
}
