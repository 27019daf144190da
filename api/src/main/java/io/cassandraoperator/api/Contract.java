package io.cassandraoperator.api;

/**
 * The contract between the operator, the member agent and the runtime: every label, annotation, environment variable,
 * path and port that more than one of them reads or writes. Changing a value here changes the wire format between
 * released components, so values only ever get added.
 */
public final class Contract {
    private Contract() {
    }

    /** Labels on every object the operator creates (Rook's keys, so Rook-era selectors keep working). */
    public static final class Labels {
        public static final String CLUSTER = "cassandra.rook.io/cluster";
        public static final String DATACENTER = "cassandra.rook.io/datacenter";
        public static final String RACK = "cassandra.rook.io/rack";
        /** On member Services (and their Pods): marks the members chosen as seeds; value "true". */
        public static final String SEED = "cassandra.rook.io/seed";
        /**
         * On a member Service: the record of a decommission. Absent: none wanted. {@code "false"}: the operator wants this
         * member to leave the ring and has not yet seen it leave. {@code "true"}: Cassandra reported the member
         * DECOMMISSIONED; only then may its Pod, Service and claim go. Rook's key and values.
         */
        public static final String DECOMMISSIONED = "cassandra.rook.io/decommissioned";
        /** On a member Service, set by a user (any value): replace this member on an empty disk, keeping its address. */
        public static final String REPLACE = "cassandra.rook.io/replace";
        /** Set by the StatefulSet controller on each Pod; the member Service selects its Pod with it. */
        public static final String POD_NAME = "statefulset.kubernetes.io/pod-name";
        /** Set by the StatefulSet controller on each Pod: the revision of the template the pod was made from. */
        public static final String REVISION = "controller-revision-hash";
        public static final String APP_NAME = "app.kubernetes.io/name";
        public static final String APP_NAME_VALUE = "cassandra";
        public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
        public static final String MANAGED_BY_VALUE = "cassandra-operator";

        private Labels() {
        }
    }

    /** Leader election among operator replicas (deploy/'s Role grants the Lease verbs; the local runtime's status shows its holder). */
    public static final class Leadership {
        /** The Lease the replicas compete for, in the operator's own namespace. */
        public static final String LEASE_NAME = "cassandra-operator";

        private Leadership() {
        }
    }

    /** Finalizers the operator puts on a Cluster. */
    public static final class Finalizers {
        /**
         * On a Cluster with {@code persistentVolumeClaimRetentionPolicy.whenDeleted: Delete} only: the operator deletes
         * the members' claims, then their Services and the Secrets, once the pods are gone, and then removes it. A
         * Cluster that retains its claims carries no finalizer, so its deletion never waits for the operator.
         */
        public static final String DELETE_DATA = "cassandra.rook.io/delete-data";

        private Finalizers() {
        }
    }

    /**
     * Annotations: records of progress and of messages a user should read. The member-Service records are the
     * operator's memory of every multi-step operation: each is written before the step that depends on it, so an
     * operator restarted between two steps resumes from them (docs/architecture.md).
     */
    public static final class Annotations {
        /** On a member Service: Cassandra's own message when its decommission failed. */
        public static final String DECOMMISSION_FAILURE = "cassandra.rook.io/decommission-failure";
        /**
         * A digest of the failure the operator recorded last: kept when a user (or a retry) removes
         * {@link #DECOMMISSION_FAILURE}, so the agent's same FAILED is known for a run to start again, not a new failure.
         */
        public static final String DECOMMISSION_FAILURE_SEEN = "cassandra.rook.io/decommission-failure-seen";
        /** How often the operator retried this member's decommission after a failed stream (ScalePlan): bounded. */
        public static final String DECOMMISSION_RETRIES = "cassandra.rook.io/decommission-retries";
        /**
         * On a member Service, written with the decommission intent: when this attempt started (epoch seconds), so that
         * the Events of a second attempt after a cancelled one are told from the first's.
         */
        public static final String DECOMMISSION_STARTED = "cassandra.rook.io/decommission-started";
        /**
         * On a member Service, written with {@link Labels#DECOMMISSIONED}{@code =true} when the member's own agent
         * reported its decommission DONE: the Service's UID at that moment. Only a label with this record, on the Service
         * it names, lets the member's pod, claim and Service go; a label copied, set by hand, or restored from a backup
         * (which gives the Service a new UID) removes nothing until the agent confirms.
         */
        public static final String DECOMMISSION_CONFIRMED = "cassandra.rook.io/decommission-confirmed";
        /** On a member Service: the id of the cleanup run it owes since a scale-out (written before the new member starts). */
        public static final String CLEANUP_RUN = "cassandra.rook.io/cleanup-run";
        /** On a member Service: the id of the cleanup run the agent was asked for (written before it is asked). */
        public static final String CLEANUP_STARTED = "cassandra.rook.io/cleanup-started";
        /** On a member Service: Cassandra's message when its cleanup failed; not retried until a user removes it. */
        public static final String CLEANUP_FAILURE = "cassandra.rook.io/cleanup-failure";
        /** On a member Service: why the member is being replaced on an empty disk; present while the replacement runs. */
        public static final String REPLACE_CAUSE = "cassandra.rook.io/replace-cause";
        /** On a member Service: comma-separated UIDs of the claims the replacement gives up. */
        public static final String REPLACE_CLAIMS = "cassandra.rook.io/replace-claims";
        /** On a member Service: UID of the pod that ran on the given-up claims (empty when there was none). */
        public static final String REPLACE_POD = "cassandra.rook.io/replace-pod";
        /** On a member Service: the id of the repair run a replacement owes once the member is back. */
        public static final String REPAIR_RUN = "cassandra.rook.io/repair-run";
        /**
         * On a member Service: when the operator first saw, and confirmed by a live read, that no Node satisfies the node
         * affinity of the member's host-pinned volume (an ISO-8601 instant). The grace period
         * ({@code spec.nodeLoss.gracePeriod}) runs from it; removed when the Node comes back or the replacement starts.
         */
        public static final String NODE_ABSENT_SINCE = "cassandra.rook.io/node-absent-since";
        /** On a member Service: Cassandra's message when the repair after its replacement failed. */
        public static final String REPAIR_FAILURE = "cassandra.rook.io/repair-failure";
        /**
         * On a member Service: why the bootstrap of this member is abandoned (a stream source is lost, or the spec no
         * longer wants it). Written, with {@link #BOOTSTRAP_ABANDON_POD} and {@link #BOOTSTRAP_ABANDON_CLAIMS}, only after
         * its own agent reported that Cassandra never reached NORMAL on its volume; from then on the member is stopped,
         * its claims deleted and, once the ring forgot its address, its Service too (which removes these records).
         */
        public static final String BOOTSTRAP_ABANDON_CAUSE = "cassandra.rook.io/bootstrap-abandon-cause";
        /** On a member Service: UID of the pod whose agent reported the volume never joined (the one that is stopped). */
        public static final String BOOTSTRAP_ABANDON_POD = "cassandra.rook.io/bootstrap-abandon-pod";
        /** On a member Service: comma-separated UIDs of the claims an abandoned bootstrap empties (deleted by UID). */
        public static final String BOOTSTRAP_ABANDON_CLAIMS = "cassandra.rook.io/bootstrap-abandon-claims";
        /** On a child object: the hash of the desired state it was last written from (unchanged hash: no write). */
        public static final String DESIRED_HASH = "cassandra.rook.io/desired-hash";
        /** On a rack's StatefulSet: the Cassandra version its pods were created for (downgrades are refused). */
        public static final String VERSION = "cassandra.rook.io/version";
        /**
         * On a rack's pod template: a digest of the rack's {@code configMapName} ConfigMap without its
         * {@link UserConfig#JVM_OPTIONS} key ("none" without one): the template changes, and the rack rolls, when its
         * contents do.
         */
        public static final String CONFIG_HASH = "cassandra.rook.io/config-hash";
        /** On a rack's pod template: a digest of the {@link UserConfig#JVM_OPTIONS} key of the rack's ConfigMap. */
        public static final String JVM_OPTIONS_HASH = "cassandra.rook.io/jvm-options-hash";
        /** On a rack's pod template: {@code spec.forceRedeploymentReason}; a new text rolls every rack. */
        public static final String FORCE_REDEPLOYMENT_REASON = "cassandra.rook.io/force-redeployment-reason";
        /**
         * On a rack's StatefulSet: a digest of the pod template it was last written with, so that a new template (a
         * restart of every member) is told from a write that restarts nothing.
         */
        public static final String TEMPLATE_HASH = "cassandra.rook.io/template-hash";

        private Annotations() {
        }
    }

    /** Environment of the member agent's container, set by the pod template the operator builds. */
    public static final class Env {
        public static final String POD_NAME = "POD_NAME";
        public static final String POD_NAMESPACE = "POD_NAMESPACE";
        /** The pod's own IP: Cassandra listens on it. */
        public static final String POD_IP = "POD_IP";
        public static final String CLUSTER_NAME = "CASSANDRA_CLUSTER_NAME";
        public static final String DATACENTER = "CASSANDRA_DATACENTER";
        public static final String RACK = "CASSANDRA_RACK";
        /** Directory with the members ConfigMap: key {@value MembersConfig#SEEDS} and one key per member (pod name → ClusterIP). */
        public static final String MEMBERS_DIR = "CASSANDRA_MEMBERS_DIR";
        /** Directory with the rack's user ConfigMap ({@code configMapName}), possibly empty. */
        public static final String USER_CONFIG_DIR = "CASSANDRA_USER_CONFIG_DIR";
        /** The member's data volume. */
        public static final String DATA_DIR = "CASSANDRA_DATA_DIR";
        /** Maximum heap of Cassandra, e.g. 512M; derived from the rack's memory limit. */
        public static final String MAX_HEAP = "CASSANDRA_MAX_HEAP";
        /** Bearer token the operator presents to the agent's operation endpoints. */
        public static final String AGENT_TOKEN = "CASSANDRA_AGENT_TOKEN";
        /** Port of the Prometheus metrics on the pod IP; default {@link Ports#METRICS}, 0 turns the exporter off. */
        public static final String METRICS_PORT = "CASSANDRA_METRICS_PORT";
        /**
         * Directory with the rack's {@code jmxExporterConfigMapName} ConfigMap ({@link Paths#METRICS_CONFIG}); its key
         * {@value MetricsConfig#KEY} replaces the agent's default exporter configuration. Unset or empty: the default.
         */
        public static final String METRICS_CONFIG_DIR = "CASSANDRA_METRICS_CONFIG_DIR";
        /**
         * The superuser role's name and password (secretKeyRef {@code <cluster>-superuser}). Both set: the agent turns on
         * Cassandra's password authentication and ensures that role; unset: Cassandra keeps AllowAll.
         */
        public static final String SUPERUSER_USERNAME = "CASSANDRA_SUPERUSER_USERNAME";
        public static final String SUPERUSER_PASSWORD = "CASSANDRA_SUPERUSER_PASSWORD";
        /**
         * Directory with the members' TLS Secret ({@link Paths#TLS}, {@link TlsSecrets}). Set: the agent turns on
         * internode mutual TLS and client TLS with this member's key and certificate; unset: plaintext.
         */
        public static final String TLS_DIR = "CASSANDRA_TLS_DIR";
        /** {@code required} (default) or {@code optional}: whether Cassandra refuses plaintext CQL. */
        public static final String CLIENT_TLS = "CASSANDRA_CLIENT_TLS";

        private Env() {
        }
    }

    /** Paths inside the Cassandra container. */
    public static final class Paths {
        public static final String DATA = "/var/lib/cassandra";
        public static final String MEMBERS = "/etc/cassandra-operator/members";
        public static final String USER_CONFIG = "/etc/cassandra-operator/user";
        /** Where the rack's {@code jmxExporterConfigMapName} ConfigMap is mounted (optional). */
        public static final String METRICS_CONFIG = "/etc/cassandra-operator/metrics";
        /** Where the members' TLS Secret is mounted. */
        public static final String TLS = "/etc/cassandra-operator/tls";
        /**
         * {@code /tmp/cassandra-agent-<pod name>.nodetool}: the nodetool options ({@code -h -p -u -pwf}) for this
         * member's pod-local JMX, written by the agent at every start (its JMX port and password are new each time)
         * and read by the image's {@code nodetool} ({@code agent/src/image/bin/nodetool}). The pod's own {@code /tmp};
         * the pod name keeps pods apart where {@code /tmp} is shared (the local runtime without root).
         */
        public static final String NODETOOL_OPTIONS_PREFIX = "/tmp/cassandra-agent-";
        public static final String NODETOOL_OPTIONS_SUFFIX = ".nodetool";

        private Paths() {
        }
    }

    /** The members ConfigMap, {@code <cluster>-members}, written by the operator, read by each agent at start. */
    public static final class MembersConfig {
        public static final String SUFFIX = "-members";
        /** Comma-separated seed addresses (member Service ClusterIPs). */
        public static final String SEEDS = "seeds";
        /** Key {@code <pod name>.replace}: present, that member starts on an empty disk as the replacement of its address. */
        public static final String REPLACE_SUFFIX = ".replace";

        private MembersConfig() {
        }
    }

    /** Exit codes of the member agent that tell the operator something; it reads them from the pod's container status. */
    public static final class AgentExit {
        /**
         * The member's volume never joined the ring, yet the ring knows the member's address: Cassandra refused to start
         * ("A node with address ... already exists, cancelling join"). Its disk was lost (wiped, or an empty one put in
         * its place); the operator replaces the member under its address.
         */
        public static final int VOLUME_LOST = 86;

        private AgentExit() {
        }
    }

    /** The keys of a rack's {@code configMapName} ConfigMap the agent reads (mounted at {@link Paths#USER_CONFIG}). */
    public static final class UserConfig {
        /** A cassandra.yaml fragment merged over the operator's settings. */
        public static final String CASSANDRA_YAML = "cassandra.yaml";
        /** JVM options for Cassandra, one per line ({@code #} starts a comment), after the agent's own. */
        public static final String JVM_OPTIONS = "jvm.options";

        private UserConfig() {
        }
    }

    /** The rack's Prometheus JMX exporter ConfigMap ({@code jmxExporterConfigMapName}). */
    public static final class MetricsConfig {
        /** The key holding the exporter's YAML configuration (the file name Rook's sidecar used). */
        public static final String KEY = "jmx_exporter_config.yaml";

        private MetricsConfig() {
        }
    }

    /** The agent token Secret, {@code <cluster>-agent}. */
    public static final class AgentSecret {
        public static final String SUFFIX = "-agent";
        public static final String TOKEN = "token";

        private AgentSecret() {
        }
    }

    /**
     * The superuser Secret, {@code <cluster>-superuser}: created by the operator when absent (never overwritten, so a
     * user may create it first with a password of their own), read by the agents and by CQL clients.
     */
    public static final class SuperuserSecret {
        public static final String SUFFIX = "-superuser";
        public static final String USERNAME = "username";
        public static final String PASSWORD = "password";

        private SuperuserSecret() {
        }
    }

    /**
     * The cluster's TLS Secrets. {@code <cluster>-ca}: the CA's certificate and key, read by the operator only, created
     * once and never overwritten. {@code <cluster>-ca-cert}: the CA certificate alone, for clients. {@code
     * <cluster>-member-tls}: mounted into every member pod, the CA certificate and per member {@code <pod>.crt} and
     * {@code <pod>.key} (PEM), since one pod template serves a whole rack.
     */
    public static final class TlsSecrets {
        public static final String CA_SUFFIX = "-ca";
        public static final String CA_CERT_SUFFIX = "-ca-cert";
        public static final String MEMBER_SUFFIX = "-member-tls";
        public static final String CA_CERTIFICATE = "ca.crt";
        public static final String CA_KEY = "ca.key";
        public static final String CERTIFICATE_EXTENSION = ".crt";
        public static final String KEY_EXTENSION = ".key";

        private TlsSecrets() {
        }
    }

    public static final class Ports {
        public static final int CQL = 9042;
        public static final int INTRA_NODE = 7000;
        /** The agent's HTTP port: probes and the operator's operation calls. */
        public static final int AGENT = 8080;
        /** Cassandra's metrics in Prometheus format ({@code GET /metrics}), served by the JMX exporter on the pod IP. */
        public static final int METRICS = 9500;

        private Ports() {
        }
    }

    /** The agent's HTTP API. Probes need no token; every other path needs {@code Authorization: Bearer <token>}. */
    /** The Secret a Backup's S3 target names: its keys. */
    public static final class BackupCredentials {
        public static final String ACCESS_KEY_ID = "accessKeyId";
        public static final String SECRET_ACCESS_KEY = "secretAccessKey";

        private BackupCredentials() {
        }
    }

    public static final class AgentApi {
        /**
         * Request header naming the member a call is meant for, {@code <cluster>/<member>} (the Cluster's and the pod's
         * name); the operator sends it with every call. An agent that runs another member answers
         * {@link #MISDIRECTED} and does nothing, so a stale cache that meets a reused pod IP cannot, say, decommission
         * the wrong member.
         */
        public static final String MEMBER_HEADER = "Cassandra-Operator-Member";
        /** 421 Misdirected Request: the call named another member than the one this agent runs. */
        public static final int MISDIRECTED = 421;
        public static final String LIVENESS = "/healthz";
        public static final String READINESS = "/readyz";
        /** GET: the node as Cassandra sees it (JSON: operationMode, hostId, ...). */
        public static final String NODE = "/v1/node";
        /** POST starts a decommission (idempotent: never runs twice), GET reports its state. */
        public static final String DECOMMISSION = "/v1/decommission";
        /**
         * POST {@code {"id": "<run id>"}} starts a run of {@code forceKeyspaceCleanup} over all non-system keyspaces
         * unless the run with that id runs or finished (409 while another id runs); GET [{@code ?id=<run id>}] reports
         * the run (latest without id) with the node's load before and after.
         */
        public static final String CLEANUP = "/v1/cleanup";
        /** Like {@link #CLEANUP}, for a full repair of every range the node replicates (after a replacement). */
        public static final String REPAIR = "/v1/repair";
        /**
         * POST a {@link io.cassandraoperator.api.agent.BackupRequest} snapshots at once and uploads in the background
         * (202; 200 when the run with that id runs or finished; 409 while another runs); GET {@code ?id=<run id>}
         * answers a {@link io.cassandraoperator.api.agent.BackupReport}.
         */
        public static final String BACKUP = "/v1/backup";
        /**
         * POST a {@link io.cassandraoperator.api.agent.RestoreRequest} downloads, verifies and imports in the
         * background (202; 200 when the run with that id runs or finished; 409 while another runs); GET
         * {@code ?id=<run id>} answers a {@link io.cassandraoperator.api.agent.RestoreReport}.
         */
        public static final String RESTORE = "/v1/restore";

        private AgentApi() {
        }
    }
}
