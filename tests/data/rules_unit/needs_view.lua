-- reads ctx.needs every way a plugin can and reports what it saw in the
-- reason; ctx.options.write names a write to attempt (each must be refused)
return {
  name = "needs-view", version = "1", api = 1,
  hooks = {
    score_activity = function(person, activity, ctx)
      local needs = ctx.needs
      local w = ctx.options and ctx.options.write
      if w == "field" then needs[1].priority = 5 end
      if w == "list" then needs[#needs + 1] = needs[1] end
      if w == "code" then needs["WEIP-9"] = needs[1] end
      local parts = {tostring(#needs)}
      for i, need in ipairs(needs) do
        parts[#parts + 1] = string.format("%d:%s=%g/%s/%s", i, need.statement, need.priority,
                                          tostring(need.induction), need.reason:sub(1, 14))
        parts[#parts + 1] = tostring(needs[need.statement] == need)
      end
      local keys = {}
      for k, v in pairs(needs[1]) do keys[#keys + 1] = k .. "=" .. tostring(v):sub(1, 7) end
      parts[#parts + 1] = table.concat(keys, ",")
      parts[#parts + 1] = tostring(needs[1])
      parts[#parts + 1] = tostring(needs[1].nothing) .. "," .. tostring(needs["WEIP-3"])
      return 1, table.concat(parts, " ")
    end,
  },
}
