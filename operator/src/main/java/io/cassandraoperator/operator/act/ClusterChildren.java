package io.cassandraoperator.operator.act;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract.Labels;
import io.cassandraoperator.api.Contract;
import io.cassandraoperator.api.EventReason;
import io.cassandraoperator.api.Contract.TlsSecrets;
import io.cassandraoperator.operator.OperatorMetrics;
import io.cassandraoperator.operator.model.AgentTokenSecret;
import io.cassandraoperator.operator.model.CertificateAuthority;
import io.cassandraoperator.operator.model.ClusterCaSecrets;
import io.cassandraoperator.operator.model.MemberCertificate;
import io.cassandraoperator.operator.model.MemberTlsSecret;
import io.cassandraoperator.operator.model.Pem;
import io.cassandraoperator.operator.model.TlsSettings;
import io.cassandraoperator.operator.plan.MemberCertificates;
import io.cassandraoperator.operator.model.ChildMetadata;
import io.cassandraoperator.operator.model.ClientService;
import io.cassandraoperator.operator.model.ClusterDisruptionBudget;
import io.cassandraoperator.operator.model.MemberService;
import io.cassandraoperator.operator.model.MembersConfigMap;
import io.cassandraoperator.operator.model.SuperuserSecret;
import io.cassandraoperator.operator.observe.ObservedCluster;
import io.cassandraoperator.operator.plan.DesiredMembers;
import io.cassandraoperator.operator.plan.RollingRestart;
import io.cassandraoperator.operator.plan.RollingPartition;
import io.cassandraoperator.operator.plan.RolloutGate;
import io.cassandraoperator.operator.plan.StorageSizeChange;
import io.cassandraoperator.operator.plan.StuckPod;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Writes the Cluster's children so that they match the desired objects the model builds and the plan admits. */
public final class ClusterChildren {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterChildren.class);

    private final Cluster cluster;
    private final ObservedCluster observed;
    private final ChildWriter writer;
    private final ClusterEvents events;

    ClusterChildren(Cluster cluster, ObservedCluster observed, ChildWriter writer, ClusterEvents events) {
        this.cluster = cluster;
        this.observed = observed;
        this.writer = writer;
        this.events = events;
    }

    /** The agent token and the superuser Secrets, created once and never updated (a user's own password stays). */
    public void ensureSecrets() {
        if (!observed.secrets().containsKey(AgentTokenSecret.name(cluster))) {
            LOG.info("Cluster {}: creating the agent token Secret {}", clusterName(), AgentTokenSecret.name(cluster));
            writer.create(AgentTokenSecret.build(cluster, AgentTokenSecret.newToken()));
        }
        if (!observed.secrets().containsKey(SuperuserSecret.name(cluster))) {
            // Before any StatefulSet: a member pod's env refers to it.
            LOG.info("Cluster {}: creating the superuser Secret {} with a generated password", clusterName(), SuperuserSecret.name(cluster));
            writer.create(SuperuserSecret.build(cluster, SuperuserSecret.newPassword()));
        }
    }

    /**
     * Secrets and claims keep no owner that could delete them: a Secret written by an earlier operator version with
     * the Cluster as its owner is released (member Services are released by their update, {@link ChildWriter#mergeMetadata}),
     * and a claim a StatefulSet owns (created under a retention policy that deleted claims with it) is released too,
     * so that deleting a StatefulSet or the Cluster never deletes data by itself.
     */
    public void releaseRetained() {
        for (Secret secret : observed.secrets().values()) {
            if (ChildMetadata.ownedByACluster(secret)) {
                LOG.info("Cluster {}: releasing Secret {} from its owner, so that deleting the Cluster keeps it", clusterName(),
                        secret.getMetadata().getName());
                writer.update(new SecretBuilder(secret).editMetadata().withOwnerReferences(List.of()).endMetadata().build());
            }
        }
        for (PersistentVolumeClaim claim : observed.claims().values()) {
            List<OwnerReference> owners = claim.getMetadata().getOwnerReferences();
            if (owners != null && owners.stream().anyMatch(r -> "StatefulSet".equals(r.getKind()))) {
                LOG.info("Cluster {}: releasing claim {} from its StatefulSet, so that deleting the StatefulSet keeps it", clusterName(),
                        claim.getMetadata().getName());
                writer.update(new PersistentVolumeClaimBuilder(claim).editMetadata()
                        .withOwnerReferences(owners.stream().filter(r -> !"StatefulSet".equals(r.getKind())).toList()).endMetadata().build());
            }
        }
    }

    /** The client Service and the disruption budget. */
    public void ensureClusterObjects() {
        writer.ensure(ClientService.build(cluster), observed.services().get(ClientService.name(cluster)), ChildWriter::mergeService);
        writer.ensure(ClusterDisruptionBudget.build(cluster), observed.disruptionBudgets().get(ClusterDisruptionBudget.name(cluster)),
                (actual, desired) -> new PodDisruptionBudgetBuilder(actual).withMetadata(ChildWriter.mergeMetadata(actual, desired))
                        .withSpec(desired.getSpec()).build());
    }

    /** The rack StatefulSets the rollout admits; replicas are never written here, only by the membership steps. */
    public void ensureRacks(RolloutGate.Rollout rollout) {
        for (RolloutGate.Correction correction : rollout.corrections()) {
            StatefulSet actual = observed.statefulSets().get(correction.statefulSet().getMetadata().getName());
            LOG.info("Cluster {}: writing the template of StatefulSet {} although members are not ready: {}", clusterName(),
                    actual.getMetadata().getName(), correction.reason());
            events.record(cluster, EventReason.TemplateCorrected, actual.getMetadata().getUid() + "/" + actual.getMetadata().getGeneration(),
                    correction.reason());
        }
        for (RollingRestart restart : rollout.restarts()) {
            StatefulSet actual = observed.statefulSets().get(restart.statefulSet());
            String message = "StatefulSet " + restart.statefulSet() + " gets a new pod template; its members restart one at a time"
                    + " (reason " + restart.reasonTags() + "): " + restart.detail();
            LOG.info("Cluster {}: {}", clusterName(), message);
            if (events.record(cluster, EventReason.RollingRestart, actual.getMetadata().getUid() + "/" + restart.template(), message)) {
                restart.reasons().forEach(reason -> OperatorMetrics.countRestart(reason.tag()));
            }
        }
        for (StatefulSet desired : rollout.admitted()) {
            writer.ensure(desired, observed.statefulSets().get(desired.getMetadata().getName()), (current, wanted) -> new StatefulSetBuilder(current)
                    .withMetadata(ChildWriter.mergeMetadata(current, wanted))
                    .editSpec()
                        .withTemplate(wanted.getSpec().getTemplate())
                        .withUpdateStrategy(RollingPartition.strategyFor(current, wanted))
                        .withPersistentVolumeClaimRetentionPolicy(wanted.getSpec().getPersistentVolumeClaimRetentionPolicy())
                    .endSpec()
                    .build());
        }
    }

    /**
     * Lowers each rolling rack's partition as the plan found safe, at the StatefulSet's version it read (a StatefulSet
     * changed since, by a template write or a scale step, is looked at again next round).
     */
    public void lowerPartitions(RollingPartition.Rolls rolls) {
        for (RollingPartition.Lower lower : rolls.lower()) {
            StatefulSet statefulSet = lower.statefulSet();
            LOG.info("Cluster {}: partition of StatefulSet {} lowered to {}: {}", clusterName(), statefulSet.getMetadata().getName(),
                    lower.partition(), lower.message());
            writer.update(new StatefulSetBuilder(statefulSet).editSpec().editUpdateStrategy().editOrNewRollingUpdate()
                    .withPartition(lower.partition()).endRollingUpdate().endUpdateStrategy().endSpec().build());
        }
    }

    /** Raises each claim to its rack's larger storage request; Kubernetes grows the volume (its StorageClass allows it). */
    public void expandClaims(List<StorageSizeChange.ClaimExpansion> expansions) {
        for (StorageSizeChange.ClaimExpansion expansion : expansions) {
            PersistentVolumeClaim claim = expansion.claim();
            String message = "claim " + claim.getMetadata().getName() + " raised from "
                    + claim.getSpec().getResources().getRequests().get("storage") + " to " + expansion.size()
                    + ": the rack asks for more storage and StorageClass " + expansion.storageClass() + " allows volume expansion";
            LOG.info("Cluster {}: {}", clusterName(), message);
            events.record(cluster, EventReason.ClaimExpanded, claim.getMetadata().getUid() + "/" + expansion.size(), message);
            writer.update(new PersistentVolumeClaimBuilder(claim).editSpec().editResources()
                    .addToRequests("storage", expansion.size()).endResources().endSpec().build());
        }
    }

    /** Deletes a member pod a fixed template left behind ({@link StuckPod}); its claim stays. */
    public void deleteStuckPod(Optional<StuckPod> stuck) {
        stuck.ifPresent(s -> {
            LOG.warn("Cluster {}: deleting pod {}: {}", clusterName(), s.pod().getMetadata().getName(), s.reason());
            events.record(cluster, EventReason.StuckPodDeleted, s.pod().getMetadata().getUid(), s.reason());
            writer.delete(s.pod());
        });
    }

    /** Deletes the StatefulSets of racks that left the spec with no members ({@link io.cassandraoperator.operator.plan.RackRemoval}). */
    public void removeRacks(List<StatefulSet> deletable) {
        for (StatefulSet statefulSet : deletable) {
            String rack = statefulSet.getMetadata().getLabels().get(Labels.RACK);
            LOG.info("Cluster {}: rack {} left the spec and has no members; deleting StatefulSet {}", clusterName(), rack,
                    statefulSet.getMetadata().getName());
            events.record(cluster, EventReason.RackRemoved, statefulSet.getMetadata().getUid(),
                    "rack " + rack + " left the spec with no members; its StatefulSet is deleted");
            // At the version whose zero replicas the plan read.
            writer.deleteUnchanged(statefulSet);
        }
    }

    /** Creates or updates the Service of every desired member; returns them as the server now holds them, by member name. */
    public Map<String, Service> ensureMemberServices(DesiredMembers members) {
        Map<String, Service> services = new LinkedHashMap<>();
        members.rackByMember().forEach((member, rack) -> {
            Service desired = MemberService.build(cluster, rack, member, members.seeds().contains(member));
            services.put(member, writer.ensure(desired, observed.services().get(member), ChildWriter::mergeService));
        });
        return services;
    }

    /**
     * The cluster CA (generated once; an existing {@code <cluster>-ca} is never overwritten), its public copy for
     * clients, and a certificate in the member Secret for every member whose Service has its ClusterIP, issued before
     * the member's pod is created (the membership steps come after this). Nothing when the members run in plaintext.
     */
    public void ensureTls(TlsSettings tls, Map<String, Service> services) {
        if (!tls.enabled()) {
            return;
        }
        Instant now = Instant.now();
        Secret caSecret = observed.secrets().get(ClusterCaSecrets.caName(cluster));
        if (caSecret == null) {
            caSecret = writer.create(ClusterCaSecrets.ca(cluster, CertificateAuthority.generate(cluster.getMetadata().getNamespace(),
                    cluster.getMetadata().getName(), now, tls.caValidity())));
            String message = "generated the cluster CA into Secret " + caSecret.getMetadata().getName() + ", valid for "
                    + tls.caValidity().toDays() + " days; clients find its certificate in Secret " + ClusterCaSecrets.caCertName(cluster);
            LOG.info("Cluster {}: {}", clusterName(), message);
            events.record(cluster, EventReason.CertificateAuthorityCreated, caSecret.getMetadata().getUid(), message);
        }
        CertificateAuthority ca = ClusterCaSecrets.read(caSecret);
        String caPem = Pem.certificate(ca.certificate());
        Secret caCert = observed.secrets().get(ClusterCaSecrets.caCertName(cluster));
        if (caCert == null) {
            writer.create(ClusterCaSecrets.caCert(cluster, caPem));
        } else if (!ClusterCaSecrets.text(caCert, TlsSecrets.CA_CERTIFICATE).filter(caPem::equals).isPresent()) {
            writer.update(new SecretBuilder(caCert).withData(ClusterCaSecrets.caCert(cluster, caPem).getData()).build());
        }

        Map<String, List<String>> wanted = new LinkedHashMap<>();
        services.forEach((member, service) -> {
            String ip = MemberService.clusterIp(service);
            if (ip != null) {
                wanted.put(member, MemberTlsSecret.subjectNames(cluster, member, ip));
            }
        });
        Secret memberSecret = observed.secrets().get(MemberTlsSecret.name(cluster));
        Map<String, String> current = memberSecret == null ? Map.of() : MemberCertificates.decoded(memberSecret.getData());
        List<MemberCertificates.Issue> due = MemberCertificates.due(wanted, current, ca.certificate(), now, tls.renewBefore());
        if (due.isEmpty() && memberSecret != null && caPem.equals(current.get(TlsSecrets.CA_CERTIFICATE))) {
            return;
        }
        Map<String, MemberCertificate> issued = new LinkedHashMap<>();
        for (MemberCertificates.Issue issue : due) {
            MemberCertificate certificate = ca.issue(issue.member(), issue.subjectNames(), now, tls.validity());
            issued.put(issue.member(), certificate);
            String message = "issued a certificate for member " + issue.member() + " valid until "
                    + certificate.certificate().getNotAfter().toInstant() + " for " + issue.subjectNames() + ": " + issue.reason();
            LOG.info("Cluster {}: {}", clusterName(), message);
            events.record(cluster, EventReason.MemberCertificateIssued,
                    issue.member() + "/" + certificate.certificate().getSerialNumber().toString(16), message);
        }
        Secret desired = MemberTlsSecret.build(cluster, caPem, memberSecret == null ? Map.of() : memberSecret.getData(), issued);
        if (memberSecret == null) {
            // Created by a round whose cache had not seen it yet: the live Secret is returned, the next round issues again.
            writer.create(desired);
        } else {
            writer.update(new SecretBuilder(memberSecret).withData(desired.getData()).build());
        }
    }

    /**
     * Writes seeds, member addresses and replace marks when they changed; returns the ConfigMap's data as it now is
     * (an older ConfigMap found on create is returned as the server holds it: no member starts on an address it does
     * not hold yet).
     */
    public Map<String, String> ensureMembersConfigMap(Map<String, Service> services, List<String> seeds, Set<String> replacing) {
        Map<String, String> addresses = new LinkedHashMap<>();
        services.forEach((member, service) -> {
            String ip = MemberService.clusterIp(service);
            if (ip != null) {
                addresses.put(member, ip);
            }
        });
        ConfigMap desired = MembersConfigMap.build(cluster, addresses, seeds, replacing);
        ConfigMap actual = observed.configMaps().get(MembersConfigMap.name(cluster));
        if (actual == null) {
            LOG.info("Cluster {}: creating ConfigMap {} with seeds {}", clusterName(), desired.getMetadata().getName(), seeds);
            return writer.create(desired).getData();
        } else if (!Objects.equals(actual.getData(), desired.getData())
                || !Objects.equals(actual.getMetadata().getOwnerReferences(), desired.getMetadata().getOwnerReferences())) {
            // The owner too: one left by an earlier Cluster of this name is adopted before the garbage collector takes it.
            LOG.info("Cluster {}: updating ConfigMap {}: seeds {}, {} member addresses", clusterName(),
                    desired.getMetadata().getName(), desired.getData().get(Contract.MembersConfig.SEEDS), addresses.size());
            writer.update(new ConfigMapBuilder(actual).withData(desired.getData())
                    .editMetadata().withOwnerReferences(desired.getMetadata().getOwnerReferences()).endMetadata().build());
        }
        return desired.getData();
    }

    private String clusterName() {
        return cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName();
    }
}
