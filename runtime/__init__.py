"""kubetyped: a typed Kubernetes clientset for Python."""
