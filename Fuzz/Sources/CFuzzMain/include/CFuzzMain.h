// Intentionally empty: the entry points below are found by the linker, not called from Swift.
