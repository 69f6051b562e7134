-- ret_induction_unknown.lua: induction names an activity the catalogue does not hold.
return {
  name = "ret_induction_unknown", version = "1", api = 1,
  hooks = {
    induction = function(person, ctx)
      return {"VSC-IND-EL", "NO-SUCH-COURSE"}
    end,
  },
}
