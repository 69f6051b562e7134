-- values every pair of colleagues in the same service (declares nothing)
return {
  name = "mentor-any", version = "1", api = 1,
  hooks = {
    score_mentor = function(mentee, mentor, ctx)
      if mentee.service ~= mentor.service or mentee.email == mentor.email then return nil end
      return 1, "a colleague"
    end,
  },
}
