-- needs_require.lua: 
return {
  name = "needs_require", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx)
      return require("os")
    end,
  },
}
