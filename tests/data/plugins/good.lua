-- good.lua: a valid plugin for test_plugin.c: every hook, plain results.
local function count(t) local n = 0 for _ in pairs(t) do n = n + 1 end return n end
return {
  name = "good", version = "1.0", api = 1,
  hooks = {
    needs = function(person, ctx)
      local out = {}
      for code, grade in pairs(person.grades) do
        if grade ~= "NA" and grade >= 3 then
          out[#out + 1] = {statement = code, priority = grade, reason = "graded " .. grade}
        end
      end
      table.sort(out, function(a, b) return a.statement < b.statement end)
      return out
    end,
    eligible = function(person, activity, ctx)
      if activity.kind == "secondment" and person.stage == "new" then
        return false, "secondments are for established staff"
      end
      return true
    end,
    score_activity = function(person, activity, ctx)
      return #activity.statements + count(person.grades) / 10
    end,
    score_mentor = function(mentee, mentor, ctx)
      if mentor.mentor_capacity == 0 then return nil end
      return 1
    end,
    induction = function(person, ctx)
      return {"IND-1", "IND-2", ctx.cycle or "no-cycle"}
    end,
  },
}
