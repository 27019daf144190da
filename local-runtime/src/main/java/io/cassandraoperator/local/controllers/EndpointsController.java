package io.cassandraoperator.local.controllers;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The endpoints controller: for every Service with a selector, an Endpoints object of the same name listing its pods
 * (ready ones as addresses, the others as not-ready addresses, all as addresses with
 * {@code publishNotReadyAddresses}), so {@code kubectl describe service} and {@code kubectl get endpoints} show where a
 * Service leads. The proxy reads pods itself and does not depend on these.
 */
public final class EndpointsController extends ControlLoop {
    private final KubernetesClient client;
    private final ObjectCache cache;

    public EndpointsController(KubernetesClient client, ObjectCache cache) {
        super("endpoints-controller", 1000);
        this.client = client;
        this.cache = cache;
        cache.onChange(this::trigger);
    }

    @Override
    protected void reconcile() {
        for (Service service : cache.services()) {
            Map<String, String> selector = service.getSpec().getSelector();
            if (selector == null || selector.isEmpty()) {
                continue;
            }
            Endpoints desired = endpoints(service, cache.pods());
            Optional<Endpoints> actual = find(service.getMetadata().getNamespace(), service.getMetadata().getName());
            if (actual.isEmpty()) {
                client.endpoints().resource(desired).create();
            } else if (!Objects.equals(actual.get().getSubsets(), desired.getSubsets())) {
                desired.getMetadata().setResourceVersion(actual.get().getMetadata().getResourceVersion());
                client.endpoints().resource(desired).update();
            }
        }
        for (Endpoints e : cache.endpoints()) {
            boolean serviceExists = cache.services().stream().anyMatch(s -> s.getMetadata().getName()
                    .equals(e.getMetadata().getName()) && Objects.equals(s.getMetadata().getNamespace(),
                    e.getMetadata().getNamespace()));
            if (!serviceExists && client.services().inNamespace(e.getMetadata().getNamespace())
                    .withName(e.getMetadata().getName()).get() == null) {
                client.endpoints().resource(e).delete();
            }
        }
    }

    static Endpoints endpoints(Service service, List<Pod> pods) {
        boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
        Map<String, String> selector = service.getSpec().getSelector();
        List<EndpointAddress> ready = new ArrayList<>();
        List<EndpointAddress> notReady = new ArrayList<>();
        Pod anyPod = null;
        for (Pod pod : pods.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList()) {
            if (!Objects.equals(pod.getMetadata().getNamespace(), service.getMetadata().getNamespace())
                    || pod.getMetadata().getLabels() == null
                    || !pod.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())
                    || pod.getStatus() == null || pod.getStatus().getPodIP() == null) {
                continue;
            }
            anyPod = pod;
            EndpointAddress address = new EndpointAddressBuilder().withIp(pod.getStatus().getPodIP())
                    .withNodeName(pod.getSpec().getNodeName()).withNewTargetRef().withKind("Pod")
                    .withNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .withUid(pod.getMetadata().getUid()).endTargetRef().build();
            (publishNotReady || PodReadiness.isRunningAndReady(pod) ? ready : notReady).add(address);
        }
        List<EndpointSubset> subsets = new ArrayList<>();
        if (!ready.isEmpty() || !notReady.isEmpty()) {
            List<EndpointPort> ports = new ArrayList<>();
            for (ServicePort port : service.getSpec().getPorts()) {
                ports.add(new EndpointPortBuilder().withName(port.getName()).withProtocol(port.getProtocol())
                        .withPort(targetPort(port, anyPod)).build());
            }
            subsets.add(new io.fabric8.kubernetes.api.model.EndpointSubsetBuilder().withAddresses(ready)
                    .withNotReadyAddresses(notReady).withPorts(ports).build());
        }
        return new EndpointsBuilder().withNewMetadata().withName(service.getMetadata().getName())
                .withNamespace(service.getMetadata().getNamespace())
                .withLabels(service.getMetadata().getLabels()).endMetadata()
                .withSubsets(subsets).build();
    }

    private static Integer targetPort(ServicePort port, Pod pod) {
        if (port.getTargetPort() == null) {
            return port.getPort();
        }
        if (port.getTargetPort().getIntVal() != null) {
            return port.getTargetPort().getIntVal();
        }
        return pod.getSpec().getContainers().stream()
                .flatMap(c -> c.getPorts() == null ? java.util.stream.Stream.<ContainerPort>empty() : c.getPorts().stream())
                .filter(p -> port.getTargetPort().getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort).findFirst().orElse(port.getPort());
    }

    private Optional<Endpoints> find(String namespace, String name) {
        return cache.endpoints().stream().filter(e -> e.getMetadata().getName().equals(name)
                && Objects.equals(e.getMetadata().getNamespace(), namespace)).findFirst();
    }
}
