-- top_require.lua: require used at top level: refused when the plugin loads.
local grab = require("io")
return {
  name = "top_require", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx) return {} end,
  },
}
