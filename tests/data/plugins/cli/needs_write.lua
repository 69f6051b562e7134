-- needs_write.lua: 
return {
  name = "needs_write", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx)
      person.email = "someone@else.example"
      return {}
    end,
  },
}
