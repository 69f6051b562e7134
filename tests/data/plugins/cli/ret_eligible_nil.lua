-- ret_eligible_nil.lua: eligible returns nil (it must say true or false).
return {
  name = "ret_eligible_nil", version = "1", api = 1,
  hooks = {
    eligible = function(person, activity, ctx)
      return nil
    end,
  },
}
