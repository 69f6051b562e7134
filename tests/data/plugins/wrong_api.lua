-- wrong_api.lua: declares an API this host does not speak.
return { name = "wrong", version = "1", api = 2, hooks = {} }
