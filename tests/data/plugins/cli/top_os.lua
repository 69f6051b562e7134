-- top_os.lua: os used at top level: refused when the plugin loads.
local grab = os.getenv("HOME")
return {
  name = "top_os", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx) return {} end,
  },
}
