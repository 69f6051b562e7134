-- needs_recurse.lua: 
return {
  name = "needs_recurse", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx)
      local function f(n) return 1 + f(n + 1) end
      return f(1)
    end,
  },
}
