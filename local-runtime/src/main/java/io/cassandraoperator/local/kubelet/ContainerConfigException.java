package io.cassandraoperator.local.kubelet;

/** A container cannot be configured yet (a referenced key or object is missing): kubelet's CreateContainerConfigError. */
final class ContainerConfigException extends Exception {
    ContainerConfigException(String message) {
        super(message);
    }
}
