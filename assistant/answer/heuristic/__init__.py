"""The hand-weighted answerer that the learned core is meant to replace."""
