package io.cassandraoperator.operator.model;

import io.cassandraoperator.api.Cluster;
import io.cassandraoperator.api.Contract.TlsSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code <cluster>-member-tls}, mounted into every member pod: the CA certificate (the truststore) and per member its
 * certificate and key. One Secret for all members because a rack's pods share one template; a member pod can read
 * the other members' keys, which give it no access it does not already have as a member.
 */
public final class MemberTlsSecret {
    private MemberTlsSecret() {
    }

    public static String name(Cluster cluster) {
        return cluster.getMetadata().getName() + TlsSecrets.MEMBER_SUFFIX;
    }

    public static String certificateKey(String member) {
        return member + TlsSecrets.CERTIFICATE_EXTENSION;
    }

    public static String privateKeyKey(String member) {
        return member + TlsSecrets.KEY_EXTENSION;
    }

    /**
     * The Secret with the CA certificate, every kept entry of {@code current} (members' PEM texts, base64 as stored)
     * and the newly issued certificates over them.
     */
    public static Secret build(Cluster cluster, String caCertificatePem, Map<String, String> current, Map<String, MemberCertificate> issued) {
        Map<String, String> data = new LinkedHashMap<>(current);
        data.put(TlsSecrets.CA_CERTIFICATE, ClusterCaSecrets.base64(caCertificatePem));
        issued.forEach((member, certificate) -> {
            data.put(certificateKey(member), ClusterCaSecrets.base64(Pem.certificate(certificate.certificate())));
            data.put(privateKeyKey(member), ClusterCaSecrets.base64(Pem.privateKey(certificate.key())));
        });
        return new SecretBuilder()
                .withMetadata(ChildMetadata.retained(cluster, name(cluster), ClusterLabels.cluster(cluster)))
                .withType("Opaque")
                .withData(data)
                .build();
    }

    /**
     * The names a member is reached by: its Service's ClusterIP (the address it broadcasts), the member Service's DNS
     * names, its pod's DNS names under the client Service (the StatefulSet's serviceName), and the client Service's
     * names, which clients connect through. Assumes the cluster domain {@code cluster.local} for the long forms.
     */
    public static List<String> subjectNames(Cluster cluster, String member, String clusterIp) {
        String namespace = cluster.getMetadata().getNamespace();
        String client = ClientService.name(cluster);
        List<String> names = new ArrayList<>();
        names.add(clusterIp);
        for (String host : List.of(member + "." + namespace, member + "." + client + "." + namespace, client + "." + namespace)) {
            names.add(host + ".svc");
            names.add(host + ".svc.cluster.local");
        }
        names.add(member);
        return names;
    }
}
