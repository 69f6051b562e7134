-- check_team.lua: assumes every person has a team (people in real databases
-- may have none), and fails with a message that differs for each person:
-- plugin check must find the first fault on the sample and count the second
-- as one fault, not one per person.
return {
  name = "check_team", version = "1.0", api = 1,
  hooks = {
    needs = function(person, ctx)
      local team = person.team:upper()
      return ctx.previous(person, ctx)
    end,
    eligible = function(person, activity, ctx)
      error("refusing " .. person.email .. " for " .. activity.code)
    end,
  },
}
