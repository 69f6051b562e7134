-- top_loop.lua: loops for ever while loading: refused by the instruction limit.
while true do end
return {
  name = "top_loop", version = "1", api = 1,
  hooks = {},
}
