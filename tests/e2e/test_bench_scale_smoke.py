"""The informer scale benchmark's harness runs (`make bench`, section "scale"; issue 16).

A tiny run of the real machinery against the test cluster: populate, one kubetyped consumer in
its own process, churn, and the protocol lines it answers with. No figures are checked (this is
not a performance test), only that every phase completes and counts what it should.
"""

from __future__ import annotations

from benchmarks import bench_scale
from benchmarks.common import PYTHON
from tests.cluster import ClusterInfo

SIZE = 20
CHURN = 7


def test_scale_harness_measures_a_kubetyped_informer(cluster: ClusterInfo) -> None:
    bench_scale.populate(cluster, "ConfigMap", SIZE)
    argv = [
        PYTHON,
        "-m",
        "benchmarks.scale_child",
        "kubetyped",
        "ConfigMap",
        bench_scale.NAMESPACES["ConfigMap"],
        str(cluster.kubeconfig_path),
        str(SIZE),
    ]
    result = bench_scale.measure(cluster, "ConfigMap", SIZE, argv, CHURN, "smoke")
    assert result.failure == ""
    assert result.objects == SIZE
    assert result.sync_seconds is not None and result.sync_seconds > 0
    assert result.rss is not None and result.rss_base is not None and result.rss > 0
    assert result.events == CHURN and result.churn_seconds is not None


def test_scale_sizes_parse() -> None:
    assert bench_scale.parse_sizes("ConfigMap=300,100;Pod=50") == {
        "ConfigMap": [100, 300],
        "Pod": [50],
    }
    assert bench_scale.parse_sizes("full") == bench_scale.FULL_SIZES
    assert bench_scale._plan({"ConfigMap": [10, 50], "Pod": [10]}) == [
        ("ConfigMap", 10),
        ("Pod", 10),
        ("ConfigMap", 50),
    ]
