-- reads a person every way a plugin can and reports what it saw in the
-- reason (person, profile and grades are frozen tables read through to the
-- snapshot); ctx.options.write names a write to attempt (each is refused)
return {
  name = "person-view", version = "1", api = 1,
  hooks = {
    score_activity = function(person, activity, ctx)
      local w = ctx.options and ctx.options.write
      if w == "person" then person.email = "x" end
      if w == "grades" then person.grades["WEIP-1"] = 1 end
      if w == "profile" then person.profile[1] = "WEIP-9" end
      local parts = {type(person), tostring(person), tostring(rawget(person, "email"))}
      local keys = {}
      for k in pairs(person) do keys[#keys + 1] = k end
      parts[#parts + 1] = table.concat(keys, ",")
      local p = person.profile
      parts[#parts + 1] = string.format("%d %s %s %s %s", #p, p[1], tostring(p["WEIP-3"]),
                                        tostring(p["WEIP:WEIP-3"]), tostring(p["WEIP-9"]))
      local list = {}
      for i, code in pairs(p) do list[#list + 1] = i .. "=" .. code end
      parts[#parts + 1] = table.concat(list, ",")
      local g = person.grades
      parts[#parts + 1] = string.format("%s %s %s %s", tostring(g["WEIP-1"]), tostring(g["WEIP:WEIP-1"]),
                                        tostring(g["WEIP-3"]), tostring(g["VSC-KS"]))
      local graded = {}
      for code, grade in pairs(g) do graded[#graded + 1] = code .. "=" .. grade end
      parts[#parts + 1] = table.concat(graded, ",")
      parts[#parts + 1] = tostring(person.strengths and #person.strengths)
      parts[#parts + 1] = tostring(person.nothing)
      return 1, table.concat(parts, " | ")
    end,
  },
}
