"""Spec snapshots taken from real clusters, one folder per Kubernetes minor version."""
