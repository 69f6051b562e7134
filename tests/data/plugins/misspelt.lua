-- misspelt.lua: a hook name with a typo.
return { name = "typo", version = "1", api = 1,
  hooks = { score_mentr = function() return 1 end } }
