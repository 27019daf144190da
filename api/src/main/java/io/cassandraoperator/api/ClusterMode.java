package io.cassandraoperator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Rook's two modes; {@code scylla} stays in the type so Rook manifests parse, and is refused with a message. */
public enum ClusterMode {
    @JsonProperty("cassandra") CASSANDRA,
    @JsonProperty("scylla") SCYLLA
}
