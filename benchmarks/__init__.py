"""kubetyped benchmarks against its peers and the limit (`make bench`, entry point `run.py`)."""
