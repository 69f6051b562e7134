-- recurse.lua: hostile plugin for test_plugin.c (the host must stop it and stay usable).
return {
  name = "hostile", version = "1", api = 1,
  hooks = {
    eligible = function(person, ctx)
      local function f(n) return 1 + f(n + 1) end return f(1)
    end,
  },
}
