-- needs_os.lua: 
return {
  name = "needs_os", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx)
      return os.execute("true")
    end,
  },
}
