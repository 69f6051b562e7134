-- score_mentor: 1 for most pairs, a bad value for eve, an error for fay
-- (what a batch of one mentee's pairs must report as the single calls do)
return {
  name = "mentor-fails", version = "1", api = 1,
  hooks = {
    score_mentor = function(mentee, mentor, ctx)
      if mentor.email == "eve@t.gov.uk" then return "high" end
      if mentor.email == "fay@t.gov.uk" then error("no scores for fay") end
      return 1, "fine"
    end,
  },
}
