-- top_io.lua: io used at top level: refused when the plugin loads.
local grab = io.open("/etc/passwd")
return {
  name = "top_io", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx) return {} end,
  },
}
