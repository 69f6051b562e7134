-- top_dump.lua: string.dump at top level: refused when the plugin loads.
local grab = string.dump(function() end)
return {
  name = "top_dump", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx) return {} end,
  },
}
