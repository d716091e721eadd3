"""The kubetyped generator: snapshots, generator model, rendering, diff."""
