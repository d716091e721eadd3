"""The test cluster itself: version, users and the namespace fixture."""

from __future__ import annotations

from tests.cluster import ClusterInfo


def test_server_reports_the_pinned_version(cluster: ClusterInfo) -> None:
    with cluster.http("admin") as http:
        version = http.get("/version").json()
    assert (version["gitVersion"], version["major"], version["minor"]) == ("v1.36.3", "1", "36")


def test_test_users_authenticate_with_their_own_identity(cluster: ClusterInfo) -> None:
    review = {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"}
    seen = {}
    for user in ("admin", "admin-token", "alice"):
        with cluster.http(user) as http:
            response = http.post("/apis/authentication.k8s.io/v1/selfsubjectreviews", json=review)
        assert response.status_code == 201, response.text
        seen[user] = response.json()["status"]["userInfo"]
    assert seen["admin"]["username"] == "kubetyped-admin"
    assert "system:masters" in seen["admin"]["groups"]
    assert seen["admin-token"]["username"] == "admin-token"
    assert "system:masters" in seen["admin-token"]["groups"]
    assert seen["alice"]["username"] == "alice"
    assert "system:masters" not in seen["alice"].get("groups", [])


def test_namespace_fixture_gives_an_active_namespace(cluster: ClusterInfo, namespace: str) -> None:
    with cluster.http("admin") as http:
        got = http.get(f"/api/v1/namespaces/{namespace}").json()
    assert got["status"]["phase"] == "Active"
