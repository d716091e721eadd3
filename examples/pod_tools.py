"""Exec into a pod, follow its logs for a few seconds and port-forward to it (`kubectl exec`,
`kubectl logs -f`, `kubectl port-forward`).

Needs a running pod, e.g. one of examples/deploy_folder.py's.

    python examples/pod_tools.py --namespace demo POD [--port 8080] [--path /]
"""

from __future__ import annotations

import argparse
import sys
import threading
import urllib.request

from kubetyped_kubernetes import Clientset


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").partition("\n")[0])
    parser.add_argument("pod")
    parser.add_argument("--kubeconfig")
    parser.add_argument("--context")
    parser.add_argument("--namespace", default="default")
    parser.add_argument("--container")
    parser.add_argument("--port", type=int, default=8080, help="pod port to forward to")
    parser.add_argument("--path", default="/", help="HTTP path to GET through the forward")
    parser.add_argument("--follow-seconds", type=float, default=3.0)
    args = parser.parse_args(argv)

    with Clientset.from_kubeconfig(args.kubeconfig, context=args.context) as cs:
        pods = cs.core_v1.pods(args.namespace)

        # One-shot exec: output and exit code (a non-zero exit is a result, not an error).
        result = pods.exec(
            args.pod, ["sh", "-c", "echo hello from $(hostname)"], container=args.container
        )
        print(f"exec exit code {result.exit_code}: {result.stdout.decode().strip()}")

        # Interactive exec: stdin, then output as it arrives.
        with pods.stream_exec(
            args.pod, ["sh", "-c", "read line; echo got: $line"], stdin=True
        ) as session:
            session.write_stdin("ping\n")
            for output in session:
                print(output.data.decode(), end="")
            print(f"interactive exit code {session.wait()}")

        # Logs follow: the stream is closed from a timer thread after a few seconds.
        with pods.stream_log(args.pod, container=args.container, tail_lines=5) as lines:
            threading.Timer(args.follow_seconds, lines.close).start()
            for line in lines:
                print(f"log: {line}")

        # Port-forward: a local listener, like `kubectl port-forward POD :PORT`.
        with pods.port_forward(args.pod, args.port) as forward:
            url = f"http://127.0.0.1:{forward.local_port}{args.path}"
            with urllib.request.urlopen(url, timeout=30) as response:
                print(f"GET {args.path} through the pod: {response.status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
