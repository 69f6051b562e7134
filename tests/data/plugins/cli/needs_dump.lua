-- needs_dump.lua: 
return {
  name = "needs_dump", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx)
      return string.dump(function() end)
    end,
  },
}
