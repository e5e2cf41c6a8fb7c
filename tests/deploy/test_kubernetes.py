"""The Kubernetes manifests, checked offline: built with kustomize (kubectl's, when this machine
has kubectl; else every file the kustomization lists), each object validated strictly against
the Kubernetes schemas by kubernetes-validate, and their settings checked against gunicorn's."""
from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache

import kubernetes_validate
import pytest
import yaml

from tests.deploy.test_container_files import ROOT, _gunicorn_settings

FOLDER = ROOT / "deploy" / "kubernetes"
# The oldest Kubernetes release the README names (and the validator knows), and the newest
# the validator knows: the manifests must hold on both.
VERSIONS = ("1.25.0", kubernetes_validate.latest_version())


def _kustomization() -> dict:
    return yaml.safe_load((FOLDER / "kustomization.yaml").read_text())


@lru_cache(maxsize=1)
def built() -> tuple[str, list[dict]]:
    """The objects `kubectl apply -k` would send, and how they were obtained."""
    kubectl = shutil.which("kubectl")
    if kubectl:
        run = subprocess.run([kubectl, "kustomize", str(FOLDER)], capture_output=True,
                             text=True, timeout=120)
        if run.returncode == 0:
            return "kustomize", [d for d in yaml.safe_load_all(run.stdout) if d]
        if "unknown command" not in run.stderr:
            raise AssertionError(f"kustomize build failed: {run.stderr}")
    return "files", from_files()


def from_files() -> list[dict]:
    """No kustomize: each listed file as it is, with the kustomization's namespace."""
    kustomization = _kustomization()
    objects = []
    for name in kustomization["resources"]:
        for document in yaml.safe_load_all((FOLDER / name).read_text()):
            if document:
                document["metadata"].setdefault("namespace", kustomization["namespace"])
                objects.append(document)
    return objects


def objects_of(kind: str) -> list[dict]:
    return [o for o in built()[1] if o["kind"] == kind]


def the(kind: str, name: str = "advisor") -> dict:
    return next(o for o in objects_of(kind) if o["metadata"]["name"] == name)


def advisor_container() -> dict:
    return the("Deployment")["spec"]["template"]["spec"]["containers"][0]


def test_every_listed_file_exists_and_nothing_is_left_out():
    listed = set(_kustomization()["resources"])
    present = {p.name for p in FOLDER.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == present


@pytest.mark.parametrize("version", VERSIONS)
def test_every_object_validates_strictly(version):
    objects = built()[1]
    assert {o["kind"] for o in objects} == {
        "ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget",
        "NetworkPolicy"}
    for document in objects:
        try:
            kubernetes_validate.validate(document, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            raise AssertionError(f"{document['kind']}/{document['metadata']['name']}: "
                                 f"{error.message} at {list(error.path)}") from None


def test_a_misspelt_field_is_caught():
    # The check above can fail: strict mode refuses a field the schema does not know.
    deployment = yaml.safe_load(yaml.safe_dump(the("Deployment")))
    deployment["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, VERSIONS[-1], strict=True)


def test_the_build_uses_kustomize_when_this_machine_has_it():
    how, objects = built()
    assert all(o["metadata"]["namespace"] == "lm-network-advisor" for o in objects)
    if how == "kustomize":
        image = advisor_container()["image"]
        wanted = _kustomization()["images"][0]
        assert image == f"{wanted['newName']}:{wanted['newTag']}"
        # The file-by-file fallback sees the same objects.
        names = lambda docs: sorted((d["kind"], d["metadata"]["name"]) for d in docs)  # noqa: E731
        assert names(objects) == names(from_files())


def test_probes_point_at_health_readiness_and_startup():
    container = advisor_container()
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["startupProbe"]["httpGet"]["path"] == "/healthz"
    # A loaded, healthy pod is not restarted: /healthz may wait up to the compute deadline for
    # a free worker, and liveness gives up only after several times that.
    liveness = container["livenessProbe"]
    deadline = float(the("ConfigMap", "advisor-config")["data"]["REQUEST_DEADLINE_SECONDS"])
    assert liveness["periodSeconds"] * liveness["failureThreshold"] >= 2 * deadline


def test_workers_follow_the_cpu_limit_and_resources_are_bounded():
    container = advisor_container()
    workers = next(e for e in container["env"] if e["name"] == "WEB_CONCURRENCY")
    field = workers["valueFrom"]["resourceFieldRef"]
    assert field["resource"] == "limits.cpu" and field["containerName"] == container["name"]
    for part in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(container["resources"][part])


def test_the_pod_is_locked_down():
    pod = the("Deployment")["spec"]["template"]["spec"]
    container = advisor_container()
    security = container["securityContext"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    assert pod["automountServiceAccountToken"] is False
    # With a read-only root, every place the service writes is an emptyDir.
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert "emptyDir" in volumes["tmp"] and mounts["tmp"] == "/tmp"
    assert "emptyDir" in volumes["metrics"]
    assert env["PROMETHEUS_MULTIPROC_DIR"].startswith(mounts["metrics"] + "/")


def test_termination_grace_outlasts_prestop_and_gunicorns_drain():
    pod = the("Deployment")["spec"]["template"]["spec"]
    container = advisor_container()
    config = the("ConfigMap", "advisor-config")["data"]
    command = container["lifecycle"]["preStop"]["exec"]["command"]
    assert command[0] == "sleep"
    pause = int(command[1])
    # gunicorn's effective graceful timeout under the pod's settings.
    graceful = int(_gunicorn_settings(
        REQUEST_DEADLINE_SECONDS=config["REQUEST_DEADLINE_SECONDS"],
        GRACEFUL_TIMEOUT=config["GRACEFUL_TIMEOUT"])["graceful_timeout"])
    assert pod["terminationGracePeriodSeconds"] > pause + graceful


def test_the_cache_signing_key_comes_from_a_secret():
    # Pods with keys of their own would each reject (and delete) the others' Redis entries.
    container = advisor_container()
    key = next(e for e in container["env"] if e["name"] == "CACHE_SIGNING_KEY")
    assert key["valueFrom"]["secretKeyRef"]["name"] == "advisor-secrets"
    assert "optional" not in key["valueFrom"]["secretKeyRef"]


def test_service_hpa_pdb_and_policies_select_the_pods():
    deployment = the("Deployment")
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    selects = lambda selector: all(labels.get(k) == v for k, v in selector.items())  # noqa: E731
    assert selects(the("Service")["spec"]["selector"])
    assert the("Service")["spec"]["ports"][0]["targetPort"] == "http"
    assert selects(the("PodDisruptionBudget")["spec"]["selector"]["matchLabels"])
    assert selects(the("NetworkPolicy")["spec"]["podSelector"]["matchLabels"])
    target = the("HorizontalPodAutoscaler")["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", "advisor")
    hpa = the("HorizontalPodAutoscaler")["spec"]
    assert hpa["minReplicas"] >= 2 and hpa["maxReplicas"] > hpa["minReplicas"]
    assert the("PodDisruptionBudget")["spec"]["minAvailable"] < hpa["minReplicas"]


def test_the_quick_start_redis_is_there_and_reached_by_redis_url():
    redis = the("Service", "redis")
    url = the("ConfigMap", "advisor-config")["data"]["REDIS_URL"]
    assert url.startswith(f"redis://{redis['metadata']['name']}:{redis['spec']['ports'][0]['port']}/")
    readme = (ROOT / "README.md").read_text()
    assert "Sentinel" in readme and "managed" in readme


def test_every_configmap_setting_is_documented():
    readme = (ROOT / "README.md").read_text()
    for name in the("ConfigMap", "advisor-config")["data"]:
        assert f"| `{name}` |" in readme, name


def test_the_readmes_ingress_example_validates_and_reaches_the_service():
    readme = (ROOT / "README.md").read_text()
    block = readme.split("**4. Expose it**", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    ingress = yaml.safe_load(block)
    kubernetes_validate.validate(ingress, VERSIONS[-1], strict=True)
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    service = the("Service")
    assert backend["name"] == service["metadata"]["name"]
    assert backend["port"]["name"] == service["spec"]["ports"][0]["name"]
    assert ingress["metadata"]["namespace"] == _kustomization()["namespace"]


def test_the_autoscaler_alone_owns_the_replica_count():
    # A count in the Deployment would reset the autoscaler's on every `kubectl apply`.
    assert "replicas" not in the("Deployment")["spec"]
