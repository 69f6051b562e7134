-- syntax.lua: a syntax error on line 4.
return {
  name = "syntax", version = "1", api = 1,
  hooks = { needs = function(p, ctx) return p + end },
}
