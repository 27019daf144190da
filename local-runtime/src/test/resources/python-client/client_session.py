"""The official Kubernetes Python client against a local API server: lists, gets, patches and watches pods and
Clusters. Prints one line per step for PythonClientTest; any failure raises and exits non-zero."""
import sys
import threading

from kubernetes import client, config, watch

NAMESPACE = "default"
GROUP, VERSION, PLURAL = "cassandra.rook.io", "v1alpha1", "clusters"


def watch_for_modified(list_call, list_kwargs, resource_version, name, make_change, show):
    """Watches from the list's resourceVersion, makes a change once the watch is up, and returns the first event:
    it must be the MODIFIED of that change, not a replay of the listed objects."""
    stream = watch.Watch()
    started = threading.Timer(1.0, make_change)
    started.start()
    try:
        for event in stream.stream(list_call, resource_version=resource_version, timeout_seconds=30, **list_kwargs):
            obj = event["object"]
            event_name = obj["metadata"]["name"] if isinstance(obj, dict) else obj.metadata.name
            print(f"{show} watch event {event['type']} {event_name}")
            if event_name == name:
                return event
    finally:
        stream.stop()
        started.cancel()
    raise SystemExit(f"{show}: no event within the watch's timeout")


def main(kubeconfig):
    config.load_kube_config(config_file=kubeconfig)
    core = client.CoreV1Api()
    custom = client.CustomObjectsApi()

    pods = core.list_namespaced_pod(NAMESPACE)
    print("pods listed " + " ".join(sorted(p.metadata.name for p in pods.items)))
    pod = core.read_namespaced_pod("python-pod", NAMESPACE)
    print(f"pod got {pod.metadata.name} image {pod.spec.containers[0].image}")
    patched = core.patch_namespaced_pod("python-pod", NAMESPACE, {"metadata": {"labels": {"patched-by": "python"}}})
    print(f"pod patched label {patched.metadata.labels['patched-by']}")
    pods = core.list_namespaced_pod(NAMESPACE)
    event = watch_for_modified(core.list_namespaced_pod, {"namespace": NAMESPACE}, pods.metadata.resource_version,
                               "python-pod",
                               lambda: core.patch_namespaced_pod("python-pod", NAMESPACE,
                                                                 {"metadata": {"labels": {"step": "watched"}}}),
                               "pod")
    print(f"pod first event {event['type']} label {event['object'].metadata.labels.get('step')}")

    clusters = custom.list_namespaced_custom_object(GROUP, VERSION, NAMESPACE, PLURAL)
    print("clusters listed " + " ".join(sorted(c["metadata"]["name"] for c in clusters["items"])))
    cluster = custom.get_namespaced_custom_object(GROUP, VERSION, NAMESPACE, PLURAL, "cassandra")
    print(f"cluster got {cluster['metadata']['name']} version {cluster['spec']['version']}")
    patched = custom.patch_namespaced_custom_object(GROUP, VERSION, NAMESPACE, PLURAL, "cassandra",
                                                    {"metadata": {"labels": {"patched-by": "python"}}})
    print(f"cluster patched label {patched['metadata']['labels']['patched-by']}")
    clusters = custom.list_namespaced_custom_object(GROUP, VERSION, NAMESPACE, PLURAL)
    event = watch_for_modified(custom.list_namespaced_custom_object,
                               {"group": GROUP, "version": VERSION, "namespace": NAMESPACE, "plural": PLURAL},
                               clusters["metadata"]["resourceVersion"], "cassandra",
                               lambda: custom.patch_namespaced_custom_object(
                                   GROUP, VERSION, NAMESPACE, PLURAL, "cassandra",
                                   {"metadata": {"labels": {"step": "watched"}}}),
                               "cluster")
    print(f"cluster first event {event['type']} label {event['object']['metadata']['labels'].get('step')}")


if __name__ == "__main__":
    main(sys.argv[1])
