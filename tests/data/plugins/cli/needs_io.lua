-- needs_io.lua: 
return {
  name = "needs_io", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx)
      return io.open("/etc/passwd")
    end,
  },
}
