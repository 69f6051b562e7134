-- hook_type.lua: a hook that is not a function: refused when the plugin loads.
return {
  name = "hook_type", version = "1", api = 1,
  hooks = {
    needs = {"WEIP-1"},
  },
}
