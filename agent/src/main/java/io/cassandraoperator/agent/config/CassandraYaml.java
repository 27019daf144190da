package io.cassandraoperator.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.cassandraoperator.api.Contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The member's {@code cassandra.yaml}: the operator's settings, with the rack's user overrides merged on top. */
final class CassandraYaml {

    /**
     * Keys that make up the member's identity and where its data lives. A user value for one of them would detach the
     * member from its address, its seeds, its Services' ports or its data volume, so it is ignored (and logged).
     */
    public static final Set<String> OWNED_KEYS = Set.of(
            "cluster_name", "partitioner", "endpoint_snitch", "seed_provider",
            "listen_address", "listen_interface", "rpc_address", "rpc_interface",
            "broadcast_address", "broadcast_rpc_address",
            "storage_port", "native_transport_port",
            "data_file_directories", "commitlog_directory", "saved_caches_directory", "hints_directory",
            "cdc_raw_directory");

    public static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());

    private CassandraYaml() {
    }

    /** The settings the operator decides, before user overrides. */
    public static ObjectNode desired(String clusterName, String listenAddress, String broadcastAddress, List<String> seeds,
                                     Path dataDir) {
        ObjectNode yaml = MAPPER.createObjectNode();
        yaml.put("cluster_name", clusterName);
        // 16 tokens with allocation for RF 3 is Cassandra 4+'s recommended default: even ownership with few vnodes.
        yaml.put("num_tokens", 16);
        yaml.put("allocate_tokens_for_local_replication_factor", 3);
        yaml.put("partitioner", "org.apache.cassandra.dht.Murmur3Partitioner");
        ObjectNode seedProvider = yaml.putArray("seed_provider").addObject();
        seedProvider.put("class_name", "org.apache.cassandra.locator.SimpleSeedProvider");
        seedProvider.putArray("parameters").addObject()
                .put("seeds", String.join(",", seeds));
        yaml.put("listen_address", listenAddress);
        yaml.put("rpc_address", listenAddress);
        // The member Service's ClusterIP: the address survives pod restarts, rescheduling and replacement.
        yaml.put("broadcast_address", broadcastAddress);
        yaml.put("broadcast_rpc_address", broadcastAddress);
        yaml.put("endpoint_snitch", "GossipingPropertyFileSnitch");
        yaml.put("storage_port", Contract.Ports.INTRA_NODE);
        yaml.put("native_transport_port", Contract.Ports.CQL);
        yaml.putArray("data_file_directories").add(dataDir.resolve("data").toString());
        yaml.put("commitlog_directory", dataDir.resolve("commitlog").toString());
        yaml.put("saved_caches_directory", dataDir.resolve("saved_caches").toString());
        yaml.put("hints_directory", dataDir.resolve("hints").toString());
        yaml.put("cdc_raw_directory", dataDir.resolve("cdc_raw").toString());
        yaml.put("commitlog_sync", "periodic");
        yaml.put("commitlog_sync_period", "10000ms");
        return yaml;
    }

    /**
     * CQL on {@code cql} only (a loopback address and port): nothing outside the pod reaches it. Both RPC addresses,
     * since Cassandra would otherwise gossip the pod's address as where its clients connect.
     */
    static void nativeTransportOnly(ObjectNode yaml, InetSocketAddress cql) {
        yaml.put("rpc_address", cql.getAddress().getHostAddress());
        yaml.put("broadcast_rpc_address", cql.getAddress().getHostAddress());
        yaml.put("native_transport_port", cql.getPort());
    }

    /**
     * Cassandra's own password authentication and role-based authorization, for a member whose pod has the superuser
     * Secret. Not owned keys: a rack's user cassandra.yaml may still choose another authenticator.
     */
    public static void passwordAuthentication(ObjectNode yaml) {
        yaml.put("authenticator", "PasswordAuthenticator");
        yaml.put("authorizer", "CassandraAuthorizer");
        yaml.put("role_manager", "CassandraRoleManager");
    }

    /**
     * Internode mutual TLS (every connection, each end's certificate checked against the cluster CA, so a node
     * without one cannot gossip, join or receive a stream) and client TLS, required unless {@code clientOptional};
     * TLS 1.2 and 1.3 only, PEM files through Cassandra 5.0's {@code PEMBasedSslContextFactory}. Endpoint
     * verification stays off: an inbound connection comes from a pod address, not the ClusterIP the certificate names.
     */
    public static void encryption(ObjectNode yaml, Path keystore, Path truststore, boolean clientOptional) {
        ObjectNode server = yaml.putObject("server_encryption_options");
        server.put("internode_encryption", "all");
        pemFiles(server, keystore, truststore);
        server.put("outbound_keystore", keystore.toString());
        server.put("require_client_auth", true);
        server.put("require_endpoint_verification", false);
        server.put("optional", false);
        ObjectNode client = yaml.putObject("client_encryption_options");
        client.put("enabled", true);
        client.put("optional", clientOptional);
        pemFiles(client, keystore, truststore);
        client.put("require_client_auth", false);
    }

    private static void pemFiles(ObjectNode options, Path keystore, Path truststore) {
        options.putObject("ssl_context_factory").put("class_name", "org.apache.cassandra.security.PEMBasedSslContextFactory");
        options.put("keystore", keystore.toString());
        options.put("truststore", truststore.toString());
        options.putArray("accepted_protocols").add("TLSv1.2").add("TLSv1.3");
    }

    /**
     * Deep-merges the user's overrides into {@code base}: maps merge key by key, anything else (lists included) is
     * replaced. Returns the keys of {@link #OWNED_KEYS} the user tried to set; those keep the operator's value.
     */
    public static List<String> mergeUserOverrides(ObjectNode base, JsonNode overrides) {
        List<String> ignored = new ArrayList<>();
        if (overrides == null || overrides.isNull() || overrides.isMissingNode()) {
            return ignored;
        }
        if (!overrides.isObject()) {
            throw new IllegalArgumentException("user cassandra.yaml must be a map of settings, not " + overrides.getNodeType());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = overrides.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (OWNED_KEYS.contains(field.getKey())) {
                ignored.add(field.getKey());
            } else {
                deepMerge(base, field.getKey(), field.getValue());
            }
        }
        return ignored;
    }

    private static void deepMerge(ObjectNode target, String key, JsonNode value) {
        JsonNode existing = target.get(key);
        if (existing instanceof ObjectNode existingObject && value.isObject()) {
            value.fields().forEachRemaining(field -> deepMerge(existingObject, field.getKey(), field.getValue()));
        } else {
            target.set(key, value.deepCopy());
        }
    }

    public static JsonNode parse(String yaml) {
        try {
            return MAPPER.readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException("user cassandra.yaml is not valid YAML: " + e.getMessage(), e);
        }
    }

    public static String write(ObjectNode yaml) {
        try {
            return MAPPER.writeValueAsString(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
