-- loop_pcall.lua: hostile plugin for test_plugin.c (the host must stop it and stay usable).
return {
  name = "hostile", version = "1", api = 1,
  hooks = {
    eligible = function(person, ctx)
      while true do pcall(function() while true do end end) end
    end,
  },
}
