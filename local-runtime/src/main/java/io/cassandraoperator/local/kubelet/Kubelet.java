package io.cassandraoperator.local.kubelet;

import io.cassandraoperator.local.apiserver.PodExecSource;
import io.cassandraoperator.local.network.LoopbackAddressPool;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kubelet of every simulated node: runs each pod that is bound to a node ({@code spec.nodeName} set) as processes of
 * this machine, one {@link PodWorker} thread per pod UID.
 */
public final class Kubelet implements PodExecSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Kubelet.class);

    private final KubernetesClient client;
    private final ImageCatalog images;
    private final LoopbackAddressPool addresses;
    private final KubeletSettings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Map<String, PodWorker> workers = new ConcurrentHashMap<>();
    private final Map<String, Thread> threads = new ConcurrentHashMap<>();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private volatile boolean closing;
    private ObjectLookup objects;
    private ContainerIsolation isolation;
    private ImageStaging staging;

    public Kubelet(KubernetesClient client, ImageCatalog images, LoopbackAddressPool addresses,
                   KubeletSettings settings) {
        this.client = client;
        this.images = images;
        this.addresses = addresses;
        this.settings = settings;
    }

    /** Starts watching; returns once the caches are filled. */
    public Kubelet start() {
        isolation = ContainerIsolation.detect(settings.stateDirectory());
        staging = new ImageStaging(settings.stateDirectory());
        var configMaps = track(client.configMaps().inAnyNamespace().inform());
        var secrets = track(client.secrets().inAnyNamespace().inform());
        var claims = track(client.persistentVolumeClaims().inAnyNamespace().inform());
        var volumes = track(client.persistentVolumes().inform());
        objects = new ObjectLookup() {
            @Override
            public ConfigMap configMap(String namespace, String name) {
                return configMaps.getStore().getByKey(namespace + "/" + name);
            }

            @Override
            public Secret secret(String namespace, String name) {
                return secrets.getStore().getByKey(namespace + "/" + name);
            }

            @Override
            public PersistentVolumeClaim claim(String namespace, String name) {
                return claims.getStore().getByKey(namespace + "/" + name);
            }

            @Override
            public PersistentVolume volume(String name) {
                return volumes.getStore().getByKey(name);
            }
        };
        track(client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                podChanged(pod);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod pod) {
                podChanged(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                PodWorker worker = workers.get(pod.getMetadata().getUid());
                if (worker != null) {
                    worker.gone();
                }
            }
        }, 0));
        LOG.info("kubelet started; pods run under {}", settings.stateDirectory().resolve("pods"));
        return this;
    }

    private <T> SharedIndexInformer<T> track(SharedIndexInformer<T> informer) {
        informers.add(informer);
        return informer;
    }

    private synchronized void podChanged(Pod pod) {
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (node == null || node.isEmpty()) {
            return;
        }
        String uid = pod.getMetadata().getUid();
        PodWorker existing = workers.get(uid);
        if (existing != null) {
            existing.update(pod);
            return;
        }
        if (closing) {
            return;
        }
        PodWorker worker = new PodWorker(pod, client, objects, images, addresses, settings, http, isolation, staging);
        workers.put(uid, worker);
        Thread thread = new Thread(() -> {
            try {
                worker.run();
            } finally {
                workers.remove(uid);
                threads.remove(uid);
            }
        }, "pod-" + pod.getMetadata().getNamespace() + "-" + pod.getMetadata().getName());
        threads.put(uid, thread);
        LOG.info("pod {} is bound to {}: running it", worker.describe(), node);
        thread.start();
    }

    /** Failure injection: kills the pod's containers (SIGKILL of each process tree); they restart as after a crash. */
    public boolean killPod(String namespace, String name) {
        boolean found = false;
        for (PodWorker worker : workers.values()) {
            if (worker.describe().equals(namespace + "/" + name)) {
                worker.killContainers();
                found = true;
            }
        }
        return found;
    }

    @Override
    public Process start(String namespace, String pod, String container, List<String> command, boolean stdin)
            throws IOException {
        // A deleted pod's worker may still be stopping beside its successor of the same name: the running one answers.
        for (PodWorker worker : workers.values()) {
            if (worker.describe().equals(namespace + "/" + pod) && worker.running(container)) {
                return worker.exec(container, command, stdin);
            }
        }
        throw new IllegalStateException("container " + container + " of pod " + namespace + "/" + pod
                + " is not running on this kubelet");
    }

    public ContainerLogs logs() {
        return new ContainerLogs(settings);
    }

    /** Stops every pod's containers gracefully (each within its grace period, in parallel); pods stay in the API. */
    @Override
    public void close() {
        synchronized (this) {
            closing = true;
        }
        LOG.info("kubelet stopping {} pod(s)", workers.size());
        workers.values().forEach(PodWorker::shutdown);
        for (Thread thread : List.copyOf(threads.values())) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        informers.forEach(SharedIndexInformer::close);
        LOG.info("kubelet stopped");
    }
}
