package io.cassandraoperator.bench;

import io.cassandraoperator.api.Cluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Kubernetes a control-plane benchmark needs and nothing more, in its own JVM so the operator's heap is measured
 * alone: fabric8's CRUD mock API server on 127.0.0.1, a Service IP allocator, and a StatefulSet controller whose pods
 * are Ready the moment they exist (a fake kubelet: no Cassandra). Informer-driven, so it keeps up with 1000 clusters.
 * Argument: the file to write the API URL into once it serves.
 */
public final class SimulatedKubernetes {
    private static final String NAMESPACE = "default";

    private final KubernetesClient client;
    private final BlockingQueue<String> dirtyStatefulSets = new LinkedBlockingQueue<>();
    private final AtomicInteger nextAddress = new AtomicInteger();
    private SharedIndexInformer<StatefulSet> statefulSets;
    private SharedIndexInformer<Pod> pods;

    private SimulatedKubernetes(KubernetesClient client) {
        this.client = client;
    }

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesMixedDispatcher(new HashMap<>()), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        KubernetesClient client = server.createClient();
        try (InputStream crd = Cluster.class.getResourceAsStream("/META-INF/fabric8/" + Cluster.CRD_NAME + "-v1.yml")) {
            client.apiextensions().v1().customResourceDefinitions().load(crd).create();
        }
        new SimulatedKubernetes(client).start();
        Thread discardRecorded = new Thread(() -> {
            // The mock keeps every request for takeRequest(); drop them or a long run fills this JVM's heap.
            while (true) {
                try {
                    server.takeRequest(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "discard-recorded-requests");
        discardRecorded.setDaemon(true);
        discardRecorded.start();
        Files.writeString(Path.of(args[0]), "http://127.0.0.1:" + server.getPort());
        Thread.currentThread().join();
    }

    private void start() {
        client.services().inNamespace(NAMESPACE).inform(handler(this::allocateAddress));
        statefulSets = client.apps().statefulSets().inNamespace(NAMESPACE).inform(handler(s -> dirtyStatefulSets.add(s.getMetadata().getName())));
        pods = client.pods().inNamespace(NAMESPACE).inform(handler(p -> {
            String owner = p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get("statefulset-name");
            if (owner != null) {
                dirtyStatefulSets.add(owner);
            }
        }));
        Thread controller = new Thread(this::runStatefulSets, "statefulset-controller");
        controller.setDaemon(true);
        controller.start();
    }

    private void allocateAddress(Service service) {
        if (service.getSpec().getClusterIP() == null) {
            int n = nextAddress.incrementAndGet();
            // Addresses are labels here: no traffic goes to them.
            String ip = "127.2" + "." + (n / 250) % 250 + "." + (n % 250 + 1);
            client.services().inNamespace(NAMESPACE).withName(service.getMetadata().getName())
                    .edit(s -> {
                        s.getSpec().setClusterIP(ip);
                        s.getSpec().setClusterIPs(List.of(ip));
                        return s;
                    });
        }
    }

    /** OrderedReady: one missing pod at a time, created Ready; pods above the replicas go, highest first. */
    private void runStatefulSets() {
        while (true) {
            String name;
            try {
                name = dirtyStatefulSets.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                StatefulSet set = statefulSets.getStore().getByKey(NAMESPACE + "/" + name);
                if (set != null) {
                    reconcile(set);
                }
            } catch (RuntimeException e) {
                dirtyStatefulSets.add(name);
            }
        }
    }

    private void reconcile(StatefulSet set) {
        String name = set.getMetadata().getName();
        int replicas = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
        int existing = 0;
        while (pods.getStore().getByKey(NAMESPACE + "/" + name + "-" + existing) != null) {
            existing++;
        }
        if (existing < replicas) {
            createReadyPod(set, existing);
        } else if (existing > replicas) {
            client.pods().inNamespace(NAMESPACE).withName(name + "-" + (existing - 1)).withGracePeriod(0).delete();
        }
        // Counted before this round's create or delete: the pod event it causes brings the count up to date.
        int current = existing;
        if (set.getStatus() == null || set.getStatus().getReplicas() == null || set.getStatus().getReplicas() != current) {
            client.apps().statefulSets().inNamespace(NAMESPACE).withName(name).editStatus(s -> {
                s.setStatus(new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder()
                        .withReplicas(current).withReadyReplicas(current).withCurrentReplicas(current)
                        .withUpdatedReplicas(current).withAvailableReplicas(current)
                        .withObservedGeneration(set.getMetadata().getGeneration()).build());
                return s;
            });
        }
    }

    private void createReadyPod(StatefulSet set, int ordinal) {
        String podName = set.getMetadata().getName() + "-" + ordinal;
        Map<String, String> labels = new HashMap<>(set.getSpec().getTemplate().getMetadata().getLabels());
        labels.put("statefulset.kubernetes.io/pod-name", podName);
        labels.put("statefulset-name", set.getMetadata().getName());
        int n = nextAddress.incrementAndGet();
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(podName).withNamespace(NAMESPACE).withLabels(labels).endMetadata()
                .withSpec(set.getSpec().getTemplate().getSpec())
                .build();
        client.pods().inNamespace(NAMESPACE).resource(pod).create();
        client.pods().inNamespace(NAMESPACE).withName(podName).editStatus(p -> {
            p.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running")
                    .withPodIP("127.1." + (n / 250) % 250 + "." + (n % 250 + 1))
                    .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build()).build());
            return p;
        });
    }

    private static <T> ResourceEventHandler<T> handler(java.util.function.Consumer<T> onChange) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                onChange.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onChange.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                onChange.accept(obj);
            }
        };
    }
}
