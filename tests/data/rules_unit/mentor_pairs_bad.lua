return {
  name = "mentor-pairs-bad", version = "1", api = 1, mentor_pairs = "all",
  hooks = {},
}
