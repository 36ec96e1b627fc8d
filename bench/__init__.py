"""Benchmarks of the assistant: speed, scale and accuracy side by side with baselines (``make bench``)."""
