-- a local plugin whose needs hook names a statement that does not exist
return {
  name = "bad-statement", version = "1", api = 1,
  hooks = {
    needs = function(person, ctx)
      return {{statement = "WEIP-9", priority = 1}}
    end,
  },
}
