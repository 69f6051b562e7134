-- cross-team-mentoring.lua: mentoring only across teams. An example local
-- plugin that narrows the earlier rules through ctx.previous (see
-- plugins/README.md).
--
-- A colleague in the mentee's own team is never suggested as a mentor (the
-- pair is ruled out with the reason "same team"); every other pair is left
-- to the earlier rules, which keep their score and their reason (own line
-- manager, not willing, at capacity, strengths on N needs...). People with
-- no team are not in anyone's team. The mentee compared with themself is
-- also left to the earlier rules, so that it keeps its own reason.

local function score_mentor(mentee, mentor, ctx)
  if mentor.email ~= mentee.email and mentor.team ~= nil and mentor.team == mentee.team then
    return nil, "same team"
  end
  return ctx.previous(mentee, mentor, ctx)
end

return {
  name = "cross-team-mentoring",
  version = "1.0",
  api = 1,
  description = "mentors come from another team than the mentee's",
  -- score_mentor values a pair only when the mentor has a strength on one of
  -- the mentee's needs: the planner then scores only those pairs
  mentor_pairs = "strengths",
  hooks = {
    score_mentor = score_mentor,
  },
}
